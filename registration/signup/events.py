"""What signup announces inside the transaction of a change to a registration.

Capabilities above signup connect receivers (calendars: invitations to each panel follow
the registration; invitations: an invited address that registers has accepted); signup
imports none of them. Receivers run in the sender's transaction and must not commit.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent with the registration (the sender) after its status, mode or panels changed;
# `before`: the panels it attended before a change of panels (None otherwise).
registration_changed = _signals.signal("registration-changed")
# Sent with the conference id (the sender) and `email` when someone registers.
registered = _signals.signal("registered")
