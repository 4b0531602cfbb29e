"""Recording attendance: check-in scans, join-link clicks and meeting-report rows.

Every fact is an `AttendanceEvent`; the `AttendanceRecord` of its registration and scope is
recomputed from the live events each time (see models.py for the in-person-wins rule).
These functions own their transactions.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_

from registration.attendance import tokens
from registration.attendance.models import (
    AttendanceEvent,
    AttendanceRecord,
    AttendanceSource,
    day_scope,
    panel_scope,
)
from registration.attendance.reports import ReportRow
from registration.conferences.models import Conference, Panel
from registration.database import db, insert_ignoring_conflicts, parse_id, utcnow
from registration.mail.compose import Attachment, Mail
from registration.mail.models import OutgoingMail
from registration.mail.outbox import queue_mail
from registration.signup.models import AttendanceMode, Registration, RegistrationStatus

CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,100}$")
JOIN_GRACE = timedelta(hours=12)
# Opening a join link earlier than this before the session is not attendance: mail security
# scanners follow every link when the invitation arrives, and people try their link in advance.
JOIN_EARLY = timedelta(hours=1)
REFUSED_STATUSES = {RegistrationStatus.WITHDRAWN, RegistrationStatus.REJECTED}


class RefusedError(Exception):
    """A request we turn down, with the reason shown to the organiser and an HTTP status."""

    def __init__(self, reason: str, status: int = 422) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class Scope:
    """Where a check-in counts: one panel, or one conference day."""

    panel: Panel | None = None
    day: date | None = None

    @property
    def key(self) -> str:
        if self.panel is not None:
            return panel_scope(self.panel.id)
        assert self.day is not None, "a scope is a panel or a day"
        return day_scope(self.day)

    @property
    def label(self) -> str:
        if self.panel:
            room = f" ({self.panel.room})" if self.panel.room else ""
            return f"{self.panel.title}{room}"
        return f"Day {self.day:%d %B %Y}" if self.day else ""


@dataclass
class Outcome:
    """What a check-in, undo or join did, as the phone page shows it."""

    status: str
    message: str
    registration: dict[str, Any] | None = None
    warning: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"status": self.status, "message": self.message, **self.extra}
        if self.warning:
            data["warning"] = self.warning
        if self.registration is not None:
            data["registration"] = self.registration
        return data


def registration_json(registration: Registration) -> dict[str, Any]:
    return {
        "id": registration.id,
        "name": registration.name,
        "member": registration.member.name,
        "institution": registration.institution,
        "registered_mode": registration.mode.value,
        "status": registration.status.value,
    }


# --- recording facts ------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    """A fact was added; what its record said before (None when the record is new)."""

    previous_mode: AttendanceMode | None = None
    previous_first_seen: datetime | None = None


def record_fact(
    registration: Registration,
    scope: Scope,
    source: AttendanceSource,
    *,
    occurred_at: datetime,
    left_at: datetime | None = None,
    minutes: int | None = None,
    dedup_key: str | None = None,
    detail: str = "",
    user_id: int | None = None,
) -> Recorded | None:
    """Add one fact and update its record; None when the dedup key was already used.

    Does not commit. Safe under concurrency: the record and the event are inserted with
    ON CONFLICT DO NOTHING; an existing record is locked (FOR UPDATE) and recomputed from
    its live events. A new record is written complete, so the common first scan costs two
    INSERTs.
    """
    new_record = insert_ignoring_conflicts(
        AttendanceRecord,
        {
            "registration_id": registration.id,
            "conference_id": registration.conference_id,
            "scope": scope.key,
            "panel_id": scope.panel.id if scope.panel else None,
            "day": scope.day,
            "mode": source.mode,
            "first_seen": occurred_at,
            "last_seen": left_at or occurred_at,
            "online_minutes": minutes or 0,
            "updated_at": utcnow(),
        },
    )
    record = None
    if new_record is None:
        record = db.session.execute(
            db.select(AttendanceRecord)
            .filter_by(registration_id=registration.id, scope=scope.key)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).scalar_one()
    before = Recorded(record.mode, record.first_seen) if record else Recorded()
    inserted = insert_ignoring_conflicts(
        AttendanceEvent,
        {
            "registration_id": registration.id,
            "scope": scope.key,
            "source": source,
            "dedup_key": dedup_key,
            "occurred_at": occurred_at,
            "left_at": left_at,
            "minutes": minutes,
            "detail": detail,
            "recorded_by_id": user_id,
            "recorded_at": utcnow(),
        },
    )
    if inserted is None:
        if new_record is not None:
            db.session.execute(db.delete(AttendanceRecord).filter_by(id=new_record))
        return None
    if record is not None:
        _recompute(record)
    return before


def _recompute(record: AttendanceRecord) -> AttendanceRecord | None:
    """Derive mode, first/last seen and online minutes from the live events; drop if none."""
    events = db.session.scalars(
        db.select(AttendanceEvent).filter_by(
            registration_id=record.registration_id, scope=record.scope, undone_at=None
        )
    ).all()
    if not events:
        db.session.delete(record)
        return None
    in_person = any(e.source.mode is AttendanceMode.IN_PERSON for e in events)
    record.mode = AttendanceMode.IN_PERSON if in_person else AttendanceMode.ONLINE
    record.first_seen = min(e.occurred_at for e in events)
    record.last_seen = max(e.left_at or e.occurred_at for e in events)
    minutes_by_source: dict[AttendanceSource, int] = defaultdict(int)
    for event in events:
        if event.minutes:
            minutes_by_source[event.source] += event.minutes
    record.online_minutes = max(minutes_by_source.values(), default=0)
    return record


# --- check-in on a phone --------------------------------------------------------------


def conference_days(conference: Conference) -> list[date]:
    """The conference's days, in its own time zone."""
    first = conference.local(conference.starts_at).date()
    last = conference.local(conference.ends_at).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _number(value: Any, what: str) -> int:
    """An id sent by a client: 400 if it is not a whole number; a number no database id can
    be is a 404, like any unknown id."""
    if isinstance(value, str):
        value = value.strip()
    number = parse_id(value)
    if number is not None:
        return number
    if (isinstance(value, int) and not isinstance(value, bool)) or str(value).isdigit():
        raise RefusedError(f"No such {what} in this conference.", 404)
    raise RefusedError(f"The {what} is not a number.", 400)


