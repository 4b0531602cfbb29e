"""Mail tasks: send one outbox row, sweep the outbox. They take ids and re-read the rows."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from celery.signals import worker_process_shutdown

from registration.mail import services, sweeping


@shared_task(name="workers.mail.send_mail", acks_late=True, ignore_result=True)
def send_mail(outbox_id: int) -> None:
    """Deliver one outbox row; on a temporary failure publish a delayed retry of itself."""
    delay = services.deliver(outbox_id)
    if delay is not None:
        services.publish([(services.SEND_TASK, (outbox_id,))], countdown=delay)


@shared_task(name="workers.mail.send_mail_batch", acks_late=True, ignore_result=True)
def send_mail_batch(outbox_ids: list[int]) -> None:
    """Deliver many rows over this process's SMTP connection; retries go out one by one."""
    for outbox_id, delay in services.deliver_many(outbox_ids).items():
        services.publish([(services.SEND_TASK, (outbox_id,))], countdown=delay)


@shared_task(name="workers.mail.sweep_outbox", ignore_result=True)
def sweep_outbox() -> int:
    """Beat: re-publish rows never picked up (broker was down) or whose worker died."""
    return sweeping.sweep_outbox()


@worker_process_shutdown.connect
def _close_smtp(**kwargs: Any) -> None:
    services.close_connection()
