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
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr
from functools import lru_cache
from typing import Any

from flask import Flask, current_app
from sqlalchemy import text, update

from registration import publishing
from registration.database import db, utcnow
from registration.mail import threads
from registration.mail.composers import compose_intent, prepare_intents
from registration.mail.marks import Marks, synchronous_commit_off
from registration.mail.models import MailStatus, OutgoingMail
from registration.mail.wire import mail_bytes
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
    sender = _address(current_app.config["MAIL_DEFAULT_SENDER"])
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


@lru_cache(maxsize=8)
def _address(sender: str) -> str:
    return parseaddr(sender)[1]


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


@dataclass(frozen=True)
class Claimed:
    """A row claimed for sending: its stored message, or the intent to compose it from."""

    id: int
    recipient: str
    message: bytes | None
    attempts: int
    composer: str | None
    intent: dict[str, Any] | None
    message_id: str


def claim(ids: list[int]) -> tuple[list[Claimed], dict[int, int]]:
    """Mark the due, sendable rows among `ids` INFLIGHT and return what to send, with
    {id: seconds} of those that wait for an older message of their thread (`threads`).

    Rows another worker holds are skipped (`SKIP LOCKED` on PostgreSQL); the state condition
    in the UPDATE makes the claim a compare-and-set on every database.
    """
    now = utcnow()
    due = db.session.execute(
        db.select(OutgoingMail.id, OutgoingMail.thread, OutgoingMail.sequence)
        .where(
            OutgoingMail.id.in_(ids),
            OutgoingMail.status.in_(SENDABLE),
            OutgoingMail.next_attempt_at <= now + timedelta(seconds=2),
        )
        .with_for_update(skip_locked=True)
    ).all()
    if not due:
        db.session.rollback()
        return [], {}
    decision = threads.decide(due)
    sendable = OutgoingMail.status.in_(SENDABLE)
    if decision.superseded:
        db.session.execute(
            update(OutgoingMail)
            .where(OutgoingMail.id.in_(decision.superseded), sendable)
            .values(status=MailStatus.SUPERSEDED, updated_at=now)
        )
    waiting = timedelta(seconds=threads.THREAD_WAIT_SECONDS)
    if decision.wait:
        db.session.execute(
            update(OutgoingMail)
            .where(OutgoingMail.id.in_(decision.wait), sendable)
            .values(status=MailStatus.AWAITING_RETRY, next_attempt_at=now + waiting)
        )
    claimed = db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id.in_(decision.go), sendable)
        .values(status=MailStatus.INFLIGHT, attempts=OutgoingMail.attempts + 1, updated_at=now)
        .returning(*_CLAIMED_COLUMNS)
    ).all()
    db.session.commit()
    rows = sorted((Claimed(*row) for row in claimed), key=lambda row: row.id)
    return rows, dict.fromkeys(decision.wait, threads.THREAD_WAIT_SECONDS)


_CLAIMED_COLUMNS = (
    OutgoingMail.id,
    OutgoingMail.recipient,
    OutgoingMail.message,
    OutgoingMail.attempts,
    OutgoingMail.composer,
    OutgoingMail.intent,
    OutgoingMail.message_id,
)


def deliver_many(ids: list[int]) -> dict[int, int]:
    """Send the due rows among `ids`; returns {id: seconds until its retry}.

    Each message is marked SENT right after the server's 250, in its own autocommitted
    UPDATE written to PostgreSQL before the next message goes (`marks`: its answer is read
    then), which keeps the window in which a killed worker leaves a sent message unmarked
    to that one message. On PostgreSQL these commits do not wait for the WAL flush
    (`synchronous_commit off` on this connection): a killed worker cannot lose them, since
    the server has them; only a crash of the database server could, and then the message
    goes again with the same Message-ID. While it works through the rows it renews the
    lease of those still to send (`_Lease`), so the sweeper leaves them alone.
    """
    claimed, retries = claim(ids)
    if not claimed:
        return retries
    prepared = _prepare(claimed)
    with db.engine.connect() as connection:
        autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
        reset = synchronous_commit_off(autocommit)
        marks = Marks(autocommit)
        lease = _Lease(marks, [row.id for row in claimed])
        try:
            for row in claimed:
                lease.renew()
                delay = _deliver_one(marks, row)
                lease.done(row.id)
                if delay is not None:
                    retries[row.id] = delay
        finally:
            try:
                marks.settle()  # the last mark's answer
            finally:
                if reset:
                    autocommit.execute(text("RESET synchronous_commit"))
    del prepared
    return retries


