"""The check-in JSON API the phone page calls: it reads each request into a `checkin.Scan`
(or a client id, or a search), calls the check-in service, and answers JSON; a refusal is
a 4xx with its reason."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.exceptions import HTTPException
from wtforms import ValidationError

from registration.attendance import checkin
from registration.attendance.errors import (
    AttendanceError,
    MalformedError,
    NotAdmittedError,
    NotFoundError,
    PanelCancelledError,
)
from registration.conferences.models import Conference
from registration.database import db, parse_id
from registration.extensions import csrf
from registration.i18n import N_
from registration.problems import refusal
from registration.staff.access import protect
from registration.staff.roles import Permission

api = protect(
    Blueprint("attendance_api", __name__, url_prefix="/manage/conferences/<slug>/checkin/api"),
    Permission.CHECK_IN,
    api=True,
)
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,100}$")
BADGE_MAX_LENGTH = 500
STATUS = {MalformedError: 400, NotFoundError: 404, PanelCancelledError: 409, NotAdmittedError: 422}


@api.before_request
def _api_guard() -> ResponseReturnValue | None:
    """After the role check (JSON answers): the CSRF token travels in X-CSRFToken."""
    if request.method == "POST" and current_app.config.get("WTF_CSRF_ENABLED", True):
        try:
            validate_csrf(request.headers.get("X-CSRFToken", ""))
        except (ValidationError, CSRFError):
            return refusal(400, gettext("The page expired; reload it and scan again."))
    return None


@api.errorhandler(AttendanceError)
def _refused(error: AttendanceError) -> ResponseReturnValue:
    return refusal(STATUS.get(type(error), 422), error.reason)


@api.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> ResponseReturnValue:
    """Any other refusal of these endpoints (unknown method, abort) as problem+json too."""
    return refusal(error.code or 500, error.description or "")


def _conference(slug: str) -> Conference:
    conference = db.session.scalar(db.select(Conference).filter_by(slug=slug))
    if conference is None:
        raise NotFoundError(gettext("No such conference."))
    return conference


def _json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise MalformedError(gettext("Send a JSON object."))
    return data


def _absent(value: Any) -> bool:
    return value is None or value == ""


# What an id sent by the page refers to, in whole sentences (each language words them).
UNKNOWN = {
    "panel": N_("No such panel in this conference."),
    "participant": N_("No such participant in this conference."),
}
NOT_A_NUMBER = {
    "panel": N_("The panel is not a number."),
    "participant": N_("The participant is not a number."),
}


def _number(value: Any, what: str) -> int | None:
    """An id sent by a client, None if absent: malformed if it is not a whole number; a
    number no database id can be is unknown, like any unknown id."""
    if _absent(value):
        return None
    if isinstance(value, str):
        value = value.strip()
    number = parse_id(value)
    if number is not None:
        return number
    if (isinstance(value, int) and not isinstance(value, bool)) or str(value).isdigit():
        raise NotFoundError(gettext(UNKNOWN[what]))
    raise MalformedError(gettext(NOT_A_NUMBER[what]))


def _day(value: Any) -> date | None:
    if _absent(value):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise MalformedError(gettext("The day is not a date (YYYY-MM-DD).")) from None


def _client_id(value: Any) -> str:
    if not isinstance(value, str) or not CLIENT_ID.match(value):
        raise MalformedError(
            gettext("Each scan needs a client_id of 8-100 letters, digits, '-' or '_'.")
        )
    return value


def _badge(value: Any) -> str | None:
    if _absent(value):
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > BADGE_MAX_LENGTH:
        raise MalformedError(gettext("No badge code was read."))
    return value


def _scan(data: dict[str, Any]) -> checkin.Scan:
    return checkin.Scan(
        client_id=_client_id(data.get("client_id")),
        panel_id=_number(data.get("panel_id"), "panel"),
        day=_day(data.get("day")),
        badge=_badge(data.get("payload")),
        registration_id=_number(data.get("registration_id"), "participant"),
    )


def _person(attendee: checkin.Attendee) -> dict[str, Any]:
    """The person in the page's language; the institution with the language it is in, for
    the page to mark it with `lang` when that is another."""
    return {
        "id": attendee.id,
        "name": attendee.name,
        "member": attendee.member,
        "institution": attendee.institution.text,
        "institution_language": attendee.institution.lang,
        "registered_mode": attendee.mode.value,
        "status": attendee.status.value,
    }


def _outcome(outcome: checkin.Outcome) -> Response:
    data: dict[str, Any] = {
        "status": outcome.status,
        "message": outcome.message,
        "client_id": outcome.client_id,
        "registration": _person(outcome.attendee),
    }
    if outcome.warning:
        data["warning"] = outcome.warning
    return jsonify(data)


@api.post("/scan")
def scan(slug: str) -> ResponseReturnValue:
    conference = _conference(slug)
    return _outcome(checkin.check_in(conference, _scan(_json_body()), current_user.id))


@api.post("/undo")
def undo(slug: str) -> ResponseReturnValue:
    conference = _conference(slug)
    client_id = _client_id(_json_body().get("client_id"))
    return _outcome(checkin.undo_check_in(conference, client_id))


@api.get("/search")
def search(slug: str) -> ResponseReturnValue:
    conference = _conference(slug)
    scope = None
    panel_id, day = request.args.get("panel_id"), request.args.get("day")
    if panel_id or day:
        scope = checkin.resolve_scope(conference, _number(panel_id, "panel"), _day(day))
    found = checkin.search_participants(conference, request.args.get("q", "")[:100], scope)
    return jsonify(
        results=[
            {
                **_person(candidate.attendee),
                "checked_in": candidate.checked_in,
                "refused": candidate.attendee.refused,
            }
            for candidate in found
        ]
    )


for view in (scan, undo):
    csrf.exempt(view)
