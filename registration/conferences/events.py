"""What the conference services announce inside the transaction of a change.

Capabilities above conferences (calendars) connect receivers; conferences imports none of
them. Receivers run in the sender's transaction and must not commit.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with the panel (the sender) just before it is deleted.
panel_removing = _signals.signal("panel-removing")
