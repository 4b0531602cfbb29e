"""Check-in on a phone: badge scans and check-ins by name, their undo, and the search.

These functions own their transactions and raise `errors.AttendanceError`s, always before
recording anything (the session stays clean); the check-in API (`checkin_api`), the desk
without script (`checkin_desk`) and the programs' API read the requests and write the
answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext
from sqlalchemy import func, or_

from registration import signed_tokens as tokens
from registration.attendance.errors import (
    MalformedError,
    NotAdmittedError,
    NotFoundError,
    PanelCancelledError,
)
from registration.attendance.models import AttendanceEvent, AttendanceRecord, AttendanceSource
from registration.attendance.recording import REFUSED_STATUSES, Scope, recompute, record_fact
from registration.audit import recorder as audit
from registration.conferences.models import Conference, Panel
from registration.database import db, utcnow
from registration.directory.services import member_name
from registration.i18n import N_, format_clock, page_language, strftime, translate, zone_label
from registration.jobs.events import announce
from registration.signup.models import AttendanceMode, Registration, RegistrationStatus
from registration.stored_text import Shown


@dataclass(frozen=True)
class Scan:
    """A check-in asked for: a scanner's own id for it, where it counts (a panel or a day),
    and who (a badge's code or a registration found by name)."""

    client_id: str
    panel_id: int | None = None
    day: date | None = None
    badge: str | None = None
    registration_id: int | None = None


@dataclass(frozen=True)
class Attendee:
    """The person a check-in is about, as read before it was saved."""

    id: int
    name: str
    member: str
    institution: Shown
    mode: AttendanceMode
    status: RegistrationStatus

    @classmethod
    def of(cls, registration: Registration) -> Attendee:
        """The person, their state and known institution named in the page's language (an
        unknown institution as typed, with the language it is typed in)."""
        language = page_language()
        return cls(
            registration.id,
            registration.name,
            member_name(registration.member, language),
            registration.institution_in(language),
            registration.mode,
            registration.status,
        )

    @property
    def refused(self) -> bool:
        return self.status in REFUSED_STATUSES


@dataclass(frozen=True)
class Outcome:
    """What a check-in or undo did, as the phone page shows it."""

    status: str  # checked_in, already_checked_in, duplicate or undone
    message: str
    attendee: Attendee
    client_id: str
    warning: str = ""


@dataclass(frozen=True)
class Candidate:
    """A registration found by name, and whether it is checked in where the search looks."""

    attendee: Attendee
    checked_in: bool


def conference_days(conference: Conference) -> list[date]:
    """The conference's days, in its own time zone."""
    first = conference.local(conference.starts_at).date()
    last = conference.local(conference.ends_at).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def resolve_scope(conference: Conference, panel_id: int | None, day: date | None) -> Scope:
    """The scope named by a request: exactly one of a panel of this conference or a day."""
    if (panel_id is None) == (day is None):
        raise MalformedError(gettext("Choose either a panel or a day."))
    if panel_id is not None:
        panel = db.session.get(Panel, panel_id)
        if panel is None or panel.conference_id != conference.id:
            raise NotFoundError(gettext("This panel is not part of this conference."))
        if panel.is_cancelled:
            raise PanelCancelledError(gettext("This panel is cancelled."))
        return Scope(panel=panel)
    assert day is not None
    if day not in conference_days(conference):
        raise MalformedError(gettext("This day is not a day of the conference."))
    return Scope(day=day)


def _registration_from_badge(conference: Conference, badge: str) -> Registration:
    try:
        claim = tokens.read_badge(badge)
    except tokens.TokenError:
        raise NotAdmittedError(
            gettext("Not a valid badge: the code is forged or damaged.")
        ) from None
    registration = db.session.get(Registration, claim.registration_id)
    if registration is None or registration.conference_id != claim.conference_id:
        raise NotAdmittedError(gettext("This badge belongs to no registration any more."))
    if registration.conference_id != conference.id:
        raise NotAdmittedError(
            gettext(
                "This badge is for another conference (%(title)s).",
                title=registration.conference.shown("title").text,
            )
        )
    return registration


def _registration_by_id(conference: Conference, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.conference_id != conference.id:
        raise NotFoundError(gettext("No such participant in this conference."))
    return registration


@dataclass(frozen=True)
class ScanRows:
    """What a badge scan on a panel reads, in one query."""

    recorded: AttendanceEvent | None
    registration: Registration
    panel: Panel | None


def _read_scan_rows(scan: Scan, dedup_key: str) -> ScanRows | None:
    """The fact already recorded under this client id, the badge's registration and the panel.

    One query instead of three for the usual scan: while the rows are held, the checks that
    follow find the registration and the panel in the session (`db.session.get`) without a
    query, and still decide and report as usual. None for anything else (a day, a
    registration id, a damaged badge, an unknown registration): the checks then read on
    their own.
    """
    if scan.badge is None or scan.panel_id is None:
        return None
    try:
        claim = tokens.read_badge(scan.badge)
    except tokens.TokenError:
        return None
    row = db.session.execute(
        db.select(Registration, Panel, AttendanceEvent)
        .select_from(Registration)
        .outerjoin(Panel, Panel.id == scan.panel_id)
        .outerjoin(AttendanceEvent, AttendanceEvent.dedup_key == dedup_key)
        .where(Registration.id == claim.registration_id)
    ).first()
    if row is None:
        return None
    return ScanRows(recorded=row.AttendanceEvent, registration=row.Registration, panel=row.Panel)


def _duplicate(registration: Registration, client_id: str) -> Outcome:
    message = gettext("%(name)s: this scan was already recorded.", name=registration.name)
    return Outcome("duplicate", message, Attendee.of(registration), client_id)


def _who(conference: Conference, scan: Scan) -> tuple[Registration, AttendanceSource]:
    """The registration a scan names, and how it was named; refused ones are not admitted."""
    if scan.badge is not None:
        registration = _registration_from_badge(conference, scan.badge)
        source = AttendanceSource.QR_SCAN
    elif scan.registration_id is not None:
        registration = _registration_by_id(conference, scan.registration_id)
        source = AttendanceSource.MANUAL
    else:
        raise MalformedError(
            gettext("Send a badge code (payload) or a participant (registration_id).")
        )
    if registration.status in REFUSED_STATUSES:
        raise NotAdmittedError(
            gettext(
                "%(name)s: registration %(status)s — do not admit.",
                name=registration.name,
                status=translate(registration.status.label).lower(),
            )
        )
    return registration, source


def check_in(conference: Conference, scan: Scan, user_id: int | None) -> Outcome:
    """Record an in-person check-in from a badge (or a registration found by name).

    A client_id already recorded answers "already recorded" without a second fact.
    """
    dedup_key = f"scan:{scan.client_id}"
    rows = _read_scan_rows(scan, dedup_key)
    if rows is not None:
        existing = rows.recorded
    else:
        existing = db.session.scalar(db.select(AttendanceEvent).filter_by(dedup_key=dedup_key))
    if existing is not None:
        return _duplicate(existing.registration, scan.client_id)
    scope = resolve_scope(conference, scan.panel_id, scan.day)
    registration, source = _who(conference, scan)
    recorded = record_fact(
        registration, scope, source, occurred_at=utcnow(), dedup_key=dedup_key, user_id=user_id
    )
    if recorded is None:
        db.session.rollback()
        return _duplicate(db.session.get_one(Registration, registration.id), scan.client_id)
    warning = ""
    if registration.status is not RegistrationStatus.APPROVED:
        warning = gettext(
            "Registration is %(status)s, not approved.",
            status=translate(registration.status.label).lower(),
        )
    if recorded.previous_mode is AttendanceMode.IN_PERSON and recorded.previous_first_seen:
        local = conference.local(recorded.previous_first_seen)
        message = gettext(
            "%(name)s was already checked in at %(time)s (%(zone)s): %(scope)s.",
            name=registration.name,
            time=format_clock(local),
            zone=zone_label(local, conference.timezone),
            scope=_shown(scope),
        )
        status = "already_checked_in"
    else:
        message = gettext(
            "%(name)s checked in: %(scope)s.", name=registration.name, scope=_shown(scope)
        )
        status = "checked_in"
    outcome = Outcome(status, message, Attendee.of(registration), scan.client_id, warning)
    _audit("attendance.checked_in", registration, *scope.note(source))
    if status == "checked_in":
        where = {"id": registration.id, "scope": scope.key, "source": str(source)}
        announce("attendance.checked_in", conference_id=conference.id, registration=where)
    db.session.commit()
    return outcome


def _shown(scope: Scope) -> str:
    """What a check-in counts for, in the page's language (`Scope.note` is the audit's)."""
    if scope.panel:
        panel = scope.panel
        room = f" ({panel.shown('room').text})" if panel.room else ""
        return f"{panel.shown('title').text}{room}"
    return gettext("Day %(date)s", date=strftime(scope.day, "%d %B %Y")) if scope.day else ""


def _scope_note(event: AttendanceEvent) -> tuple[str, dict[str, str]]:
    kind, _, value = event.scope.partition(":")
    if kind == "panel":
        panel = db.session.get(Panel, int(value))
        return Scope(panel=panel).note() if panel else (N_("Panel: %(panel)s"), {"panel": value})
    return Scope(day=date.fromisoformat(value)).note()


def _audit(action: str, registration: Registration, note: str, values: dict[str, str]) -> None:
    audit.record(
        action,
        subject_type="registration",
        subject_id=registration.id,
        subject=registration.name,
        conference_id=registration.conference_id,
        registration_id=registration.id,
        note=note,
        note_values=values,
    )


def undo_check_in(conference: Conference, client_id: str) -> Outcome:
    """Undo the check-in made with this client_id (undoing twice is harmless)."""
    event = db.session.scalar(
        db.select(AttendanceEvent)
        .join(Registration, Registration.id == AttendanceEvent.registration_id)
        .where(
            AttendanceEvent.dedup_key == f"scan:{client_id}",
            Registration.conference_id == conference.id,
        )
    )
    if event is None:
        raise NotFoundError(gettext("No check-in with this client_id in this conference."))
    attendee = Attendee.of(event.registration)
    if event.undone_at is None:
        record = db.session.execute(
            db.select(AttendanceRecord)
            .filter_by(registration_id=event.registration_id, scope=event.scope)
            .with_for_update()
        ).scalar_one_or_none()
        event.undone_at = utcnow()
        db.session.flush()
        if record is not None:
            recompute(record)
        _audit("attendance.check_in_undone", event.registration, *_scope_note(event))
        db.session.commit()
    message = gettext("Check-in of %(name)s undone.", name=attendee.name)
    return Outcome("undone", message, attendee, client_id)


def search_participants(
    conference: Conference, query: str, scope: Scope | None, limit: int = 20
) -> list[Candidate]:
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
    return [Candidate(Attendee.of(r), r.id in checked) for r in registrations]
