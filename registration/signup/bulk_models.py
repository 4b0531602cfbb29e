"""What a bulk action did to each registration: one row per job and registration, written in
the transaction that decides it (or queues its message), so a job run again skips it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from registration.database import db, utcnow


class BulkOutcome(db.Model):
    __tablename__ = "bulk_outcomes"
    __table_args__ = (UniqueConstraint("job_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    done: Mapped[bool]
    # Why it was not done: the single decision's refusal as its message (the English msgid,
    # translated where it is shown) and the values it is filled with. Rows from before
    # 2026-12-06 hold the English sentence and no values.
    reason: Mapped[str] = mapped_column(Text, default="")
    reason_values: Mapped[dict[str, str]] = mapped_column(
        JSON().with_variant(JSONB(), "postgresql"), default=dict, server_default=text("'{}'")
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)
