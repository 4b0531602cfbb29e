"""The attendance capability's fan-out: certificates of attendance mailed by a worker."""

from __future__ import annotations

from registration.attendance.certificates import CERTIFICATES, attendee_ids, queue_certificate
from registration.jobs import services as jobs
from registration.jobs.models import Job
from registration.jobs.registry import handles


@handles(CERTIFICATES)
def mail_certificates(job: Job) -> int:
    """Queue the certificate of each participant of the job (each commits its own row)."""
    job_id, subject = job.id, dict(job.subject)
    ids = subject.get("registration_ids") or attendee_ids(job.conference_id or 0)
    jobs.heartbeat(job_id, total=len(ids))
    written = sum(queue_certificate(i, subject.get("request_key"), batch=job_id) for i in ids)
    jobs.heartbeat(job_id, total=written)
    return written
