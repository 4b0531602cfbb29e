"""The outbox: one row per message, sent by Celery workers (see workers/)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from registration.database import db, str_enum, utcnow
from registration.i18n import N_


class MailStatus(enum.StrEnum):
    QUEUED = "queued"
    INFLIGHT = "inflight"
    AWAITING_RETRY = "awaiting_retry"
    SENT = "sent"
    FAILED = "failed"
    SUPERSEDED = "superseded"  # a newer message of the same thread made it unnecessary
    SKIPPED = "skipped"  # nothing left to say when its turn came (e.g. the person withdrew)

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def settled(self) -> bool:
        """Nothing more will happen to it (FAILED waits for an organiser's Resend)."""
        return self in (MailStatus.SENT, MailStatus.FAILED, *UNSENT_FOR_GOOD)


UNSENT_FOR_GOOD = (MailStatus.SUPERSEDED, MailStatus.SKIPPED)


# Message states as the outbox shows them (`|translate`).
STATUS_LABELS = (
    N_("Queued"),
    N_("Inflight"),
    N_("Awaiting retry"),
    N_("Sent"),
    N_("Failed"),
    N_("Superseded"),
    N_("Skipped"),
)


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
    # Either the message as sent, or (until a worker composes it) what it is about: the
    # name of a composer a capability registered (mail.composers) and its ids.
    message: Mapped[bytes | None] = mapped_column(LargeBinary)
    composer: Mapped[str | None] = mapped_column(String(60))
    intent: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Messages of one thread (one person about one thing) go out in `sequence` order: one
    # overtaken by a newer one before it went is SUPERSEDED, and none goes while an older
    # one of its thread is INFLIGHT.
    thread: Mapped[str | None] = mapped_column(String(120), index=True)
    sequence: Mapped[int | None]
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
