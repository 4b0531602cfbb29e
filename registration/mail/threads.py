"""Ordering the messages of one thread (one person about one thing, e.g. a panel).

Each threaded outbox row carries a `sequence`; when a worker is about to send rows:
- a row older than another live row of its thread (queued, waiting to retry, in flight or
  sent) is SUPERSEDED: the newer one says all it would have said, and it must not arrive
  after it;
- a row with an older row of its thread INFLIGHT waits (THREAD_WAIT_SECONDS, then it is
  tried again), so two messages of a thread are never on their way at once;
- the others go.
On PostgreSQL the decision is taken under a transaction-level advisory lock per thread, so
two workers deciding about the same thread at once see each other's claims.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, text

from registration.database import db
from registration.mail.models import MailStatus, OutgoingMail

THREAD_WAIT_SECONDS = 3
LIVE = (MailStatus.QUEUED, MailStatus.AWAITING_RETRY, MailStatus.INFLIGHT, MailStatus.SENT)
_LOCK = text(
    "SELECT count(pg_advisory_xact_lock(k)) FROM"
    " (SELECT hashtext(t) AS k FROM unnest(CAST(:threads AS text[])) AS t ORDER BY 1) AS s"
).bindparams(bindparam("threads"))


@dataclass
class Decision:
    go: list[int] = field(default_factory=list)
    superseded: list[int] = field(default_factory=list)
    wait: list[int] = field(default_factory=list)


def decide(due: list[Any]) -> Decision:
    """Split due rows (id, thread, sequence) into those to send, superseded and waiting."""
    decision = Decision()
    threads = sorted({row.thread for row in due if row.thread})
    if threads and db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(_LOCK, {"threads": threads})
    newest: dict[str, int] = {}
    oldest_inflight: dict[str, int] = {}
    if threads:
        for thread, sequence, status in db.session.execute(
            db.select(OutgoingMail.thread, OutgoingMail.sequence, OutgoingMail.status).where(
                OutgoingMail.thread.in_(threads), OutgoingMail.status.in_(LIVE)
            )
        ):
            newest[thread] = max(newest.get(thread, sequence), sequence)
            if status == MailStatus.INFLIGHT:
                oldest_inflight[thread] = min(oldest_inflight.get(thread, sequence), sequence)
    for row in due:
        if not row.thread:
            decision.go.append(row.id)
        elif row.sequence < newest.get(row.thread, row.sequence):
            decision.superseded.append(row.id)
        elif oldest_inflight.get(row.thread, row.sequence) < row.sequence:
            decision.wait.append(row.id)
        else:
            decision.go.append(row.id)
    return decision