def resolve_scope(conference: Conference, panel_id: Any, day: Any) -> Scope:
    """The scope named by a request: exactly one of a panel of this conference or a day."""
    if (panel_id in (None, "")) == (day in (None, "")):
        raise RefusedError("Choose either a panel or a day.", 400)
    if panel_id not in (None, ""):
        panel = db.session.get(Panel, _number(panel_id, "panel"))
        if panel is None or panel.conference_id != conference.id:
            raise RefusedError("This panel is not part of this conference.", 404)
        if panel.is_cancelled:
            raise RefusedError("This panel is cancelled.", 409)
        return Scope(panel=panel)
    try:
        chosen = date.fromisoformat(str(day))
    except ValueError:
        raise RefusedError("The day is not a date (YYYY-MM-DD).", 400) from None
    if chosen not in conference_days(conference):
        raise RefusedError("This day is not a day of the conference.", 400)
    return Scope(day=chosen)


def _client_id(value: Any) -> str:
    if not isinstance(value, str) or not CLIENT_ID.match(value):
        raise RefusedError("Each scan needs a client_id of 8-100 letters, digits, '-' or '_'.", 400)
    return value


def _registration_from_badge(conference: Conference, payload: Any) -> Registration:
    if not isinstance(payload, str) or not payload.strip() or len(payload) > 500:
        raise RefusedError("No badge code was read.", 400)
    try:
        claim = tokens.read_badge(payload)
    except tokens.TokenError:
        raise RefusedError("Not a valid badge: the code is forged or damaged.") from None
    registration = db.session.get(Registration, claim.registration_id)
    if registration is None or registration.conference_id != claim.conference_id:
        raise RefusedError("This badge belongs to no registration any more.")
    if registration.conference_id != conference.id:
        raise RefusedError(
            f"This badge is for another conference ({registration.conference.title})."
        )
    return registration


