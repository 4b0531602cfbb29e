"""On PostgreSQL a request that only read ends with COMMIT, so psycopg keeps its prepared
statements (it drops them on every ROLLBACK); a request that wrote and did not commit is
still rolled back, and so are ORM changes it never flushed; a connection the server closed
after the reads costs no failed request."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from sqlalchemy import insert, text

from registration import create_app
from registration.conferences.models import Conference
from registration.database import db
from registration.directory.models import Member

pytestmark = pytest.mark.postgres


@pytest.fixture
def own(app: Flask, database_uri: str) -> Iterator[Flask]:
    """An app of its own on the same database, which test routes can still be added to."""
    application = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_uri,
            **{key: app.config[key] for key in ("SECRET_KEY", "BASE_URL", "MAILBOX_FOLDER")},
        }
    )
    yield application
    with application.app_context():
        db.engine.dispose()


def test_reading_pages_leaves_the_driver_its_prepared_statements(
    own: Flask, members: None, make_conference: Callable[..., int]
) -> None:
    make_conference(slug="ttf9")
    client = own.test_client()  # one request at a time: one pooled connection
    for _ in range(8):
        assert client.get("/conferences/ttf9").status_code == 200
    with own.app_context():
        prepared = db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
    assert prepared is not None
    assert prepared > 0


def test_a_request_that_wrote_without_committing_is_rolled_back(
    own: Flask, make_conference: Callable[..., int]
) -> None:
    @own.route("/test/write-and-forget")
    def write_and_forget() -> str:
        db.session.scalars(db.select(Member.id)).all()
        db.session.execute(insert(Member).values(code="ZZZ", name="Nowhere", kind="member_state"))
        return "written, not committed"

    @own.route("/test/change-and-forget")
    def change_and_forget() -> str:
        conference = db.session.scalars(db.select(Conference).filter_by(slug="ttf9")).one()
        conference.title = "After"
        return "changed, not flushed"

    conference_id = make_conference(slug="ttf9", title="Before")
    client = own.test_client()
    assert client.get("/test/write-and-forget").status_code == 200
    assert client.get("/test/change-and-forget").status_code == 200
    with own.app_context():
        assert db.session.scalar(db.select(Member.id).filter_by(code="ZZZ")) is None
        assert db.session.get(Conference, conference_id).title == "Before"


def test_a_request_whose_connection_died_after_reading_still_answers(own: Flask) -> None:
    @own.route("/test/connection-dies")
    def connection_dies() -> str:
        backend = db.session.scalar(text("SELECT pg_backend_pid()"))
        with db.engine.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        return "read, then the server closed the connection"

    client = own.test_client()
    assert client.get("/test/connection-dies").status_code == 200
    assert client.get("/test/connection-dies").status_code == 200
