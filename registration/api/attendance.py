"""Attendance through the API, for organisers' tokens (as the attendance pages): the
figures, the records they are counted from, and check-in."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint, abort

from registration.api import auth
from registration.api.attendance_schemas import (
    CheckInSchema,
    FiguresSchema,
    OutcomeSchema,
    RecordPageSchema,
    RecordQuerySchema,
)
from registration.attendance import checkin, figures
from registration.attendance.errors import (
    AttendanceError,
    MalformedError,
    NotAdmittedError,
    NotFoundError,
    PanelCancelledError,
)
from registration.attendance.models import AttendanceRecord
from registration.database import db

bp = Blueprint(
    "attendance-api",
    __name__,
    url_prefix="/api/v1",
    description="Attendance figures, records and check-in, with an organiser's token.",
)
auth.guard(bp)
STATUS = {MalformedError: 422, NotFoundError: 404, PanelCancelledError: 409, NotAdmittedError: 422}


def _organisers(slug: str) -> auth.ConferenceAccess:
    access = auth.conference_access(slug)
    if access.member_ids is not None:
        abort(403, message="Only the secretariat's organisers see attendance.")
    return access


@bp.get("/conferences/<slug>/attendance")
@bp.response(200, FiguresSchema)
@bp.doc(security=auth.SECURITY)
def attendance_figures(slug: str) -> dict[str, Any]:
    """Registered and attended, in person and online, in total and per member."""
    found = figures.conference_figures(_organisers(slug).conference)
    return found.as_json()


@bp.get("/conferences/<slug>/attendance/records")
@bp.arguments(RecordQuerySchema, location="query", as_kwargs=False)
@bp.response(200, RecordPageSchema)
@bp.doc(security=auth.SECURITY)
def records(query: dict[str, Any], slug: str) -> dict[str, Any]:
    """Who was seen where (a panel or a day), in which mode: the facts behind the figures."""
    conference = _organisers(slug).conference
    after = int(query["cursor"].removeprefix("a"), 16) if "cursor" in query else 0
    found = list(
        db.session.scalars(
            db.select(AttendanceRecord)
            .where(AttendanceRecord.conference_id == conference.id, AttendanceRecord.id > after)
            .order_by(AttendanceRecord.id)
            .limit(query["limit"] + 1)
        )
    )
    page = found[: query["limit"]]
    more = len(found) > query["limit"]
    return {
        "items": [_record(r) for r in page],
        "next_cursor": f"a{page[-1].id:x}" if more else None,
    }


def _record(record: AttendanceRecord) -> dict[str, Any]:
    return {
        "registration": record.registration_id,
        "panel": record.panel_id,
        "day": record.day,
        "mode": record.mode,
        "first_seen": record.first_seen,
        "last_seen": record.last_seen,
        "online_minutes": record.online_minutes,
    }


@bp.post("/conferences/<slug>/checkins")
@bp.arguments(CheckInSchema)
@bp.response(200, OutcomeSchema)
@bp.doc(security=auth.SECURITY)
def check_in(data: dict[str, Any], slug: str) -> dict[str, Any]:
    """Check someone in at a panel or on a day, by badge code or registration id; the same
    `client_id` sent again is recorded once."""
    conference = _organisers(slug).conference
    scan = checkin.Scan(
        client_id=data["client_id"],
        panel_id=data.get("panel"),
        day=data.get("day"),
        badge=data.get("badge"),
        registration_id=data.get("registration"),
    )
    try:
        outcome = checkin.check_in(conference, scan, auth.current_token().user_id)
    except AttendanceError as refusal:
        db.session.rollback()
        abort(STATUS.get(type(refusal), 422), message=refusal.reason)
    return {
        "status": outcome.status,
        "message": outcome.message,
        "warning": outcome.warning,
        "registration": outcome.attendee.id,
        "name": outcome.attendee.name,
    }
