"""The check-in page's name search without its script (a kiosk browser, a script that did not
load): the search form's GET ?q= is answered by the page itself, and each found person's
Check in is a plain POST form that comes back to the same search."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from registration.attendance import checkin
from registration.attendance.checkin_api import CLIENT_ID
from registration.attendance.errors import AttendanceError, MalformedError
from registration.conferences.models import Conference
from registration.database import db, parse_id
from registration.staff.access import protect
from registration.staff.roles import Permission

bp = protect(
    Blueprint("attendance_desk", __name__, url_prefix="/manage/conferences/<slug>"),
    Permission.CHECK_IN,
)
QUERY_MAX_LENGTH = 100


@dataclass(frozen=True)
class NameSearch:
    """A search by name as the page shows it: what was typed, the scope chosen (the scope
    menu's value), who was found, or why nobody could be looked for."""

    query: str
    scope: str
    found: list[checkin.Candidate]
    refusal: str = ""

    @staticmethod
    def new_client_id() -> str:
        """A Check in form's own id for its check-in, so a form sent twice counts once."""
        return uuid.uuid4().hex


def scope_of(value: str) -> tuple[int | None, date | None]:
    """The panel id or the day of a scope menu's value ("panel:3", "day:2030-12-28")."""
    kind, _, rest = value.partition(":")
    if kind == "panel" and (panel_id := parse_id(rest)) is not None:
        return panel_id, None
    if kind == "day":
        try:
            return None, date.fromisoformat(rest)
        except ValueError:
            pass
    raise MalformedError(gettext("Choose either a panel or a day."))


def name_search(conference: Conference, args: MultiDict[str, str]) -> NameSearch | None:
    """The search a check-in page's address asks for (?q=, ?scope=), None without ?q=."""
    if "q" not in args:
        return None
    query = args.get("q", "")[:QUERY_MAX_LENGTH].strip()
    value = args.get("scope") or f"day:{checkin.conference_days(conference)[0].isoformat()}"
    try:
        scope = checkin.resolve_scope(conference, *scope_of(value))
    except AttendanceError as error:
        return NameSearch(query, value, [], error.reason)
    return NameSearch(query, value, checkin.search_participants(conference, query, scope))


@bp.post("/checkin/by-name")
def check_in(slug: str) -> ResponseReturnValue:
    """A found person's Check in button: the outcome is flashed over the same search."""
    conference = db.first_or_404(db.select(Conference).filter_by(slug=slug))
    query = request.form.get("q", "")[:QUERY_MAX_LENGTH]
    value = request.form.get("scope", "")
    client_id = request.form.get("client_id", "")
    try:
        panel_id, day = scope_of(value)
        scan = checkin.Scan(
            client_id=client_id if CLIENT_ID.match(client_id) else uuid.uuid4().hex,
            panel_id=panel_id,
            day=day,
            registration_id=parse_id(request.form.get("registration_id")),
        )
        outcome = checkin.check_in(conference, scan, current_user.id)
    except AttendanceError as error:
        flash(error.reason, "error")
    else:
        flash(outcome.message, "success")
        if outcome.warning:
            flash(outcome.warning, "info")
    return redirect(url_for("attendance.checkin", slug=slug, q=query, scope=value or None))
