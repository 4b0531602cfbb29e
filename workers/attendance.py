"""Certificates of attendance: tasks that put certificate mails in the outbox.

Tasks take ids and re-read the database; the outbox idempotency key
(`attendance-certificate:<registration>[:<request key>]`) makes a retried task harmless.
"""

from __future__ import annotations

from celery import shared_task

from registration.attendance import certificates


@shared_task(name="attendance.send_certificate", acks_late=True, max_retries=3)
def send_certificate(registration_id: int, request_key: str | None = None) -> bool:
    """Queue one participant's certificate mail if they attended: once per `request_key` (an
    organiser's click), or once ever without one."""
    return certificates.queue_certificate(registration_id, request_key)


@shared_task(name="attendance.send_conference_certificates", acks_late=True)
def send_conference_certificates(conference_id: int) -> int:
    """Queue a certificate for every attendee of a conference; returns how many were new."""
    return sum(certificates.queue_certificate(i) for i in certificates.attendee_ids(conference_id))
