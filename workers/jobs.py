"""Fan-out jobs: run one (its handler expands it into outbox rows), sweep the stale ones;
remove the files jobs built once they expire or were left by a worker that died."""

from __future__ import annotations

from celery import shared_task

from registration.jobs import built_files, services


@shared_task(name="workers.jobs.run_job", acks_late=True, ignore_result=True)
def run_job(job_id: str) -> int:
    """Expand a job; safe to run twice or after a crash (its handler is idempotent)."""
    return services.run(job_id)


@shared_task(name="workers.jobs.sweep_jobs", ignore_result=True)
def sweep_jobs() -> int:
    """Beat: publish again jobs left queued or running too long."""
    return services.sweep()


@shared_task(name="workers.jobs.sweep_built_files", ignore_result=True)
def sweep_built_files() -> int:
    """Beat: delete built files older than BUILT_FILES_KEEP_HOURS, and orphaned ones."""
    swept = built_files.sweep()
    return swept.expired + swept.orphans
