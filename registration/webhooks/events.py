"""The events one may subscribe to, with what the management page calls them."""

from __future__ import annotations

from registration.i18n import N_

EVENTS: dict[str, str] = {
    "registration.created": N_("Registration created"),
    "registration.approved": N_("Registration approved"),
    "registration.rejected": N_("Registration rejected"),
    "registration.withdrawn": N_("Registration withdrawn"),
    "attendance.checked_in": N_("Participant checked in"),
    "conference.published": N_("Conference published"),
    "conference.changed": N_("Conference changed"),
    "conference.cancelled": N_("Conference cancelled"),
    "document.issued": N_("Document issued"),
    "document.dispatched": N_("Document dispatched"),
}
