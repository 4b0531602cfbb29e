"""Sending the outbox: publish after commit, deliver over SMTP with retries, sweep, resend.

States: QUEUED -> INFLIGHT -> SENT, or -> AWAITING_RETRY (4xx, connection trouble) -> ... ->
FAILED (5xx at once, or after MAIL_MAX_ATTEMPTS: the dead letters organisers can resend).
A send is claimed by a compare-and-set UPDATE on the row's state (under `FOR UPDATE SKIP
LOCKED` on PostgreSQL), so a duplicated or retried task never sends twice; only a worker
killed between the server's 250 and the SENT commit sends again, with the same Message-ID.
"""

from __future__ import annotations

import logging
import smtplib
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any

from flask import Flask, current_app, has_app_context, has_request_context
from sqlalchemy import bindparam, event, func, or_, text, update
from sqlalchemy.orm import Session

from registration.database import db, utcnow
from registration.mail.models import MailBatch, MailStatus, OutgoingMail
from registration.mail.publisher import BackgroundPublisher, drain_at_exit

log = logging.getLogger(__name__)

SEND_TASK = "workers.mail.send_mail"
SEND_BATCH_TASK = "workers.mail.send_mail_batch"
COMPOSE_BATCH_TASK = "workers.invitations.compose_batch"
SENDABLE = (MailStatus.QUEUED, MailStatus.AWAITING_RETRY)
_PUBLISH_KEY = "mail.publish"
_installed = False


# --- Publishing after commit -------------------------------------------------------------


def init_app(app: Flask) -> None:
    """Publish the tasks a transaction asked for (`publish_after_commit`) once it commits."""
    global _installed
    if _installed:
        return
    event.listen(Session, "after_commit", _publish_collected)
    event.listen(Session, "after_rollback", _forget_collected)
    drain_at_exit(background)
    _installed = True


def publish_after_commit(task: str, *args: Any) -> None:
    """Publish a Celery task by name once the current transaction commits."""
    db.session.info.setdefault(_PUBLISH_KEY, []).append((task, args))


def _forget_collected(session: Session) -> None:
    session.info.pop(_PUBLISH_KEY, None)


def _publish_collected(session: Session) -> None:
    """Publish after commit: a request hands the tasks to the background publisher (its
    response does not wait for the broker); CLI commands and workers publish at once."""
    pending = session.info.pop(_PUBLISH_KEY, None)
    if not pending or not has_app_context():
        return
    if has_request_context() and current_app.config["MAIL_PUBLISH_LINGER_MS"] > 0:
        background.submit(current_app._get_current_object(), pending)
    else:
        publish(pending)


def _grouped(tasks: Iterable[tuple[str, tuple[Any, ...]]]) -> list[tuple[str, tuple[Any, ...]]]:
    """Single sends folded into batch tasks of MAIL_BATCH_SIZE ids; other tasks as they are."""
    size = current_app.config["MAIL_BATCH_SIZE"]
    others: list[tuple[str, tuple[Any, ...]]] = []
    ids: list[int] = []
    for name, args in tasks:
        if name == SEND_TASK:
            ids.append(args[0])
        else:
            others.append((name, args))
    if len(ids) == 1:
        return [(SEND_TASK, (ids[0],)), *others]
    batches = [(SEND_BATCH_TASK, (ids[i : i + size],)) for i in range(0, len(ids), size)]
    return batches + others


def publish(tasks: Iterable[tuple[str, tuple[Any, ...]]], countdown: int | None = None) -> bool:
    """Send tasks to the broker; if it is down, log and leave the rows to the sweeper."""
    celery = current_app.extensions["celery"]
    try:
        with celery.pool.acquire(block=True) as connection:
            connection.ensure_connection(max_retries=0)  # fail fast: the sweeper catches up
            producer = celery.amqp.Producer(connection)
            for name, args in _grouped(tasks):
                celery.send_task(
                    name, args=args, producer=producer, retry=False, countdown=countdown
                )
    except Exception as error:  # the broker's errors vary by transport
        log.warning("broker unavailable (%s); the outbox sweeper will publish later", error)
        return False
    return True


background = BackgroundPublisher(publish)


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
    batches = db.session.scalars(
        db.select(MailBatch.id).where(MailBatch.composed_at.is_(None), MailBatch.created_at < after)
    ).all()
    db.session.commit()
    publish([(SEND_TASK, (i,)) for i in ids] + [(COMPOSE_BATCH_TASK, (b,)) for b in batches])
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
        publish_after_commit(SEND_TASK, outbox_id)
    db.session.commit()
    return changed == 1


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    failed: int
    waiting: int

    @property
    def remaining(self) -> int:
        return max(self.total - self.sent - self.failed, 0)

    @property
    def finished(self) -> bool:
        return self.remaining == 0

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


def batch_progress(batch: str) -> Progress:
    """Done / failed / remaining of a batch, counted from its outbox rows."""
    counts = status_counts(batch)
    planned = db.session.get(MailBatch, batch)
    total = max(planned.total if planned else 0, sum(counts.values()))
    return Progress(
        total=total,
        sent=counts.get(MailStatus.SENT, 0),
        failed=counts.get(MailStatus.FAILED, 0),
        waiting=counts.get(MailStatus.AWAITING_RETRY, 0),
    )


def conference_batch_prefix(conference_id: int) -> str:
    return f"conference-{conference_id}-"


def outbox_summary(prefix: str = "") -> list[tuple[str, dict[MailStatus, int]]]:
    """Status counts per batch, newest batch first; `prefix` narrows to one conference."""
    query = db.select(
        OutgoingMail.batch, OutgoingMail.status, func.count(), func.max(OutgoingMail.id)
    ).group_by(OutgoingMail.batch, OutgoingMail.status)
    if prefix:
        query = query.where(OutgoingMail.batch.startswith(prefix, autoescape=True))
    summary: dict[str, dict[MailStatus, int]] = {}
    newest: dict[str, int] = {}
    for batch, status, count, last_id in db.session.execute(query):
        name = batch or "(none)"
        summary.setdefault(name, {})[MailStatus(status)] = count
        newest[name] = max(newest.get(name, 0), last_id)
    return sorted(summary.items(), key=lambda item: -newest[item[0]])


def dead_letters(prefix: str = "", limit: int = 200) -> list[OutgoingMail]:
    query = (
        db.select(OutgoingMail)
        .where(OutgoingMail.status == MailStatus.FAILED)
        .order_by(OutgoingMail.updated_at.desc())
        .limit(limit)
    )
    if prefix:
        query = query.where(OutgoingMail.batch.startswith(prefix, autoescape=True))
    return list(db.session.scalars(query))


def new_batch(conference_id: int | None, kind: str, label: str, total: int) -> MailBatch:
    """A bulk-send record in the caller's transaction."""
    prefix = conference_batch_prefix(conference_id) if conference_id else ""
    batch = MailBatch(
        id=f"{prefix}{kind}-{uuid.uuid4().hex[:10]}",
        conference_id=conference_id,
        kind=kind,
        label=label,
        total=total,
    )
    db.session.add(batch)
    return batch


def mark_composed(batch_id: str, when: datetime | None = None) -> None:
    db.session.execute(
        update(MailBatch).where(MailBatch.id == batch_id).values(composed_at=when or utcnow())
    )
