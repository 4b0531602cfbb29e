"""Who a personal invitation link says the registrant is.

The capability that sends such links (invitations) registers a lookup here; signup imports
none of them. The registration form binds itself to what the lookup returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Invited:
    email: str
    name: str
    member_id: int | None
    role: str
    panel_ids: list[int] = field(default_factory=list)


Lookup = Callable[[int, str], Invited | None]
_LOOKUPS: list[Lookup] = []


def looks_up_invitations(lookup: Lookup) -> Lookup:
    """Decorator: `lookup(conference_id, token)` names the invitee of a link, or None."""
    _LOOKUPS.append(lookup)
    return lookup


def invited(conference_id: int, token: str) -> Invited | None:
    """The invitee behind a link's token for this conference, if a lookup knows it."""
    if not token:
        return None
    for lookup in _LOOKUPS:
        found = lookup(conference_id, token)
        if found is not None:
            return found
    return None
