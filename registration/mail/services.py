"""Sending the outbox: deliver over SMTP with retries, sweep, resend.

States: QUEUED -> INFLIGHT -> SENT, or -> AWAITING_RETRY (4xx, connection trouble) -> ... ->
FAILED (5xx at once, or after MAIL_MAX_ATTEMPTS: the dead letters organisers can resend).
A send is claimed by a compare-and-set UPDATE on the row's state (under `FOR UPDATE SKIP
LOCKED` on PostgreSQL), so a duplicated or retried task never sends twice; only a worker
killed between the server's 250 and the SENT commit sends again, with the same Message-ID.
Tasks are published after commit by `registration.publishing`.
"""

from __future__ import annotations

import logging
import smtplib
import threading
import time
from datetime import timedelta
from email.utils import parseaddr
from typing import Any

from flask import Flask, current_app
from sqlalchemy import bindparam, or_, text, update

from registration import publishing
from registration.audit import recorder as audit
from registration.database import db, utcnow
from registration.jobs.models import Job
from registration.mail.models import MailStatus, OutgoingMail
from registration.publishing import publish, publish_after_commit

log = logging.getLogger(__name__)

SEND_TASK = "workers.mail.send_mail"
SEND_BATCH_TASK = "workers.mail.send_mail_batch"
SENDABLE = (MailStatus.QUEUED, MailStatus.AWAITING_RETRY)
__all__ = ["SEND_TASK", "publish", "publish_after_commit"]


def init_app(app: Flask) -> None:
    """Sends queued in one transaction go to the broker as batch tasks."""
    publishing.init_app(app)
    publishing.fold(SEND_TASK, SEND_BATCH_TASK)


# --- Delivering ---------------------------------------------------------------------------


class _Connections(threading.local):
    smtp: smtplib.SMTP | None = None
    key: tuple[Any, ...] | None = None


_connections = _Connections()


def _smtp_settings() -> tuple[Any, ...]:
    config = current_app.config
    return (
        config["MAIL_SERVER"],
        config["MAIL_PORT"],
        config["MAIL_USE_TLS"],
        config["MAIL_USERNAME"],
        config["MAIL_PASSWORD"],
        config["MAIL_SMTP_TIMEOUT_SECONDS"],
    )


def _connection() -> smtplib.SMTP:
    """This worker thread's SMTP connection, opened on first use and reused."""
    settings = _smtp_settings()
    if _connections.smtp is not None and _connections.key == settings:
        return _connections.smtp
    close_connection()
    server, port, use_tls, username, password, timeout = settings
    smtp = smtplib.SMTP(server, port, timeout=timeout)
    if use_tls:
        smtp.starttls()
    if username:
        smtp.login(username, password)
    _connections.smtp, _connections.key = smtp, settings
    return smtp


def close_connection() -> None:
    smtp, _connections.smtp, _connections.key = _connections.smtp, None, None
    if smtp is not None:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


def smtp_send(recipient: str, message: bytes) -> None:
    """Send stored bytes; reconnect once if the kept connection was closed by the server."""
    sender = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1]
    for attempt in (1, 2):
        try:
            _connection().sendmail(sender, [recipient], message)
            return
        except smtplib.SMTPServerDisconnected:
            close_connection()
            if attempt == 2:
                raise
        except OSError:
            close_connection()
            raise


