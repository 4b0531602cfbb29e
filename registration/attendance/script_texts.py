"""What the scripts of the check-in page and the attendance dashboard say, in the page's
language (checkin.js and dashboard.js read them from the page and fill in `{name}` and the
like)."""

from __future__ import annotations

from flask_babel import gettext

from registration.i18n import N_, translate
from registration.signup.models import RegistrationStatus


def checkin_texts() -> dict[str, object]:
    return {
        "undo": gettext("Undo"),
        "undoneNote": gettext("— undone"),
        "checkIn": gettext("Check in"),
        "checkInPerson": gettext("Check in {name}"),
        "photoOf": gettext("Badge photo of {name}"),
        "nobodyFound": gettext("Nobody found."),
        "onePersonFound": gettext("1 person found."),
        "peopleFound": gettext("People found: {count}."),
        "checkedIn": gettext("(checked in)"),
        "serverAnswered": gettext("The server answered {status}."),
        "noNetwork": gettext("No network: {error}"),
        "scanWithCamera": gettext("Scan with camera"),
        "stopCamera": gettext("Stop camera"),
        "pointCamera": gettext("Point the camera at the QR code on the badge."),
        "noCamera": gettext(
            "This browser cannot use the camera here (HTTPS is needed). "
            "Type the badge code or search by name."
        ),
        "cameraFailed": gettext(
            "Camera not available ({error}). Type the badge code or search by name."
        ),
        "statuses": {s.value: translate(s.label).lower() for s in RegistrationStatus},
    }


def dashboard_texts() -> dict[str, object]:
    return {
        "bar": gettext("{in_person} in person, {online} online, {no_shows} no-shows"),
        "nobody": gettext("Nobody registered or attended yet."),
        "updated": gettext("Figures updated at {time}."),
    }


# The outbox states the dashboard counts certificate mails by (`|translate`).
MAIL_STATES = (
    N_("queued"),
    N_("inflight"),
    N_("awaiting_retry"),
    N_("sent"),
    N_("failed"),
    N_("superseded"),
    N_("skipped"),
)
