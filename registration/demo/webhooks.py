"""A demo webhook subscription of the demo organiser: disabled after its receiver failed
(example.org takes no webhooks), with one failed delivery in its log."""

from __future__ import annotations

from datetime import timedelta

from registration.accounts.models import User
from registration.conferences.models import Conference
from registration.database import db, utcnow
from registration.webhooks.fanout import message_id
from registration.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from registration.webhooks.transport import new_secret

DEMO_URL = "https://hooks.example.org/cica-demo"


def seed_webhook(owner: User, conference: Conference) -> WebhookSubscription:
    """The demo subscription (made once; left as it is when it exists)."""
    found = db.session.scalar(
        db.select(WebhookSubscription).filter_by(owner_id=owner.id, url=DEMO_URL)
    )
    if found is not None:
        return found
    now = utcnow()
    subscription = WebhookSubscription(
        owner_id=owner.id,
        conference_id=conference.id,
        url=DEMO_URL,
        description="Demo: the Ministry's registration system",
        events=["registration.approved", "registration.created", "registration.withdrawn"],
        secret=new_secret(),
        enabled=False,
        disabled_at=now,
        disabled_reason="20 attempts in a row failed (demo: example.org takes no webhooks).",
        failures_in_row=20,
        failing_since=now - timedelta(days=1),
    )
    db.session.add(subscription)
    db.session.flush()
    delivery = WebhookDelivery(
        subscription_id=subscription.id,
        event_id=f"demo-{subscription.id}",
        message_id=message_id(f"demo-{subscription.id}", subscription.id),
        event_type="registration.created",
        payload={"type": "registration.created", "timestamp": now.isoformat(), "data": {}},
        status=DeliveryStatus.FAILED,
        attempts=2,
    )
    delivery.log = [
        WebhookAttempt(at=now - timedelta(hours=2), status_code=503, response="Unavailable"),
        WebhookAttempt(at=now - timedelta(hours=1), error="ConnectTimeout: no answer in 10 s"),
    ]
    db.session.add(delivery)
    db.session.commit()
    return subscription
