"""The outbox: one row per message, sent by Celery workers (see workers/)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from registration.database import db, str_enum, utcnow


class MailStatus(enum.StrEnum):
    QUEUED = "queued"
    INFLIGHT = "inflight"
    AWAITING_RETRY = "awaiting_retry"
    SENT = "sent"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class OutgoingMail(db.Model):
    __tablename__ = "outgoing_mail"
    __table_args__ = (
        # Prefix searches (`LIKE 'itip:12:panel-%'`) use it on PostgreSQL in any collation.
        Index(
            "ix_outgoing_mail_idempotency_key_prefix",
            "idempotency_key",
            postgresql_ops={"idempotency_key": "varchar_pattern_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    batch: Mapped[str | None] = mapped_column(String(80), index=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(400))
    message_id: Mapped[str] = mapped_column(String(200))
    message: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[MailStatus] = mapped_column(
        str_enum(MailStatus),
        default=MailStatus.QUEUED,
        index=True,
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    sent_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<OutgoingMail {self.id} {self.recipient} {self.status}>"


class MailBatch(db.Model):
    """A bulk send run in the background (invitations, reminders), shown with a progress bar.

    Its outbox rows carry `batch == id`; `total` is known up front, so the page can show what
    remains before the background task has written every row.
    """

    __tablename__ = "mail_batches"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    conference_id: Mapped[int | None] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40), default="")
    label: Mapped[str] = mapped_column(String(300))
    total: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    composed_at: Mapped[datetime | None]
