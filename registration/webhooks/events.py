"""The events one may subscribe to, with what the management page calls them."""

from __future__ import annotations

EVENTS: dict[str, str] = {
    "registration.created": "Registration created",
    "registration.approved": "Registration approved",
    "registration.rejected": "Registration rejected",
    "registration.withdrawn": "Registration withdrawn",
    "attendance.checked_in": "Participant checked in",
    "conference.published": "Conference published",
    "conference.changed": "Conference changed",
    "conference.cancelled": "Conference cancelled",
    "document.issued": "Document issued",
    "document.dispatched": "Document dispatched",
}
