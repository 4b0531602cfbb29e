"""The outbox's sweeper.

The beat task `workers.mail.sweep_outbox` runs every MAIL_SWEEP_SECONDS. Rows INFLIGHT whose
lease (`updated_at`, renewed every few seconds by the worker sending them) is older than
MAIL_INFLIGHT_TIMEOUT_SECONDS belonged to a worker that died: they go back to the queue (or
fail after MAIL_MAX_ATTEMPTS). Rows waiting to retry past their time, and QUEUED rows older
than MAIL_SWEEP_AFTER_SECONDS while the mail queue is empty (their task was lost), are
published again. A mail in flight at a crash is thus sent again within about
MAIL_INFLIGHT_TIMEOUT_SECONDS + MAIL_SWEEP_SECONDS, with the same Message-ID.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, update

from registration.database import db, utcnow
from registration.i18n import N_
from registration.mail.models import MailStatus, OutgoingMail
from registration.mail.services import SEND_TASK
from registration.publishing import publish

# Errors this service writes itself are messages, shown in the reader's language.
WORKER_LOST = N_("worker lost during the last attempt")


def queue_is_idle() -> bool:
    """Nothing waits in the mail queue: QUEUED rows still unsent were lost on the way."""
    celery = current_app.extensions["celery"]
    try:
        with celery.pool.acquire(block=True) as connection:
            declared = connection.default_channel.queue_declare(
                queue=f"{celery.conf.task_default_queue}.mail", passive=True
            )
        return declared.message_count == 0
    except Exception:  # an undeclared queue is an empty one
        return True


def sweep_outbox(limit: int = 5000) -> int:
    """Re-publish rows never picked up or whose worker died; returns how many."""
    config = current_app.config
    now = utcnow()
    after = now - timedelta(seconds=config["MAIL_SWEEP_AFTER_SECONDS"])
    lost = now - timedelta(seconds=config["MAIL_INFLIGHT_TIMEOUT_SECONDS"])
    stuck = OutgoingMail.status == MailStatus.INFLIGHT, OutgoingMail.updated_at < lost
    db.session.execute(
        update(OutgoingMail)
        .where(*stuck, OutgoingMail.attempts >= config["MAIL_MAX_ATTEMPTS"])
        .values(status=MailStatus.FAILED, last_error=WORKER_LOST)
    )
    revived = list(db.session.scalars(db.select(OutgoingMail.id).where(*stuck).limit(limit)))
    db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id.in_(revived), OutgoingMail.status == MailStatus.INFLIGHT)
        .values(status=MailStatus.AWAITING_RETRY, next_attempt_at=now, updated_at=now)
    )
    overdue_retry = (OutgoingMail.status == MailStatus.AWAITING_RETRY) & (
        OutgoingMail.next_attempt_at < after
    )
    conditions = [overdue_retry]
    if queue_is_idle():
        conditions.append(
            (OutgoingMail.status == MailStatus.QUEUED) & (OutgoingMail.updated_at < after)
        )
    ids = revived + list(
        db.session.scalars(
            db.select(OutgoingMail.id)
            .where(or_(*conditions))
            .order_by(OutgoingMail.id)
            .limit(limit)
        )
    )
    if ids:
        db.session.execute(
            update(OutgoingMail)
            .where(OutgoingMail.id.in_(ids), OutgoingMail.status == MailStatus.QUEUED)
            .values(updated_at=now)
        )
        db.session.execute(
            update(OutgoingMail)
            .where(OutgoingMail.id.in_(ids), OutgoingMail.status == MailStatus.AWAITING_RETRY)
            .values(next_attempt_at=now)
        )
    db.session.commit()
    publish([(SEND_TASK, (i,)) for i in ids])
    return len(ids)
