"""Organisers' operations on the outbox: putting a dead letter back in the queue."""

from __future__ import annotations

from sqlalchemy import update

from registration.audit import recorder as audit
from registration.database import db, utcnow
from registration.i18n import N_
from registration.jobs.models import Job
from registration.mail.models import MailStatus, OutgoingMail
from registration.mail.services import SEND_TASK
from registration.publishing import publish_after_commit


def resend(outbox_id: int) -> bool:
    """Put a dead letter back in the queue; False if it is not a dead letter (any more)."""
    changed = db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id == outbox_id, OutgoingMail.status == MailStatus.FAILED)
        .values(status=MailStatus.QUEUED, attempts=0, next_attempt_at=utcnow(), updated_at=utcnow())
    ).rowcount
    if changed:
        _audit_resend(outbox_id)
        publish_after_commit(SEND_TASK, outbox_id)
    db.session.commit()
    return changed == 1


def _audit_resend(outbox_id: int) -> None:
    mail = db.session.get(OutgoingMail, outbox_id)
    if mail is None:
        return
    job = db.session.get(Job, mail.batch) if mail.batch else None
    audit.record(
        "mail.resent",
        subject_type="mail",
        subject_id=mail.id,
        subject=mail.subject,
        conference_id=job.conference_id if job else None,
        note=N_("To %(address)s"),
        note_values={"address": mail.recipient},
    )