def _registration_by_id(conference: Conference, registration_id: Any) -> Registration:
    registration = db.session.get(Registration, _number(registration_id, "participant"))
    if registration is None or registration.conference_id != conference.id:
        raise RefusedError("No such participant in this conference.", 404)
    return registration


@dataclass(frozen=True)
class ScanRows:
    """What a badge scan on a panel reads, in one query."""

    recorded: AttendanceEvent | None
    registration: Registration
    panel: Panel | None


def _read_scan_rows(data: dict[str, Any], dedup_key: str) -> ScanRows | None:
    """The fact already recorded under this client id, the badge's registration and the panel.

    One query instead of three for the usual scan: while the rows are held, the checks that
    follow find the registration and the panel in the session (`db.session.get`) without a
    query, and still decide and report as usual. None for anything else (a day, a
    registration id, a damaged badge, an unknown registration): the checks then read on
    their own.
    """
    payload, panel_id = data.get("payload"), data.get("panel_id")
    if not isinstance(payload, str) or len(payload) > 500 or type(panel_id) is not int:
        return None
    if parse_id(panel_id) is None:
        return None
    try:
        claim = tokens.read_badge(payload)
    except tokens.TokenError:
        return None
    row = db.session.execute(
        db.select(Registration, Panel, AttendanceEvent)
        .select_from(Registration)
        .outerjoin(Panel, Panel.id == panel_id)
        .outerjoin(AttendanceEvent, AttendanceEvent.dedup_key == dedup_key)
        .where(Registration.id == claim.registration_id)
    ).first()
    if row is None:
        return None
    return ScanRows(recorded=row.AttendanceEvent, registration=row.Registration, panel=row.Panel)


def check_in(conference: Conference, data: dict[str, Any], user_id: int | None) -> Outcome:
    """Record an in-person check-in from a QR payload (or a registration id found by name).

    A client_id already recorded answers "already recorded" without a second fact.
    """
    client_id = _client_id(data.get("client_id"))
    dedup_key = f"scan:{client_id}"
    rows = _read_scan_rows(data, dedup_key)
    if rows is not None:
        existing = rows.recorded
    else:
        existing = db.session.scalar(db.select(AttendanceEvent).filter_by(dedup_key=dedup_key))
    if existing is not None:
        registration = existing.registration
        return Outcome(
            "duplicate",
            f"{registration.name}: this scan was already recorded.",
            registration_json(registration),
            extra={"client_id": client_id},
        )
    scope = resolve_scope(conference, data.get("panel_id"), data.get("day"))
    if data.get("payload") not in (None, ""):
        registration = _registration_from_badge(conference, data["payload"])
        source = AttendanceSource.QR_SCAN
    elif data.get("registration_id") not in (None, ""):
        registration = _registration_by_id(conference, data["registration_id"])
        source = AttendanceSource.MANUAL
    else:
        raise RefusedError("Send a badge code (payload) or a participant (registration_id).", 400)
    if registration.status in REFUSED_STATUSES:
        raise RefusedError(
            f"{registration.name}: registration {registration.status.value} — do not admit."
        )
    recorded = record_fact(
        registration, scope, source, occurred_at=utcnow(), dedup_key=dedup_key, user_id=user_id
    )
    if recorded is None:
        db.session.rollback()
        registration = db.session.get(Registration, registration.id)
        return Outcome(
            "duplicate",
            f"{registration.name}: this scan was already recorded.",
            registration_json(registration),
            extra={"client_id": client_id},
        )
    warning = ""
    if registration.status is not RegistrationStatus.APPROVED:
        warning = f"Registration is {registration.status.value}, not approved."
    if recorded.previous_mode is AttendanceMode.IN_PERSON and recorded.previous_first_seen:
        local = conference.local(recorded.previous_first_seen).strftime("%H:%M")
        message = f"{registration.name} was already checked in at {local} ({scope.label})."
        status = "already_checked_in"
    else:
        message = f"{registration.name} checked in: {scope.label}."
        status = "checked_in"
    outcome = Outcome(
        status, message, registration_json(registration), warning, {"client_id": client_id}
    )
    db.session.commit()
    return outcome


