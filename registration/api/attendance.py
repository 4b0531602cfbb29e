"""Attendance through the API, with the permissions of the attendance pages: the figures,
the records they are counted from (personal data: an export), and check-in."""

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
from registration.staff.roles import Permission

bp = Blueprint(
    "attendance-api",
    __name__,
    url_prefix="/api/v1",
    description="Attendance figures, records and check-in, with the attendance pages' rights.",
)
auth.guard(bp)
STATUS = {MalformedError: 422, NotFoundError: 404, PanelCancelledError: 409, NotAdmittedError: 422}


def _staff(slug: str, permission: Permission) -> auth.ConferenceAccess:
    """Attendance is the conference staff's: a focal point is refused it."""
    return auth.conference_access(slug, permission, focal_points=False)


@bp.get("/conferences/<slug>/attendance")
@bp.response(200, FiguresSchema)
@bp.doc(security=auth.SECURITY)
def attendance_figures(slug: str) -> dict[str, Any]:
    """Registered and attended, in person and online, in total and per member."""
    found = figures.conference_figures(_staff(slug, Permission.FIGURES).conference)
    return found.as_json()


@bp.get("/conferences/<slug>/attendance/records")
@bp.arguments(RecordQuerySchema, location="query", as_kwargs=False)
@bp.response(200, RecordPageSchema)
@bp.doc(security=auth.SECURITY)
def records(query: dict[str, Any], slug: str) -> dict[str, Any]:
    """Who was seen where (a panel or a day), in which mode: the facts behind the figures
    (as the attendance export, so not for check-in staff)."""
    conference = _staff(slug, Permission.EXPORT).conference
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
    conference = _staff(slug, Permission.CHECK_IN).conference
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
        abort(STATUS.get(type(refusal), 422), message=refusal.reason)
    return {
        "status": outcome.status,
        "message": outcome.message,
        "warning": outcome.warning,
        "registration": outcome.attendee.id,
        "name": outcome.attendee.name,
    }
