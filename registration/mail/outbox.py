"""Queueing mail: an outbox row in the caller's transaction; workers send it after commit."""

from __future__ import annotations

from email.policy import SMTP

from registration.database import db
from registration.mail.compose import Mail, compose
from registration.mail.models import OutgoingMail


def queue_mail(mail: Mail, *, key: str, batch: str | None = None) -> OutgoingMail | None:
    """Add a message to the outbox unless one with this idempotency key exists.

    Does not commit: the row lands with the change that caused it, or not at all.
    """
    exists = db.session.scalar(db.select(OutgoingMail.id).filter_by(idempotency_key=key))
    if exists is not None:
        return None
    message = compose(mail)
    row = OutgoingMail(
        idempotency_key=key,
        batch=batch,
        recipient=mail.to,
        subject=mail.subject,
        message_id=str(message["Message-ID"]),
        message=message.as_bytes(policy=SMTP),
    )
    db.session.add(row)
    return row