def undo_check_in(conference: Conference, data: dict[str, Any]) -> Outcome:
    """Undo the check-in made with this client_id (undoing twice is harmless)."""
    client_id = _client_id(data.get("client_id"))
    event = db.session.scalar(
        db.select(AttendanceEvent)
        .join(Registration, Registration.id == AttendanceEvent.registration_id)
        .where(
            AttendanceEvent.dedup_key == f"scan:{client_id}",
            Registration.conference_id == conference.id,
        )
    )
    if event is None:
        raise RefusedError("No check-in with this client_id in this conference.", 404)
    person = registration_json(event.registration)
    if event.undone_at is None:
        record = db.session.execute(
            db.select(AttendanceRecord)
            .filter_by(registration_id=event.registration_id, scope=event.scope)
            .with_for_update()
        ).scalar_one_or_none()
        event.undone_at = utcnow()
        db.session.flush()
        if record is not None:
            _recompute(record)
        db.session.commit()
    return Outcome(
        "undone", f"Check-in of {person['name']} undone.", person, extra={"client_id": client_id}
    )


def search_participants(
    conference: Conference, query: str, scope: Scope | None, limit: int = 20
) -> list[dict[str, Any]]:
    """Registrations whose name or e-mail contains the query, with their check-in state."""
    words = query.strip()
    if len(words) < 2:
        return []
    pattern = f"%{words.lower()}%"
    registrations = db.session.scalars(
        db.select(Registration)
        .where(
            Registration.conference_id == conference.id,
            or_(
                func.lower(Registration.name).like(pattern),
                func.lower(Registration.email).like(pattern),
            ),
        )
        .order_by(Registration.name)
        .limit(limit)
    ).all()
    checked: set[int] = set()
    if scope is not None and registrations:
        checked = set(
            db.session.scalars(
                db.select(AttendanceRecord.registration_id).where(
                    AttendanceRecord.scope == scope.key,
                    AttendanceRecord.mode == AttendanceMode.IN_PERSON,
                    AttendanceRecord.registration_id.in_([r.id for r in registrations]),
                )
            )
        )
    return [
        {
            **registration_json(r),
            "checked_in": r.id in checked,
            "refused": r.status in REFUSED_STATUSES,
        }
        for r in registrations
    ]


# --- personal join links ----------------------------------------------------------------


def record_join(token: str, now: datetime | None = None, *, record: bool = True) -> str:
    """Record an online join from a personal link; returns the meeting URL to redirect to.

    `record=False` (a HEAD request, as link checkers send) only validates the link; so does
    a visit more than `JOIN_EARLY` before the session starts.
    """
    now = now or utcnow()
    try:
        claim = tokens.read_join(token)
    except tokens.TokenError:
        raise RefusedError(
            "This join link is not valid. Please use the link from your invitation.", 404
        ) from None
    registration = db.session.get(Registration, claim.registration_id)
    panel = db.session.get(Panel, claim.panel_id)
    if registration is None or panel is None or panel.conference_id != registration.conference_id:
        raise RefusedError("This join link is not valid any more.", 404)
    if registration.status in REFUSED_STATUSES:
        raise RefusedError(
            "This registration was withdrawn or declined; the link no longer works.", 403
        )
    if panel.is_cancelled:
        raise RefusedError("This session was cancelled.", 410)
    if now > panel.ends_at + JOIN_GRACE:
        raise RefusedError("This join link has expired: the session is over.", 410)
    url = panel.join_url or panel.conference.online_url
    if not url:
        raise RefusedError("The meeting link for this session is not published yet.", 404)
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


# --- imported meeting reports -------------------------------------------------------------


@dataclass
class ImportPreview:
    matched: list[tuple[ReportRow, Registration, bool]]
    unmatched: list[ReportRow]

    @property
    def new_rows(self) -> int:
        return sum(1 for _, _, known in self.matched if not known)


def _row_key(source: AttendanceSource, panel: Panel, row: ReportRow) -> str:
    return f"{source.value}:{panel.id}:{row.digest()}"


