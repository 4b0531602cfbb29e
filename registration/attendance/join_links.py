"""Personal join links: a click records online attendance and leads to the meeting."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext

from registration import signed_tokens as tokens
from registration.attendance.errors import (
    LinkExpiredError,
    NotAdmittedError,
    NotFoundError,
    PanelCancelledError,
)
from registration.attendance.models import AttendanceSource
from registration.attendance.recording import REFUSED_STATUSES, Scope, record_fact
from registration.conferences.models import Panel
from registration.database import db, utcnow
from registration.signup.models import Registration

JOIN_GRACE = timedelta(hours=12)
# Opening a join link earlier than this before the session is not attendance: mail security
# scanners follow every link when the invitation arrives, and people try their link in advance.
JOIN_EARLY = timedelta(hours=1)


def record_join(token: str, now: datetime | None = None, *, record: bool = True) -> str:
    """Record an online join from a personal link; returns the meeting URL to redirect to.

    `record=False` (a HEAD request, as link checkers send) only validates the link; so does
    a visit more than `JOIN_EARLY` before the session starts. A refusal (AttendanceError)
    comes before anything is recorded, so the session stays clean.
    """
    now = now or utcnow()
    try:
        claim = tokens.read_join(token)
    except tokens.TokenError:
        raise NotFoundError(
            gettext("This join link is not valid. Please use the link from your invitation.")
        ) from None
    registration = db.session.get(Registration, claim.registration_id)
    panel = db.session.get(Panel, claim.panel_id)
    if registration is None or panel is None or panel.conference_id != registration.conference_id:
        raise NotFoundError(gettext("This join link is not valid any more."))
    if registration.status in REFUSED_STATUSES:
        raise NotAdmittedError(
            gettext("This registration was withdrawn or declined; the link no longer works.")
        )
    if panel.is_cancelled:
        raise PanelCancelledError(gettext("This session was cancelled."))
    if now > panel.ends_at + JOIN_GRACE:
        raise LinkExpiredError(gettext("This join link has expired: the session is over."))
    url = panel.join_url or panel.conference.online_url
    if not url:
        raise NotFoundError(gettext("The meeting link for this session is not published yet."))
    if not record or now < panel.starts_at - JOIN_EARLY:
        return url
    minute = now.replace(second=0, microsecond=0).isoformat()
    record_fact(
        registration,
        Scope(panel=panel),
        AttendanceSource.JOIN_LINK,
        occurred_at=now,
        dedup_key=f"join:{registration.id}:{panel.id}:{minute}",
    )
    db.session.commit()
    return url
