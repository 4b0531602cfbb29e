"""Marking sent messages SENT, one autocommitted UPDATE each, without waiting for the reply.

Each message is marked right after the server's 250, so a worker killed at any moment has at
most the one message whose 250 it was reading unmarked (sent again, same Message-ID). That
needs the UPDATE to have *reached* PostgreSQL before the next message goes, not its answer:
on PostgreSQL the UPDATE is written to the connection's socket at once (libpq's extended
protocol with its Sync: an implicit transaction that commits even if this process dies
right after writing it, since the server reads and runs what it received before it notices
the closed connection) and its answer is read before the next UPDATE, by then long
arrived. This takes one round trip per message (about a tenth of a message's time) off
the sender's wait. Other databases wait for each UPDATE.
"""

from __future__ import annotations

import select
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, text, update

from registration.mail.models import MailStatus, OutgoingMail

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
_MARK_COMPOSED_SENT = _MARK_SENT.values(
    message=bindparam("message"), recipient=bindparam("recipient"), subject=bindparam("subject")
)
# The same UPDATEs for libpq: $1 the time (as timestamptz, as psycopg sends an aware
# datetime), $2 the id; then the composed message's bytes (binary), recipient, subject.
# (`tests/test_mail_marks.py` checks they write what the SQLAlchemy ones write.)
_RAW_SENT = (
    b"UPDATE outgoing_mail SET status = 'sent', sent_at = $1, updated_at = $1,"
    b" last_error = '' WHERE id = $2"
)
_RAW_COMPOSED_SENT = (
    b"UPDATE outgoing_mail SET status = 'sent', sent_at = $1, updated_at = $1,"
    b" last_error = '', message = $3, recipient = $4, subject = $5 WHERE id = $2"
)
_TIMESTAMPTZ, _INT8, _BYTEA, _TEXT = 1184, 20, 17, 25
_WAIT_SECONDS = 60.0


class Marks:
    """The SENT marks of one batch, on an autocommitted connection of their own."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.pgconn = _libpq(connection)
        self.waiting = False

    def sent(self, row_id: int, now: datetime, stored: dict[str, Any] | None = None) -> None:
        """Mark a row SENT (with the message as composed, if `stored`); on PostgreSQL this
        returns once the UPDATE is on its way, and the next call reads its answer."""
        if self.pgconn is None:
            statement = _MARK_COMPOSED_SENT if stored else _MARK_SENT
            self.connection.execute(statement, {"row_id": row_id, "now": now, **(stored or {})})
            return
        self.settle()
        values: list[bytes | None] = [now.isoformat().encode(), str(row_id).encode()]
        types, formats = [_TIMESTAMPTZ, _INT8], [0, 0]
        if stored:
            values += [stored["message"], stored["recipient"].encode(), stored["subject"].encode()]
            types, formats = [*types, _BYTEA, _TEXT, _TEXT], [*formats, 1, 0, 0]
        sql = _RAW_COMPOSED_SENT if stored else _RAW_SENT
        self.pgconn.send_query_params(sql, values, param_types=types, param_formats=formats)
        self.waiting = True
        while self.pgconn.flush():  # the rest did not fit in the socket's buffer yet
            _ready(self.pgconn, write=True)

    def settle(self) -> None:
        """Read the answer to the UPDATE on its way, if any; raise if it failed."""
        if not self.waiting or self.pgconn is None:
            return
        self.waiting = False
        error = None
        while True:
            while self.pgconn.is_busy():
                _ready(self.pgconn, write=False)
                self.pgconn.consume_input()
            result = self.pgconn.get_result()
            if result is None:
                break
            if result.error_message and error is None:
                error = result.error_message.decode(errors="replace")
        if error:
            raise RuntimeError(f"marking an outbox row SENT failed: {error}")

    def execute(self, statement: Any) -> None:
        """Another statement on this connection (the lease), after the pending answer."""
        self.settle()
        self.connection.execute(statement)


def _libpq(connection: Connection) -> Any:
    """psycopg's libpq connection under an autocommitted PostgreSQL connection, else None."""
    if connection.dialect.name != "postgresql":
        return None
    driver = connection.connection.driver_connection
    return getattr(driver, "pgconn", None)


def _ready(pgconn: Any, *, write: bool) -> None:
    """Wait until libpq's socket can be read (or written): one answer, at most a minute."""
    socket = pgconn.socket
    readable, writable, _ = select.select([socket], [socket] if write else [], [], _WAIT_SECONDS)
    if not readable and not writable:
        raise TimeoutError("PostgreSQL did not answer a SENT mark within a minute")
    if write and readable:
        pgconn.consume_input()


def synchronous_commit_off(connection: Connection) -> bool:
    """`synchronous_commit off` on this PostgreSQL connection (see `services.deliver_many`);
    whether it was set (then `RESET` it before the connection goes back to the pool)."""
    if connection.dialect.name != "postgresql":
        return False
    connection.execute(text("SET synchronous_commit TO OFF"))
    return True
