"""Subscriptions, their deliveries (one per event and subscription) and each attempt."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registration.accounts.models import User
from registration.conferences.models import Conference
from registration.database import db, str_enum, utcnow
from registration.i18n import N_
from registration.webhooks import sealing


class WebhookSubscription(db.Model):
    """A URL told of some events of one conference, or (no conference) of every conference
    its owner organises. The secret signs the deliveries; its owner may see it; stored sealed."""

    __tablename__ = "webhook_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    conference_id: Mapped[int | None] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(String(200), default="")
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The signing secret sealed (registration/webhooks/sealing.py); `secret` reads it.
    sealed_secret: Mapped[str] = mapped_column("secret", String(400))
    enabled: Mapped[bool] = mapped_column(default=True, index=True)
    disabled_at: Mapped[datetime | None]
    disabled_reason: Mapped[str] = mapped_column(Text, default="")
    # Failed attempts in a row and when the first of them failed (None: the last succeeded).
    failures_in_row: Mapped[int] = mapped_column(default=0)
    failing_since: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    owner: Mapped[User] = relationship(lazy="joined")
    conference: Mapped[Conference | None] = relationship()

    @property
    def secret(self) -> str:
        """The signing secret (whsec_...), unsealed."""
        return sealing.unseal(self.sealed_secret)

    @secret.setter
    def secret(self, value: str) -> None:
        self.sealed_secret = sealing.seal(value)

    def __repr__(self) -> str:
        return f"<WebhookSubscription {self.id} {self.url}>"


class DeliveryStatus(enum.StrEnum):
    QUEUED = "queued"
    INFLIGHT = "inflight"
    AWAITING_RETRY = "awaiting_retry"
    DELIVERED = "delivered"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


# Delivery states as the log shows them (`|translate`).
STATUS_LABELS = (N_("Queued"), N_("Inflight"), N_("Awaiting retry"), N_("Delivered"), N_("Failed"))


SENDABLE = (DeliveryStatus.QUEUED, DeliveryStatus.AWAITING_RETRY)


class WebhookDelivery(db.Model):
    """One event for one subscription; `message_id` is the `webhook-id` of every attempt, so
    a receiver recognises a copy sent again after a crash."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (UniqueConstraint("event_id", "subscription_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[str] = mapped_column(String(80))
    message_id: Mapped[str] = mapped_column(String(100), unique=True)
    event_type: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[DeliveryStatus] = mapped_column(
        str_enum(DeliveryStatus), default=DeliveryStatus.QUEUED, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]

    subscription: Mapped[WebhookSubscription] = relationship()
    log: Mapped[list[WebhookAttempt]] = relationship(
        order_by="WebhookAttempt.id.desc()", cascade="all, delete-orphan", passive_deletes=True
    )


class WebhookAttempt(db.Model):
    """One POST of a delivery: when, the answer's status code and start, or the error."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(default=utcnow)
    status_code: Mapped[int | None]
    response: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str] = mapped_column(Text, default="")
    milliseconds: Mapped[int] = mapped_column(default=0)

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
