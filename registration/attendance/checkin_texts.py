"""What the check-in page's script says, in the page's language (checkin.js reads them from the
page: `{name}` and `{count}` are filled in there)."""

from __future__ import annotations

from flask_babel import gettext

from registration.i18n import translate
from registration.signup.models import RegistrationStatus


def checkin_texts() -> dict[str, object]:
    return {
        "undo": gettext("Undo"),
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
