"""Starting, running and sweeping fan-out jobs; their progress from their outbox rows."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, or_, update

from registration.database import db, insert_ignoring_conflicts, utcnow
from registration.jobs.models import Job, JobState
from registration.jobs.registry import counter_for, handler_for
from registration.mail.models import MailStatus, OutgoingMail
from registration.mail.summary import conference_batch_prefix
from registration.publishing import publish, publish_after_commit

log = logging.getLogger(__name__)

RUN_TASK = "workers.jobs.run_job"
ACTIVE = (JobState.QUEUED, JobState.RUNNING)


def start(
    kind: str, label: str, *, conference_id: int | None = None, total: int = 0, **subject: Any
) -> Job:
    """A job in the caller's transaction, published to the workers once it commits."""
    prefix = conference_batch_prefix(conference_id) if conference_id else ""
    job = Job(
        id=f"{prefix}{kind.replace('.', '-')}-{uuid.uuid4().hex[:10]}",
        conference_id=conference_id,
        kind=kind,
        label=label,
        subject=subject,
        total=total,
    )
    db.session.add(job)
    publish_after_commit(RUN_TASK, job.id)
    return job


def start_once(
    kind: str, key: str, label: str, *, conference_id: int | None = None, **subject: Any
) -> str | None:
    """The job of this kind and `key` (one ever, e.g. a panel's reminders), unless it exists:
    its id, or None. Two transactions starting it at once end with one job, never an error."""
    values = {
        "id": job_id_of(kind, key, conference_id),
        "conference_id": conference_id,
        "kind": kind,
        "label": label,
        "subject": subject,
        "state": JobState.QUEUED,
        "total": 0,
        "attempts": 0,
        "last_error": "",
    }
    job_id = insert_ignoring_conflicts(Job, values)
    if job_id is not None:
        publish_after_commit(RUN_TASK, job_id)
    return job_id


def job_id_of(kind: str, key: str, conference_id: int | None = None) -> str:
    """The id of the job of this kind and key (`start_once`)."""
    prefix = conference_batch_prefix(conference_id) if conference_id else ""
    return f"{prefix}{kind.replace('.', '-')}-{key}"[:80]


def again(job_id: str) -> bool:
    """Run a finished job once more (its handler must skip what it did); False if it is
    still queued or running (it will see the news itself) or does not exist."""
    reopened = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state.in_((JobState.DONE, JobState.FAILED)))
        .values(state=JobState.QUEUED, attempts=0, finished_at=None, updated_at=utcnow())
        .returning(Job.id)
    ).scalar()
    if reopened is not None:
        publish_after_commit(RUN_TASK, job_id)
    return reopened is not None


def again_after_failure(job_id: str) -> bool:
    """The organiser's "Run again" of a failed job; False if it has not failed. Commits."""
    job = db.session.get(Job, job_id)
    if job is None or job.state is not JobState.FAILED or not again(job_id):
        return False
    db.session.commit()
    return True


def _claim(job_id: str) -> Job | None:
    """Take the job unless it is finished or another worker's lease on it is fresh."""
    now = utcnow()
    lease = now - timedelta(seconds=current_app.config["JOB_RETRY_AFTER_SECONDS"])
    claimed = db.session.execute(
        update(Job)
        .where(
            Job.id == job_id,
            or_(
                Job.state == JobState.QUEUED,
                (Job.state == JobState.RUNNING) & (Job.updated_at < lease),
            ),
        )
        .values(state=JobState.RUNNING, attempts=Job.attempts + 1, updated_at=now)
        .returning(Job.id)
    ).scalar()
    db.session.commit()
    return db.session.get(Job, job_id) if claimed else None


def run(job_id: str) -> int:
    """Run a job's handler; returns the rows it wrote (0 if not due or another has it)."""
    job = _claim(job_id)
    if job is None:
        return 0
    kind, attempts = job.kind, job.attempts
    try:
        written = handler_for(kind)(job)
    except Exception as error:
        db.session.rollback()
        log.exception("job %s (%s) failed on attempt %d", job_id, kind, attempts)
        _finish(job_id, _after_failure(attempts), f"{type(error).__name__}: {error}"[:2000])
        return 0
    _finish(job_id, JobState.DONE)
    return written


