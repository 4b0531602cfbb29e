"""What a bulk action did to each registration: one row per job and registration, written in
the transaction that decides it (or queues its message), so a job run again skips it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from registration.database import db, utcnow


class BulkOutcome(db.Model):
    __tablename__ = "bulk_outcomes"
    __table_args__ = (UniqueConstraint("job_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    done: Mapped[bool]
    # Why it was not done, in the organiser's words (the single decision's refusal).
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