def preview_report(panel: Panel, source: AttendanceSource, rows: list[ReportRow]) -> ImportPreview:
    """Match report rows to this conference's registrations by e-mail (case-insensitive)."""
    by_email = {
        r.email.strip().lower(): r
        for r in db.session.scalars(
            db.select(Registration).filter_by(conference_id=panel.conference_id)
        )
    }
    keys = [_row_key(source, panel, row) for row in rows]
    known = (
        set(
            db.session.scalars(
                db.select(AttendanceEvent.dedup_key).where(AttendanceEvent.dedup_key.in_(keys))
            )
        )
        if keys
        else set()
    )
    matched: list[tuple[ReportRow, Registration, bool]] = []
    unmatched: list[ReportRow] = []
    for row, key in zip(rows, keys, strict=True):
        registration = by_email.get(row.email.strip().lower()) if row.email else None
        if registration is None:
            unmatched.append(row)
        else:
            matched.append((row, registration, key in known))
    return ImportPreview(matched, unmatched)


def import_report(
    panel: Panel, source: AttendanceSource, rows: list[ReportRow], user_id: int | None
) -> int:
    """Record the matched rows of a meeting report; returns how many were new."""
    preview = preview_report(panel, source, rows)
    added = 0
    for row, registration, known in preview.matched:
        if known:
            continue
        recorded = record_fact(
            registration,
            Scope(panel=panel),
            source,
            occurred_at=row.joined_at,
            left_at=row.left_at,
            minutes=row.minutes,
            dedup_key=_row_key(source, panel, row),
            detail=f"{row.name} <{row.email}>",
            user_id=user_id,
        )
        added += recorded is not None
    db.session.commit()
    return added


# --- certificates of attendance ---------------------------------------------------------


def certificate_key(registration_id: int) -> str:
    return f"attendance-certificate:{registration_id}"


def _had_certificate(registration_id: int) -> bool:
    key = certificate_key(registration_id)
    return (
        db.session.scalar(
            db.select(OutgoingMail.id)
            .where(
                (OutgoingMail.idempotency_key == key)
                | OutgoingMail.idempotency_key.startswith(f"{key}:", autoescape=True)
            )
            .limit(1)
        )
        is not None
    )


def queue_certificate(registration_id: int, request_key: str | None = None) -> bool:
    """Put a certificate mail in the outbox for one attendee; False if not due or sent.

    Without `request_key` (the bulk send) once per attendee ever; an organiser's request for
    one person (`request_key` names it) sends again each time, once per request.
    """
    from registration.attendance.documents import ParticipantLine, certificate_pdf

    registration = db.session.get(Registration, registration_id)
    if registration is None or (request_key is None and _had_certificate(registration_id)):
        return False
    records = db.session.scalars(
        db.select(AttendanceRecord).filter_by(registration_id=registration_id)
    ).all()
    if not records:
        return False
    conference = registration.conference
    mail = Mail(
        to=registration.email,
        subject=f"Certificate of attendance — {conference.title}",
        text=(
            f"Dear {registration.name},\n\n"
            f"Thank you for taking part in the {conference.title}. Your certificate of "
            "attendance is attached.\n\nCICA Secretariat\n"
        ),
        attachments=[
            Attachment(
                filename=f"certificate-{conference.slug}-{registration.id}.pdf",
                content=certificate_pdf(ParticipantLine(registration, list(records))),
                maintype="application",
                subtype="pdf",
            )
        ],
    )
    key = certificate_key(registration_id) + (f":{request_key}" if request_key else "")
    row = queue_mail(mail, key=key, batch=f"certificates:{conference.id}")
    db.session.commit()
    return row is not None


def attendee_ids(conference_id: int) -> list[int]:
    """Registrations of the conference with any attendance, by id."""
    return list(
        db.session.scalars(
            db.select(AttendanceRecord.registration_id)
            .filter_by(conference_id=conference_id)
            .distinct()
            .order_by(AttendanceRecord.registration_id)
        )
    )


def certificate_progress(conference_id: int) -> dict[str, int]:
    """Certificate mails of a conference by outbox status."""
    rows = db.session.execute(
        db.select(OutgoingMail.status, func.count())
        .filter_by(batch=f"certificates:{conference_id}")
        .group_by(OutgoingMail.status)
    )
    return {status.value: count for status, count in rows}