def _after_failure(attempts: int) -> JobState:
    """QUEUED again for the sweeper, or FAILED after JOB_MAX_ATTEMPTS."""
    if attempts >= current_app.config["JOB_MAX_ATTEMPTS"]:
        return JobState.FAILED
    return JobState.QUEUED


def _finish(job_id: str, state: JobState, error: str = "") -> None:
    now = utcnow()
    done = {"finished_at": now} if state in (JobState.DONE, JobState.FAILED) else {}
    db.session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(state=state, updated_at=now, last_error=error, **done)
    )
    db.session.commit()


def heartbeat(job_id: str, total: int | None = None) -> None:
    """The handler is alive (its lease renewed); optionally the planned total. No commit."""
    values: dict[str, Any] = {"updated_at": utcnow()}
    if total is not None:
        values["total"] = total
    db.session.execute(update(Job).where(Job.id == job_id).values(**values))


def sweep(limit: int = 500) -> int:
    """Beat: publish again jobs left queued or running longer than JOB_RETRY_AFTER_SECONDS
    (a lost task, a killed worker); jobs out of attempts fail. Returns how many went."""
    config = current_app.config
    stale = utcnow() - timedelta(seconds=config["JOB_RETRY_AFTER_SECONDS"])
    overdue = (Job.state.in_(ACTIVE), Job.updated_at < stale)
    db.session.execute(
        update(Job)
        .where(*overdue, Job.attempts >= config["JOB_MAX_ATTEMPTS"])
        .values(state=JobState.FAILED, finished_at=utcnow(), last_error="out of attempts")
    )
    ids = list(db.session.scalars(db.select(Job.id).where(*overdue).order_by(Job.created_at)))
    db.session.commit()
    ids = ids[:limit]
    if ids:
        publish([(RUN_TASK, (job_id,)) for job_id in ids])
    return len(ids)


def running_count() -> int:
    """Jobs queued or running: the fan-outs not yet expanded."""
    return db.session.scalar(db.select(func.count()).where(Job.state.in_(ACTIVE))) or 0


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    failed: int
    waiting: int
    expanded: bool = True

    @property
    def remaining(self) -> int:
        return max(self.total - self.sent - self.failed, 0)

    @property
    def finished(self) -> bool:
        return self.expanded and self.remaining == 0

    def as_dict(self) -> dict[str, int | bool]:
        return {
            "total": self.total,
            "done": self.sent,
            "failed": self.failed,
            "remaining": self.remaining,
            "retrying": self.waiting,
            "finished": self.finished,
        }


def status_counts(batch: str) -> dict[MailStatus, int]:
    rows = db.session.execute(
        db.select(OutgoingMail.status, func.count())
        .where(OutgoingMail.batch == batch)
        .group_by(OutgoingMail.status)
    ).all()
    return {MailStatus(status): count for status, count in rows}


def progress(job_id: str) -> Progress:
    """Done / failed / remaining of a job: as its capability counts them (`counts`), else
    from its outbox rows (messages that became unnecessary before they went, superseded or
    skipped, count as done)."""
    job = db.session.get(Job, job_id)
    counter = counter_for(job.kind) if job is not None else None
    own = counter(job) if job is not None and counter is not None else None
    if job is not None and own is not None:
        return Progress(own.total, own.done, own.failed, 0, expanded=job.finished)
    counts = status_counts(job_id)
    done = sum(counts.get(s, 0) for s in MailStatus if s.settled and s != MailStatus.FAILED)
    return Progress(
        total=max(job.total if job else 0, sum(counts.values())),
        sent=done,
        failed=counts.get(MailStatus.FAILED, 0),
        waiting=counts.get(MailStatus.AWAITING_RETRY, 0),
        expanded=job is None or job.finished,
    )


def recent(conference_id: int, limit: int = 3, hours: int = 24) -> list[Job]:
    """The conference's latest jobs of the last `hours`, newest first (one query)."""
    since = utcnow() - timedelta(hours=hours)
    return list(
        db.session.scalars(
            db.select(Job)
            .where(Job.conference_id == conference_id, Job.created_at >= since)
            .order_by(Job.created_at.desc())
            .limit(limit)
        )
    )