def _prepare(claimed: list[Claimed]) -> list[object]:
    """What the composers of the batch's intents load for them at once (`prepare_intents`);
    nothing if that fails: each composer then loads what it needs itself."""
    intents = [(row.composer, row.intent) for row in claimed if row.message is None]
    try:
        return prepare_intents([(name or "", intent or {}) for name, intent in intents])
    except Exception:
        log.exception("preparing a batch of %d intents failed", len(intents))
        db.session.rollback()
        return []


def _deliver_one(marks: Marks, row: Claimed) -> int | None:
    """Compose (if it is an intent) and send one claimed row; seconds until a retry."""
    _pace()
    try:
        composed = _composed(row)
    except Exception as error:  # a composer's failure: retried like a temporary one
        log.exception("composing outbox row %s (%s) failed", row.id, row.composer)
        return _record_failure(row.id, row.attempts, error)
    if composed is None:
        _set(row.id, status=MailStatus.SKIPPED, last_error="nothing to say any more")
        return None
    recipient, subject, message = composed
    try:
        smtp_send(recipient, message)
    except (smtplib.SMTPException, OSError) as error:
        return _record_failure(row.id, row.attempts, error)
    stored = {"message": message, "recipient": recipient, "subject": subject}
    marks.sent(row.id, utcnow(), stored if row.message is None else None)
    return None


def _composed(row: Claimed) -> tuple[str, str | None, bytes] | None:
    """(recipient, subject, bytes) to send: the stored message, or the intent composed now
    with the row's own Message-ID; None if the composer has nothing to say any more."""
    if row.message is not None:
        return row.recipient, None, row.message
    mail = compose_intent(row.composer or "", row.intent or {})
    if mail is None:
        return None
    return mail.to, mail.subject[:400], mail_bytes(mail, row.message_id)


class _Lease:
    """Keeps the claimed rows' lease (`updated_at`) fresh while a batch is sent: every
    third of MAIL_INFLIGHT_TIMEOUT_SECONDS the rows not sent yet are touched, so only a dead
    worker's rows outlive the lease and are taken over by the sweeper. One message's SMTP
    exchange (at most MAIL_SMTP_TIMEOUT_SECONDS) must fit in the rest of the lease."""

    def __init__(self, marks: Marks, ids: list[int]) -> None:
        self.marks, self.pending, self.at = marks, set(ids), time.monotonic()
        self.every = current_app.config["MAIL_INFLIGHT_TIMEOUT_SECONDS"] / 3

    def done(self, outbox_id: int) -> None:
        self.pending.discard(outbox_id)

    def renew(self) -> None:
        if time.monotonic() - self.at < self.every or not self.pending:
            return
        self.marks.execute(
            update(_table)
            .where(_table.c.id.in_(self.pending), _table.c.status == MailStatus.INFLIGHT.value)
            .values(updated_at=utcnow())
        )
        self.at = time.monotonic()


_table = OutgoingMail.__table__


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


def message_of(row: OutgoingMail) -> bytes | None:
    """A row's message: as stored, or as a worker would compose it now from its intent
    (None: its composer has nothing to say any more). For previews and tests."""
    claimed = Claimed(
        row.id, row.recipient, row.message, row.attempts, row.composer, row.intent, row.message_id
    )
    composed = _composed(claimed)
    return composed[2] if composed is not None else None
