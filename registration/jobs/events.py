"""Events a capability announces inside the transaction of its change.

Listeners above the capabilities (webhooks) connect to `happened`; capabilities import only
this module, so neither side imports the other. A listener runs in the announcer's
transaction: it may write rows (a job), never commit.

A listener may also give, as SQL, whether anyone could want an event of a conference
(`audience`). An announcer on a hot path reads `may_be_heard` in a statement it runs
anyway and passes the answer on (`heard=False`), so the listener reads nothing to find out
that nobody listens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from blinker import Namespace
from sqlalchemy import ColumnElement, false, or_

_signals = Namespace()

# Sent with the event's type (the sender, e.g. "registration.approved"), `conference_id`,
# `data` (ids and facts, JSON-ready) and `heard` (False: `may_be_heard` said nobody could).
happened = _signals.signal("happened")

# Each listener's test: given the conference's id (a column or a value), true where it may
# want an event of that conference.
_audiences: list[Callable[[Any], ColumnElement[bool]]] = []


def audience(test: Callable[[Any], ColumnElement[bool]]) -> Callable[[Any], ColumnElement[bool]]:
    """Register a listener's SQL test of whether it may want an event of a conference."""
    _audiences.append(test)
    return test


def audiences() -> tuple[Callable[[Any], ColumnElement[bool]], ...]:
    """The registered tests (a statement built once keeps its `may_be_heard` per them)."""
    return tuple(_audiences)


def may_be_heard(conference_id: Any) -> ColumnElement[bool]:
    """SQL: whether any listener may want an event of the conference (false: none can)."""
    if not _audiences:
        return false()
    return or_(*(test(conference_id) for test in _audiences))


def announce(
    event_type: str, *, conference_id: int | None, heard: bool = True, **data: Any
) -> None:
    """Tell the listeners that `event_type` happened in the conference (None: in a series);
    `heard`: False when `may_be_heard`, read in the announcer's transaction, was false."""
    happened.send(event_type, conference_id=conference_id, data=data, heard=heard)
