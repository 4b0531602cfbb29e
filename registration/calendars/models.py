"""What each participant was last sent about each panel (their calendar's view of it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from registration.database import db, utcnow


class CalendarNotice(db.Model):
    """The last calendar message queued to one registration about one panel.

    Written in the same transaction as that message's outbox row. `method` is REQUEST or
    CANCEL; `panel_sequence` the panel's SEQUENCE it described, `sequence` the SEQUENCE it
    carried (raised past the one before, so every message outranks the last in a calendar);
    `mode` the attendance mode a REQUEST was for (None: a CANCEL, or a request recorded
    before modes were part of it, which stands for either mode).
    """

    __tablename__ = "calendar_notices"

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True
    )
    panel_id: Mapped[int] = mapped_column(
        ForeignKey("panels.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    method: Mapped[str] = mapped_column(String(8))
    panel_sequence: Mapped[int]
    sequence: Mapped[int]
    mode: Mapped[str | None] = mapped_column(String(16))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class RemovedPanelAttendee(db.Model):
    """An attendee owed a CANCEL for a panel that was deleted: copied from its notices, in
    one statement, by the request that removes it (the notices go with the panel), and
    taken off by the worker of the removal job as it queues each CANCEL."""

    __tablename__ = "removed_panel_attendees"

    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True
    )
    sequence: Mapped[int]  # the SEQUENCE of the last message they had about the panel
