"""Beat: reminders before panels, once per registration and panel."""

from __future__ import annotations

from celery import shared_task

from registration.database import db
from registration.mail.notifications import queue_due_reminders


@shared_task(name="workers.reminders.send_reminders", ignore_result=True)
def send_reminders() -> int:
    queued = queue_due_reminders()
    db.session.commit()
    return queued
