"""The SQLAlchemy base, session and shared column types."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from functools import cache
from typing import Any

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Connection, DateTime, Enum, MetaData, TypeDecorator, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.sql.dml import Insert

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An instant stored as naive UTC and always returned timezone-aware in UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware instant is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


db = SQLAlchemy(model_class=Base)


def str_enum(kind: type[enum.Enum]) -> Enum:
    """A Python enum stored as its values in a VARCHAR(32), the same on PostgreSQL and SQLite."""
    return Enum(kind, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


# The largest id the id columns hold (PostgreSQL INTEGER): a larger number sent by a client
# names nothing, and PostgreSQL would refuse it as a parameter ("integer out of range").
MAX_ID = 2**31 - 1


def parse_id(value: object) -> int | None:
    """An id sent by a client (URL, query string, JSON), or None if it cannot be one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit():
        number = int(value)
    else:
        return None
    return number if 0 < number <= MAX_ID else None


def utcnow() -> datetime:
    return datetime.now(UTC)


def insert_ignoring_conflicts(model: type[Any], values: dict[str, Any]) -> int | None:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id: the new id, or None on a conflict.

    On PostgreSQL a conflicting row that another transaction has not committed yet makes
    this wait for that transaction, then do nothing if it committed.
    """
    dialect = db.session.get_bind().dialect.name
    return db.session.execute(_insert_ignoring(model, dialect), values).scalar()


def insert_many_ignoring_conflicts(model: type[Any], rows: list[dict[str, Any]]) -> list[Any]:
    """`insert_ignoring_conflicts` for many rows (all with the same keys): the
    (id, idempotency_key) of those inserted. One statement built once per table, executed
    with all the rows (SQLAlchemy's "insertmanyvalues" writes them as multi-row INSERTs):
    compiling a `.values(rows)` statement anew for each call cost more than the rows."""
    if not rows:
        return []
    dialect = db.session.get_bind().dialect.name
    return list(db.session.execute(_insert_many_ignoring(model, dialect), rows))


def upsert(model: type[Any], rows: list[dict[str, Any]], keys: tuple[str, ...]) -> None:
    """INSERT ... ON CONFLICT (keys) DO UPDATE: rows written over those with the same keys
    (all rows with the same columns), one statement per table, columns and dialect."""
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    db.session.execute(_upsert(model, tuple(rows[0]), keys, dialect), rows)


@cache
def _insert_many_ignoring(model: type[Any], dialect: str) -> Insert:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = model.__table__
    return insert(table).on_conflict_do_nothing().returning(table.c.id, table.c.idempotency_key)


@cache
def _upsert(
    model: type[Any], names: tuple[str, ...], keys: tuple[str, ...], dialect: str
) -> Insert:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(model.__table__)
    changed = {name: statement.excluded[name] for name in names if name not in keys}
    return statement.on_conflict_do_update(index_elements=list(keys), set_=changed)


@cache
def _insert_ignoring(model: type[Any], dialect: str) -> Insert:
    """The statement, built once per table and dialect; the values come with each execution."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = model.__table__
    return insert(table).on_conflict_do_nothing().returning(table.c.id)


# --- Ending read-only requests ----------------------------------------------------------
#
# psycopg forgets its prepared statements on every ROLLBACK of an open transaction, and a
# request that only read ends with one (the session closes). PostgreSQL then parses and
# plans every statement of every request again. A transaction that only read ends the same
# way with COMMIT, so such requests commit instead and the driver keeps its statements.

_WROTE = "registration.wrote"


def _note_write(conn: Connection, cursor: Any, statement: str, *args: Any) -> None:
    if statement.lstrip()[:6].upper() != "SELECT":
        conn.info[_WROTE] = True


def _forget_writes(conn: Connection) -> None:
    if conn.invalidated:  # a cut connection: its info went with it, and reading it would raise
        return
    conn.info.pop(_WROTE, None)


def end_read_only_requests_with_commit(app: Flask) -> None:
    """On PostgreSQL, a request whose transaction ran nothing but SELECTs, with no pending
    ORM change and no unhandled error, commits instead of rolling back; call after
    `db.init_app` so it runs before the session is removed."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", _note_write)
    event.listen(engine, "commit", _forget_writes)
    event.listen(engine, "rollback", _forget_writes)
    app.teardown_appcontext(_commit_if_read_only)


def _commit_if_read_only(error: BaseException | None) -> None:
    session = db.session()
    if error is not None or not session.in_transaction():
        return
    if session.new or session.dirty or session.deleted:
        return
    try:
        if not session.connection().info.get(_WROTE):
            # The session ends here: leave loaded objects readable, as closing it would.
            session.expire_on_commit = False
            session.commit()
    except SQLAlchemyError:  # a broken or aborted transaction: the rollback ends it
        session.rollback()
