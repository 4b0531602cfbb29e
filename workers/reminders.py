"""Beat: reminders before panels, once per registration and panel."""

from __future__ import annotations

from celery import shared_task

from registration.calendars.reminders import queue_due_reminders
from registration.database import db


@shared_task(name="workers.reminders.send_reminders", ignore_result=True)
def send_reminders() -> int:
    queued = queue_due_reminders()
    db.session.commit()
    return queued
