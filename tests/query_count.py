"""Counting the SQL statements a request runs, on every engine the app reads with."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event

from registration.calendars import versions
from registration.database import db


@contextmanager
def counting_queries(app: Flask) -> Iterator[list[str]]:
    """The statements run while the block runs: through SQLAlchemy on the app's engine and
    the feeds' version engine, and the version reads that go straight to the driver."""
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    def count_version_read(statement: str) -> None:
        statements.append(statement)

    with app.app_context():
        engines = (db.engine, versions.version_engine())
    for engine in engines:
        event.listen(engine, "before_cursor_execute", count)
    versions.version_read.connect(count_version_read)
    try:
        yield statements
    finally:
        versions.version_read.disconnect(count_version_read)
        for engine in engines:
            event.remove(engine, "before_cursor_execute", count)
