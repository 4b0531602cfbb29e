"""Events a capability announces inside the transaction of its change.

Listeners above the capabilities (webhooks) connect to `happened`; capabilities import only
this module, so neither side imports the other. A listener runs in the announcer's
transaction: it may write rows (a job), never commit.
"""

from __future__ import annotations

from typing import Any

from blinker import Namespace

_signals = Namespace()

# Sent with the event's type (the sender, e.g. "registration.approved"), `conference_id`
# and `data` (ids and facts, JSON-ready).
happened = _signals.signal("happened")


def announce(event_type: str, *, conference_id: int | None, **data: Any) -> None:
    """Tell the listeners that `event_type` happened in the conference (None: in a series)."""
    happened.send(event_type, conference_id=conference_id, data=data)
