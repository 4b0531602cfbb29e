"""From an announced event to deliveries: one job in the announcer's transaction, then one
delivery per subscription, written by a worker, idempotently."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_

from registration.conferences.models import Conference
from registration.database import db, insert_ignoring_conflicts, utcnow
from registration.jobs import services as jobs
from registration.jobs.events import audience, happened
from registration.jobs.models import Job
from registration.jobs.registry import handles
from registration.staff.access import can
from registration.staff.roles import Permission
from registration.webhooks.delivery import DELIVER_TASK, publish_after_commit
from registration.webhooks.models import WebhookDelivery, WebhookSubscription

KIND = "webhooks.event"


def _of_conference(conference_id: Any) -> ColumnElement[bool]:
    """Enabled subscriptions of this conference or of all (an event outside conferences,
    a series' document, reaches subscriptions to all of them)."""
    return and_(
        WebhookSubscription.enabled,
        or_(
            WebhookSubscription.conference_id == conference_id,
            WebhookSubscription.conference_id.is_(None),
        ),
    )


def listening(event_type: str, conference_id: int | None) -> list[WebhookSubscription]:
    """Enabled subscriptions of this conference (or of all) that chose this event."""
    found = db.session.scalars(
        db.select(WebhookSubscription)
        .where(_of_conference(conference_id))
        .order_by(WebhookSubscription.id)
    )
    return [s for s in found if event_type in s.events]


def anyone_listening(event_type: str, conference_id: int | None) -> bool:
    """Whether `listening` would find a subscription: only their chosen events are read
    (not the subscriptions with their owners), as every registration asks this."""
    chosen = db.session.scalars(
        db.select(WebhookSubscription.events).where(_of_conference(conference_id))
    )
    return any(event_type in events for events in chosen)


@audience
def subscribed(conference_id: Any) -> ColumnElement[bool]:
    """SQL: whether an enabled subscription of the conference (or of all) exists, whatever
    its events; an announcer reads it in its own statement (`events.may_be_heard`)."""
    return exists().where(_of_conference(conference_id))


@happened.connect
def announced(
    event_type: str, *, conference_id: int | None, data: dict[str, Any], heard: bool = True
) -> None:
    """One job for the event, in the announcer's transaction, if anyone may want it (not
    asked again when the announcer read that no subscription exists)."""
    if not heard or not anyone_listening(event_type, conference_id):
        return
    jobs.start(
        KIND,
        f"Webhooks: {event_type}",
        type=event_type,
        conference=conference_id,
        at=utcnow().isoformat(timespec="seconds").replace("+00:00", "Z"),
        data=data,
    )


def message_id(event_id: str, subscription_id: int) -> str:
    """The `webhook-id` of an event for a subscription: the same whoever computes it."""
    digest = hashlib.sha256(f"{event_id}:{subscription_id}".encode()).hexdigest()
    return f"msg_{digest[:32]}"


@handles(KIND)
def fan_out(job: Job) -> int:
    """One delivery per subscription whose owner may see the conference; a retried job
    writes none twice (unique event and subscription)."""
    subject = job.subject
    conference_id = subject["conference"]
    data = dict(subject["data"])
    if conference_id is not None and "conference" not in data:
        conference = db.session.get(Conference, conference_id)
        data["conference"] = {"id": conference_id, "slug": conference.slug if conference else None}
    payload = {"type": subject["type"], "timestamp": subject["at"], "data": data}
    written = 0
    for subscription in listening(subject["type"], conference_id):
        if not can(subscription.owner, Permission.EDIT, conference_id):
            continue
        delivery_id = insert_ignoring_conflicts(
            WebhookDelivery,
            {
                "subscription_id": subscription.id,
                "event_id": job.id,
                "message_id": message_id(job.id, subscription.id),
                "event_type": subject["type"],
                "payload": payload,
            },
        )
        if delivery_id is not None:
            publish_after_commit(DELIVER_TASK, delivery_id)
            written += 1
    jobs.heartbeat(job.id, total=written)
    db.session.commit()
    return written
