"""Recording attendance facts: every fact is an `AttendanceEvent`; the `AttendanceRecord` of
its registration and scope is recomputed from the live events each time (see models.py for
the in-person-wins rule)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from registration.attendance.models import (
    AttendanceEvent,
    AttendanceRecord,
    AttendanceSource,
    day_scope,
    panel_scope,
)
from registration.conferences.models import Panel
from registration.database import db, insert_ignoring_conflicts, utcnow
from registration.i18n import N_
from registration.signup.models import AttendanceMode, Registration, RegistrationStatus

REFUSED_STATUSES = {RegistrationStatus.WITHDRAWN, RegistrationStatus.REJECTED}


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

    def note(self, source: AttendanceSource | None = None) -> tuple[str, dict[str, str]]:
        """The audit note's message and values: the panel as stored (title and room), or the
        day (ISO date), and how the check-in was made; worded where the log is shown."""
        if self.panel:
            room = f" ({self.panel.room})" if self.panel.room else ""
            where = {"panel": f"{self.panel.title}{room}"}
            message = N_("%(panel)s: %(source)s") if source else N_("Panel: %(panel)s")
        else:
            where = {"date": self.day.isoformat() if self.day else ""}
            message = N_("Day %(date)s: %(source)s") if source else N_("Day %(date)s")
        return message, {**where, "source": source.label} if source else where


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
    new_record, record = _new_or_locked_record(
        registration, scope, source.mode, occurred_at, left_at or occurred_at, minutes or 0
    )
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
        recompute(record)
    return before


def _new_or_locked_record(
    registration: Registration,
    scope: Scope,
    mode: AttendanceMode,
    first_seen: datetime,
    last_seen: datetime,
    minutes: int,
) -> tuple[int | None, AttendanceRecord | None]:
    """The id of a record inserted complete for this fact, or the existing record, locked."""
    new_record = insert_ignoring_conflicts(
        AttendanceRecord,
        {
            "registration_id": registration.id,
            "conference_id": registration.conference_id,
            "scope": scope.key,
            "panel_id": scope.panel.id if scope.panel else None,
            "day": scope.day,
            "mode": mode,
            "first_seen": first_seen,
            "last_seen": last_seen,
            "online_minutes": minutes,
            "updated_at": utcnow(),
        },
    )
    if new_record is not None:
        return new_record, None
    record = db.session.execute(
        db.select(AttendanceRecord)
        .filter_by(registration_id=registration.id, scope=scope.key)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    return None, record


def recompute(record: AttendanceRecord) -> AttendanceRecord | None:
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
