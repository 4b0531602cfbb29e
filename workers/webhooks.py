"""Webhook tasks: deliver one (they take ids and re-read the rows), sweep the stale ones."""

from __future__ import annotations

from celery import shared_task

from registration.webhooks import delivery


@shared_task(name="workers.webhooks.deliver", acks_late=True, ignore_result=True)
def deliver(delivery_id: int) -> None:
    """POST one delivery; after a failure publish a delayed retry of itself."""
    delay = delivery.deliver(delivery_id)
    if delay is not None:
        delivery.publish([(delivery.DELIVER_TASK, (delivery_id,))], countdown=delay)


@shared_task(name="workers.webhooks.sweep", ignore_result=True)
def sweep() -> int:
    """Beat: publish again deliveries never picked up, overdue, or whose worker died."""
    return delivery.sweep()
