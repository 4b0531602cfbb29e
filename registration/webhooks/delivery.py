"""Delivering: claim a delivery, POST it signed, log the attempt, retry or give up.

States: QUEUED -> INFLIGHT -> DELIVERED, or -> AWAITING_RETRY (any answer but 2xx, or no
answer) -> ... -> FAILED after WEBHOOK_MAX_ATTEMPTS (the owner may resend it). The claim is
a compare-and-set UPDATE committed before the POST, so a duplicated task posts nothing
twice; a worker killed between the receiver's answer and the commit leaves the delivery
INFLIGHT, and the sweeper sends it again after its lease with the same `webhook-id`.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import update

from registration.database import db, utcnow
from registration.i18n import N_
from registration.publishing import publish, publish_after_commit
from registration.webhooks import guard, subscriptions, transport
from registration.webhooks.models import (
    SENDABLE,
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
)
from registration.webhooks.sealing import UnreadableSecretError

log = logging.getLogger(__name__)

DELIVER_TASK = "workers.webhooks.deliver"
__all__ = ["DELIVER_TASK", "publish_after_commit"]


def retry_delay(attempts: int) -> int:
    """Exponential backoff: base, 2x base, 4x base, ... capped at WEBHOOK_RETRY_MAX_SECONDS."""
    config = current_app.config
    base = config["WEBHOOK_RETRY_BASE_SECONDS"]
    return int(min(base * 2 ** max(attempts - 1, 0), config["WEBHOOK_RETRY_MAX_SECONDS"]))


def lease_seconds() -> int:
    """How long an INFLIGHT delivery is its worker's: one POST's connect and read, and more."""
    return 2 * current_app.config["WEBHOOK_TIMEOUT_SECONDS"] + 5


def _claim(delivery_id: int) -> WebhookDelivery | None:
    now = utcnow()
    claimed = db.session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.status.in_(SENDABLE),
            WebhookDelivery.next_attempt_at <= now + timedelta(seconds=2),
        )
        .values(
            status=DeliveryStatus.INFLIGHT,
            attempts=WebhookDelivery.attempts + 1,
            updated_at=now,
        )
        .returning(WebhookDelivery.id)
    ).scalar()
    db.session.commit()
    return db.session.get(WebhookDelivery, delivery_id) if claimed else None


def deliver(delivery_id: int) -> int | None:
    """POST one delivery if it is due; seconds until its retry, or None (done or not due)."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    subscription = delivery.subscription
    if not subscription.enabled:
        _settle(delivery, None, N_("The subscription is disabled."), DeliveryStatus.FAILED)
        db.session.commit()
        return None
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":"))
    try:
        guard.check_url(subscription.url)
        secret = subscription.secret
    except (guard.TargetRefusedError, UnreadableSecretError) as refused:
        answer = transport.Answer(None, "", str(refused), 0)
    else:
        headers = transport.signed_headers(secret, delivery.message_id, body, transport.now_utc())
        answer = transport.post(
            subscription.url,
            body,
            headers,
            timeout=current_app.config["WEBHOOK_TIMEOUT_SECONDS"],
            allowlist=tuple(guard.allowlist()),
        )
    return _record(delivery, answer)


def _record(delivery: WebhookDelivery, answer: transport.Answer) -> int | None:
    """Log the attempt and move the delivery on; counts the subscription's failures."""
    attempt = WebhookAttempt(
        delivery_id=delivery.id,
        status_code=answer.status_code,
        response=answer.excerpt,
        error=answer.error,
        milliseconds=answer.milliseconds,
    )
    db.session.add(attempt)
    if answer.succeeded:
        _settle(delivery, attempt, "", DeliveryStatus.DELIVERED)
        subscriptions.note_success(delivery.subscription_id)
        db.session.commit()
        return None
    out_of_attempts = delivery.attempts >= current_app.config["WEBHOOK_MAX_ATTEMPTS"]
    delay = None if out_of_attempts else retry_delay(delivery.attempts)
    state = DeliveryStatus.FAILED if out_of_attempts else DeliveryStatus.AWAITING_RETRY
    _settle(delivery, attempt, "", state, delay)
    subscriptions.note_failure(delivery.subscription_id)
    db.session.commit()
    log.info("webhook delivery %s failed (attempt %d)", delivery.id, delivery.attempts)
    return delay


def _settle(
    delivery: WebhookDelivery,
    attempt: WebhookAttempt | None,
    error: str,
    state: DeliveryStatus,
    delay: int | None = None,
) -> None:
    now = utcnow()
    if attempt is None:
        db.session.add(WebhookAttempt(delivery_id=delivery.id, error=error))
    delivery.status = state
    delivery.updated_at = now
    if state is DeliveryStatus.DELIVERED:
        delivery.delivered_at = now
    if delay is not None:
        delivery.next_attempt_at = now + timedelta(seconds=delay)


def resend(delivery: WebhookDelivery) -> bool:
    """Queue a delivery again (same webhook-id), unless it is waiting or in flight; commits."""
    if delivery.status in (DeliveryStatus.QUEUED, DeliveryStatus.INFLIGHT):
        return False
    delivery.status = DeliveryStatus.QUEUED
    delivery.attempts = 0
    delivery.next_attempt_at = utcnow()
    delivery.updated_at = utcnow()
    publish_after_commit(DELIVER_TASK, delivery.id)
    db.session.commit()
    return True


def sweep(limit: int = 1000) -> int:
    """Beat: deliveries whose worker died go back to the queue; those never picked up or
    overdue for their retry are published again. Returns how many were published."""
    config = current_app.config
    now = utcnow()
    lost = now - timedelta(seconds=lease_seconds())
    after = now - timedelta(seconds=config["WEBHOOK_SWEEP_AFTER_SECONDS"])
    stuck = (WebhookDelivery.status == DeliveryStatus.INFLIGHT, WebhookDelivery.updated_at < lost)
    db.session.execute(
        update(WebhookDelivery)
        .where(*stuck, WebhookDelivery.attempts >= config["WEBHOOK_MAX_ATTEMPTS"])
        .values(status=DeliveryStatus.FAILED, updated_at=now)
    )
    revived = list(db.session.scalars(db.select(WebhookDelivery.id).where(*stuck).limit(limit)))
    queued = (WebhookDelivery.status == DeliveryStatus.QUEUED) & (
        WebhookDelivery.updated_at < after
    )
    overdue = (WebhookDelivery.status == DeliveryStatus.AWAITING_RETRY) & (
        WebhookDelivery.next_attempt_at < after
    )
    ids = revived + list(
        db.session.scalars(
            db.select(WebhookDelivery.id)
            .where(queued | overdue)
            .order_by(WebhookDelivery.id)
            .limit(limit)
        )
    )
    if ids:
        db.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id.in_(revived), *stuck)
            .values(status=DeliveryStatus.AWAITING_RETRY)
        )
        db.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id.in_(ids), WebhookDelivery.status.in_(SENDABLE))
            .values(updated_at=now, next_attempt_at=now)
        )
    db.session.commit()
    if ids:
        publish([(DELIVER_TASK, (i,)) for i in ids])
    return len(ids)
