"""Calendar invitations follow registrations and panels: receivers of what signup and the
conference services announce (connected when the app loads this module; they run in the
sender's transaction)."""

from __future__ import annotations

from typing import Any

from registration.calendars import messages, removal
from registration.conferences import events as conference_events
from registration.conferences.models import Panel
from registration.signup import events as signup_events
from registration.signup.models import Registration, RegistrationStatus
from registration.signup.places import panels_of


@signup_events.registration_changed.connect
def registration_changed(
    registration: Registration, before: set[Panel] | None = None, **_: Any
) -> None:
    """REQUEST for each panel while approved (CANCEL for panels left), CANCEL otherwise."""
    if registration.status is RegistrationStatus.APPROVED:
        if before:
            messages.panels_dropped(registration, before - set(panels_of(registration)))
        messages.registration_approved(registration)
    else:
        messages.registration_withdrawn(registration)


@conference_events.panel_removing.connect
def panel_removing(panel: Panel, **_: Any) -> str | None:
    """Before a panel is deleted: one job that sends its attendees their CANCEL."""
    return removal.panel_removing(panel)
