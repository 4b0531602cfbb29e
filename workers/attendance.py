"""Certificates of attendance: tasks that put certificate mails in the outbox.

Tasks take ids and re-read the database; the outbox idempotency key
(`attendance-certificate:<registration>`) makes a retried or repeated task harmless.
"""

from __future__ import annotations

from celery import shared_task

from registration.attendance import services


@shared_task(name="attendance.send_certificate", acks_late=True, max_retries=3)
def send_certificate(registration_id: int) -> bool:
    """Queue one participant's certificate mail (if they attended and have none yet)."""
    return services.queue_certificate(registration_id)


@shared_task(name="attendance.send_conference_certificates", acks_late=True)
def send_conference_certificates(conference_id: int) -> int:
    """Queue a certificate for every attendee of a conference; returns how many were new."""
    return sum(services.queue_certificate(i) for i in services.attendee_ids(conference_id))
