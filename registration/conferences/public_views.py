"""Public pages: the list of published conferences and each conference's programme."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue

from registration.conferences import services
from registration.conferences.models import ConferenceStatus
from registration.i18n import zoned

bp = Blueprint("public", __name__)


@bp.app_template_filter("utc_offset")
def utc_offset(instant: datetime, zone: str) -> str:
    """The zone's offset at that instant, e.g. 'UTC+08:00'."""
    offset = instant.astimezone(ZoneInfo(zone)).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


@bp.app_template_filter("local_zoned")
def local_zoned(instant: datetime | None, zone: str) -> str:
    """An instant with its zone's label, e.g. '28 December 2021, 09:30 (Asia/Shanghai,
    UTC+08:00)': the zone id and offset, not Babel's zone names (wrong for Kazakhstan)."""
    return zoned(instant, zone)


@bp.route("/")
def index() -> ResponseReturnValue:
    upcoming, past = services.published_conferences()
    return render_template("conferences/index.html", upcoming=upcoming, past=past)


@bp.route("/conferences/<slug>")
def conference(slug: str) -> ResponseReturnValue:
    found = services.conference_by_slug(slug)
    if found is None or found.status == ConferenceStatus.DRAFT:
        abort(404)
    return render_template(
        "conferences/conference.html",
        conference=found,
        days=services.programme_by_day(found),
        co_organizers=services.co_organizers(found),
        supporters=services.supporters(found),
    )
