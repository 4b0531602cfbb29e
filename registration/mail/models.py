"""The outbox: one row per message, sent by Celery workers (see workers/)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from registration.database import db, utcnow


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

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    batch: Mapped[str | None] = mapped_column(String(80), index=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(400))
    message_id: Mapped[str] = mapped_column(String(200))
    message: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[MailStatus] = mapped_column(
        Enum(
            MailStatus,
            native_enum=False,
            length=32,
            values_callable=lambda e: [m.value for m in e],
        ),
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
