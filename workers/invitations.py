"""Bulk invitation mail: outbox rows written in chunks in the background."""

from __future__ import annotations

from celery import shared_task

from registration.invitations.services import compose_batch as compose


@shared_task(name="workers.invitations.compose_batch", acks_late=True, ignore_result=True)
def compose_batch(batch_id: str) -> int:
    return compose(batch_id)
