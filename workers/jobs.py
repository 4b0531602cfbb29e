"""Fan-out jobs: run one (its handler expands it into outbox rows), sweep the stale ones."""

from __future__ import annotations

from celery import shared_task

from registration.jobs import services


@shared_task(name="workers.jobs.run_job", acks_late=True, ignore_result=True)
def run_job(job_id: str) -> int:
    """Expand a job; safe to run twice or after a crash (its handler is idempotent)."""
    return services.run(job_id)


@shared_task(name="workers.jobs.sweep_jobs", ignore_result=True)
def sweep_jobs() -> int:
    """Beat: publish again jobs left queued or running too long."""
    return services.sweep()
