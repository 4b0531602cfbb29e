"""SENT marks (`registration.mail.marks`): the UPDATE written without waiting for its answer
stores what the SQLAlchemy UPDATE stores, and is committed even when the worker dies right
after writing it (a real process killed with SIGKILL, PostgreSQL)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, insert

from registration.database import db, utcnow
from registration.mail.marks import _MARK_COMPOSED_SENT, _MARK_SENT, Marks
from registration.mail.models import MailStatus, OutgoingMail

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parent.parent


def _rows(app: Flask, count: int, prefix: str = "marks") -> list[int]:
    """`count` INFLIGHT rows: even ones hold their message, odd ones an intent."""
    now = utcnow() - timedelta(hours=1)
    with app.app_context():
        ids = db.session.scalars(
            insert(OutgoingMail).returning(OutgoingMail.id),
            [
                {
                    "idempotency_key": f"{prefix}:{number}",
                    "recipient": "queued@example.org",
                    "subject": "",
                    "message_id": f"<{number}@{prefix}.example>",
                    "message": b"stored bytes" if number % 2 == 0 else None,
                    "composer": None if number % 2 == 0 else "tests.composer",
                    "intent": None if number % 2 == 0 else {"n": number},
                    "status": MailStatus.INFLIGHT,
                    "attempts": 1,
                    "next_attempt_at": now,
                    "last_error": "an earlier 451",
                    "created_at": now,
                    "updated_at": now,
                }
                for number in range(count)
            ],
        ).all()
        db.session.commit()
        return list(ids)


def _stored(app: Flask, ids: list[int]) -> list[tuple[object, ...]]:
    with app.app_context():
        rows = db.session.execute(
            db.select(
                OutgoingMail.status,
                OutgoingMail.sent_at,
                OutgoingMail.updated_at,
                OutgoingMail.last_error,
                OutgoingMail.message,
                OutgoingMail.recipient,
                OutgoingMail.subject,
            )
            .where(OutgoingMail.id.in_(ids))
            .order_by(OutgoingMail.id)
        ).all()
        db.session.remove()
        return [tuple(row) for row in rows]


def _composed(number: int) -> dict[str, object] | None:
    if number % 2 == 0:
        return None
    return {"message": bytes(range(256)) * 4, "recipient": "to@example.org", "subject": "Été"}


def test_marks_store_what_the_sqlalchemy_update_stores(app: Flask) -> None:
    pipelined, plain = _rows(app, 4, "pipelined"), _rows(app, 4, "plain")
    with app.app_context():
        now = utcnow()
        with db.engine.connect() as connection:
            autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
            marks = Marks(autocommit)
            for number, row_id in enumerate(pipelined):
                marks.sent(row_id, now, _composed(number))
            marks.settle()
            for number, row_id in enumerate(plain):
                stored = _composed(number)
                statement = _MARK_COMPOSED_SENT if stored else _MARK_SENT
                autocommit.execute(statement, {"row_id": row_id, "now": now, **(stored or {})})
    written = _stored(app, pipelined)
    assert written == _stored(app, plain)
    assert [row[0] for row in written] == [MailStatus.SENT] * 4
    assert written[1][4:] == (bytes(range(256)) * 4, "to@example.org", "Été")
    assert written[0][4:] == (b"stored bytes", "queued@example.org", "")


def test_a_failed_mark_is_told(app: Flask) -> None:
    with app.app_context(), db.engine.connect() as connection:
        marks = Marks(connection.execution_options(isolation_level="AUTOCOMMIT"))
        if marks.pgconn is None:
            pytest.skip("marks wait for each UPDATE on this database")
        too_long = {"message": b"x", "recipient": "x" * 300, "subject": ""}
        marks.sent(_rows(app, 2)[1], utcnow(), too_long)
        with pytest.raises(RuntimeError, match="marking an outbox row SENT failed"):
            marks.settle()


def test_a_mark_written_just_before_the_worker_is_killed_is_committed(app: Flask) -> None:
    """The process writes the UPDATE, does not read the answer and dies of SIGKILL: the row
    is SENT all the same (so the message is not sent again)."""
    if create_engine(app.config["SQLALCHEMY_DATABASE_URI"]).dialect.name != "postgresql":
        pytest.skip("marks wait for each UPDATE on this database")
    row_id = _rows(app, 1)[0]
    script = textwrap.dedent(
        f"""
        import os, signal
        from sqlalchemy import create_engine
        from registration.database import utcnow
        from registration.mail.marks import Marks
        engine = create_engine({app.config["SQLALCHEMY_DATABASE_URI"]!r})
        connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        Marks(connection).sent({row_id}, utcnow())
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    died = subprocess.run([sys.executable, "-c", script], cwd=ROOT, timeout=60, check=False)
    assert died.returncode == -9
    for _ in range(50):
        if _stored(app, [row_id])[0][0] == MailStatus.SENT:
            break
        time.sleep(0.1)
    assert _stored(app, [row_id])[0][0] == MailStatus.SENT
