"""Who attended what, in which mode, and the facts (events) each figure is derived from.

Rule for a participant seen both ways: **in person wins**. A record (one registration in
one scope: a panel or a conference day) is in person when any live in-person fact exists
(QR scan or manual check-in), otherwise online. At conference level a participant with any
in-person record is counted in person, otherwise online; always counted once.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registration.conferences.models import Panel
from registration.database import db, str_enum, utcnow
from registration.i18n import N_
from registration.signup.models import AttendanceMode, Registration


class AttendanceSource(enum.StrEnum):
    QR_SCAN = "qr_scan"
    MANUAL = "manual"
    JOIN_LINK = "join_link"
    ZOOM_REPORT = "zoom_report"
    TEAMS_REPORT = "teams_report"

    @property
    def label(self) -> str:
        return {
            "qr_scan": N_("QR scan"),
            "manual": N_("Manual check-in"),
            "join_link": N_("Join link"),
            "zoom_report": N_("Zoom report"),
            "teams_report": N_("Teams report"),
        }[self.value]

    @property
    def mode(self) -> AttendanceMode:
        """The mode a fact of this source proves."""
        if self in {AttendanceSource.QR_SCAN, AttendanceSource.MANUAL}:
            return AttendanceMode.IN_PERSON
        return AttendanceMode.ONLINE


def panel_scope(panel_id: int) -> str:
    return f"panel:{panel_id}"


def day_scope(day: date) -> str:
    return f"day:{day.isoformat()}"


class AttendanceRecord(db.Model):
    """One registration seen in one scope (a panel, or a conference day); derived from events.

    It exists while at least one live (not undone) event of the same registration and scope
    does; the events outlive it, so an undone scan stays known by its client id.
    """

    __tablename__ = "attendance_records"
    __table_args__ = (UniqueConstraint("registration_id", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    scope: Mapped[str] = mapped_column(String(40))
    panel_id: Mapped[int | None] = mapped_column(
        ForeignKey("panels.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date | None]
    mode: Mapped[AttendanceMode] = mapped_column(str_enum(AttendanceMode))
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    online_minutes: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    registration: Mapped[Registration] = relationship()
    panel: Mapped[Panel | None] = relationship()

    def __repr__(self) -> str:
        return f"<AttendanceRecord {self.registration_id} {self.scope} {self.mode}>"


class AttendanceEvent(db.Model):
    """One fact: a scan, a manual check-in, a join-link click or a row of a meeting report.

    `dedup_key` makes a fact recorded once: `scan:<client id>` for a check-in (a retried
    scan carries the same client id), `<source>:<panel>:<row hash>` for a report row.
    """

    __tablename__ = "attendance_events"
    __table_args__ = (Index("ix_attendance_events_registration_scope", "registration_id", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(String(40))
    source: Mapped[AttendanceSource] = mapped_column(str_enum(AttendanceSource))
    dedup_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    occurred_at: Mapped[datetime]
    left_at: Mapped[datetime | None]
    minutes: Mapped[int | None]
    detail: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    undone_at: Mapped[datetime | None]

    registration: Mapped[Registration] = relationship()

    def __repr__(self) -> str:
        return f"<AttendanceEvent {self.id} {self.source} {self.dedup_key}>"