def reply_code(error: Exception) -> int | None:
    """The SMTP reply code of a failure, None for connection trouble."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return max(codes) if codes else None
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code
    return None


def retry_delay(attempts: int) -> int:
    """Exponential backoff: base, 2x base, 4x base, ... capped below the visibility timeout."""
    config = current_app.config
    base = config["MAIL_RETRY_BASE_SECONDS"]
    return int(min(base * 2 ** max(attempts - 1, 0), config["MAIL_RETRY_MAX_SECONDS"]))


def claim(ids: list[int]) -> list[tuple[int, str, bytes, int]]:
    """Mark the due, sendable rows among `ids` INFLIGHT and return what to send.

    Rows another worker holds are skipped (`SKIP LOCKED` on PostgreSQL); the state condition
    in the UPDATE makes the claim a compare-and-set on every database.
    """
    now = utcnow()
    due = list(
        db.session.scalars(
            db.select(OutgoingMail.id)
            .where(
                OutgoingMail.id.in_(ids),
                OutgoingMail.status.in_(SENDABLE),
                OutgoingMail.next_attempt_at <= now + timedelta(seconds=2),
            )
            .with_for_update(skip_locked=True)
        )
    )
    if not due:
        db.session.rollback()
        return []
    claimed = db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id.in_(due), OutgoingMail.status.in_(SENDABLE))
        .values(status=MailStatus.INFLIGHT, attempts=OutgoingMail.attempts + 1, updated_at=now)
        .returning(
            OutgoingMail.id, OutgoingMail.recipient, OutgoingMail.message, OutgoingMail.attempts
        )
    ).all()
    db.session.commit()
    return sorted((row.id, row.recipient, row.message, row.attempts) for row in claimed)


def deliver_many(ids: list[int]) -> dict[int, int]:
    """Send the due rows among `ids`; returns {id: seconds until its retry}.

    Each message is marked SENT right after the server's 250, in its own autocommitted
    UPDATE (one round trip), which keeps the window in which a killed worker leaves a sent
    message unmarked to that one message. On PostgreSQL these commits do not wait for the
    WAL flush (`synchronous_commit off` on this connection): a killed worker cannot lose
    them, since the server has them; only a crash of the database server could, and then
    the message goes again with the same Message-ID.
    """
    retries: dict[int, int] = {}
    claimed = claim(ids)
    if not claimed:
        return retries
    with db.engine.connect() as connection:
        marks = connection.execution_options(isolation_level="AUTOCOMMIT")
        postgres = marks.dialect.name == "postgresql"
        if postgres:
            marks.execute(text("SET synchronous_commit TO OFF"))
        try:
            for outbox_id, recipient, message, attempts in claimed:
                _pace()
                try:
                    smtp_send(recipient, message)
                except (smtplib.SMTPException, OSError) as error:
                    delay = _record_failure(outbox_id, attempts, error)
                    if delay is not None:
                        retries[outbox_id] = delay
                    continue
                marks.execute(_MARK_SENT, {"row_id": outbox_id, "now": utcnow()})
        finally:
            if postgres:
                marks.execute(text("RESET synchronous_commit"))
    return retries


_table = OutgoingMail.__table__
_MARK_SENT = (
    update(_table)
    .where(_table.c.id == bindparam("row_id"))
    .values(
        status=MailStatus.SENT.value,
        sent_at=bindparam("now"),
        updated_at=bindparam("now"),
        last_error="",
    )
)


def deliver(outbox_id: int) -> int | None:
    """Send one outbox row if it is due; returns seconds until a retry is due, else None."""
    return deliver_many([outbox_id]).get(outbox_id)


class _Pace(threading.local):
    last: float = 0.0


_pace_state = _Pace()


def _pace() -> None:
    """MAIL_RATE_PER_MINUTE for this worker process (0: no limit)."""
    rate = current_app.config["MAIL_RATE_PER_MINUTE"]
    if rate <= 0:
        return
    wait = _pace_state.last + 60.0 / rate - time.monotonic()
    if wait > 0:
        time.sleep(wait)
    _pace_state.last = time.monotonic()


def _record_failure(outbox_id: int, attempts: int, error: Exception) -> int | None:
    code = reply_code(error)
    text = f"{code or ''} {error}".strip()[:2000]
    permanent = code is not None and code >= 500
    if permanent or attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        _set(outbox_id, status=MailStatus.FAILED, last_error=text)
        return None
    delay = retry_delay(attempts)
    _set(
        outbox_id,
        status=MailStatus.AWAITING_RETRY,
        next_attempt_at=utcnow() + timedelta(seconds=delay),
        last_error=text,
    )
    return delay


def _set(outbox_id: int, **values: Any) -> None:
    """One row's new state, committed (a Core UPDATE: no ORM bookkeeping per message)."""
    db.session.connection().execute(
        update(OutgoingMail.__table__)
        .where(OutgoingMail.__table__.c.id == outbox_id)
        .values(updated_at=utcnow(), **values)
    )
    db.session.commit()


# --- Sweeping -----------------------------------------------------------------------------


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
        .values(status=MailStatus.FAILED, last_error="worker lost during the last attempt")
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


# --- Organiser operations -----------------------------------------------------------------


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
        note=f"to {mail.recipient}",
    )
