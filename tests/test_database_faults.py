"""The service's PostgreSQL connections are cut while it runs (pg_terminate_backend, as a
restart, a failover or an idle kill does): reads still answer; a change whose connection
is cut answers a 503 "try again" page and leaves nothing half-saved; no error page fails."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from flask import Flask
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from registration import create_app
from registration.accounts import sessions
from registration.database import db
from registration.extensions import limiter
from registration.mail.models import OutgoingMail
from registration.signup.models import Registration, RegistrationPanel
from tests.signup_support import form_data, member_id, open_registration

pytestmark = pytest.mark.postgres


def _own_app(app: Flask, database_uri: str, **overrides: Any) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "PROPAGATE_EXCEPTIONS": False,
            "SQLALCHEMY_DATABASE_URI": database_uri,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            **{key: app.config[key] for key in ("SECRET_KEY", "BASE_URL", "MAILBOX_FOLDER")},
            **overrides,
        }
    )


@pytest.fixture(autouse=True)
def session_app_restored(app: Flask) -> Iterator[None]:
    """`create_app` makes each app here the default Celery app: hand it back afterwards, or
    later tests' tasks would run on this file's (possibly unreachable) database."""
    yield
    app.extensions["celery"].set_current()
    app.extensions["celery"].set_default()


@pytest.fixture
def own(app: Flask, database_uri: str) -> Iterator[Flask]:
    """The service on the test database, as configured by default (pre-ping on)."""
    application = _own_app(app, database_uri)
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def admin(database_uri: str) -> Iterator[psycopg.Connection]:
    """A connection of our own, outside the service, that cuts the service's."""
    url = make_url(database_uri).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as conn:
        yield conn


def terminate_service_backends(admin: psycopg.Connection) -> int:
    """Cut every other connection to this database, as a server restart would."""
    return len(
        admin.execute(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    )


@pytest.fixture
def ttf9(app: Flask, members: None, make_conference, make_panel) -> dict[str, Any]:
    """The public form's answers for a conference open for sign-ups (one panel chosen)."""
    conference_id = make_conference(slug="ttf9")
    panel_id = make_panel(conference_id)
    open_registration(app, conference_id)
    return form_data(member_id(app, "KAZ"), panels=[str(panel_id)])


def registrations(app: Flask) -> list[tuple[str, int, int]]:
    """(e-mail, panels, queued mails to that address) of every registration."""
    with app.app_context():
        return [
            (
                person.email,
                db.session.scalar(
                    db.select(db.func.count()).where(RegistrationPanel.registration_id == person.id)
                ),
                db.session.scalar(
                    db.select(db.func.count()).where(OutgoingMail.recipient == person.email)
                ),
            )
            for person in db.session.scalars(db.select(Registration).order_by(Registration.id))
        ]


def test_pages_and_forms_work_after_the_server_cut_every_connection(
    own: Flask, app: Flask, admin: psycopg.Connection, ttf9: dict[str, Any]
) -> None:
    client = own.test_client()
    for _ in range(3):
        assert client.get("/conferences/ttf9").status_code == 200
    assert terminate_service_backends(admin) >= 1
    assert client.get("/conferences/ttf9").status_code == 200
    assert client.head("/conferences/ttf9/register").status_code == 200
    response = client.post("/conferences/ttf9/register", data=ttf9)
    assert response.status_code == 302
    assert registrations(app) == [("aigerim@kisi.example", 1, 1)]


def test_without_pre_ping_reads_are_answered_again_and_a_change_is_refused_cleanly(
    app: Flask, database_uri: str, admin: psycopg.Connection, ttf9: dict[str, Any]
) -> None:
    own = _own_app(app, database_uri, SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": False})
    try:
        client = own.test_client()
        assert client.get("/conferences/ttf9").status_code == 200
        terminate_service_backends(admin)
        page = client.get("/conferences/ttf9")
        assert page.status_code == 200, "answered again on a fresh connection"
        assert "Ninth Meeting of the CICA Think Tank Forum" in page.text
        client.get("/conferences/ttf9/register")
        terminate_service_backends(admin)
        refused = client.post("/conferences/ttf9/register", data=ttf9)
        assert refused.status_code == 503
        assert "nothing was saved" in refused.text
        assert refused.headers["Retry-After"] == "5"
        assert registrations(app) == []
        again = client.post("/conferences/ttf9/register", data=ttf9)
        assert again.status_code == 302, "the pool replaced its connections"
        assert registrations(app) == [("aigerim@kisi.example", 1, 1)]
    finally:
        with own.app_context():
            db.engine.dispose()


@contextmanager
def cut_at(application: Flask, admin: psycopg.Connection, step: int) -> Iterator[list[str]]:
    """Terminate the service's connection just before its `step`-th statement (a COMMIT
    counts as one); yields the statements seen."""
    seen: list[str] = []

    def cut(conn: Any) -> None:
        pid = conn.connection.dbapi_connection.info.backend_pid
        admin.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])

    def before_statement(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement.split(None, 1)[0])
        if len(seen) == step:
            cut(conn)

    def before_commit(conn: Any) -> None:
        seen.append("COMMIT")
        if len(seen) == step:
            cut(conn)

    with application.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before_statement)
    event.listen(engine, "commit", before_commit)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before_statement)
        event.remove(engine, "commit", before_commit)


def test_a_sign_up_cut_at_any_statement_is_saved_whole_or_not_at_all(
    own: Flask, app: Flask, admin: psycopg.Connection, ttf9: dict[str, Any]
) -> None:
    client = own.test_client()
    client.get("/conferences/ttf9/register")
    outcomes = []
    step = 0
    while True:
        step += 1
        email = f"person{step}@kisi.example"
        with cut_at(own, admin, step) as seen:
            response = client.post("/conferences/ttf9/register", data={**ttf9, "email": email})
        saved = [row for row in registrations(app) if row[0] == email]
        if response.status_code == 503:
            assert "nothing was saved" in response.text
            assert saved == [], f"cut before {seen[step - 1]} (step {step}) half-saved"
            outcomes.append("refused")
            continue
        assert response.status_code == 302, (step, response.status_code)
        assert saved == [(email, 1, 1)], "saved whole"
        if len(seen) < step:  # the request ended before the cut: every step was tried
            break
        outcomes.append("saved")
    assert outcomes.count("refused") >= 5, outcomes
    assert "COMMIT" in seen


def test_a_page_cut_at_any_statement_is_still_answered(
    own: Flask, admin: psycopg.Connection, ttf9: dict[str, Any]
) -> None:
    client = own.test_client()
    step = 0
    while True:
        step += 1
        with cut_at(own, admin, step) as seen:
            page = client.get("/conferences/ttf9/register")
        assert page.status_code == 200, (step, page.status_code)
        assert 'id="registration-form"' in page.text
        if len(seen) < step:
            break
    assert step > 2


def test_an_unreachable_database_is_a_503_page_not_a_server_error(
    app: Flask, database_uri: str
) -> None:
    nowhere = make_url(database_uri).set(port=1).render_as_string(hide_password=False)
    down = _own_app(app, nowhere)
    client = down.test_client()
    page = client.get("/conferences/ttf9")
    assert page.status_code == 503
    assert "could not reach its database" in page.text
    assert "<h1>503</h1>" in page.text
    form = client.post("/account/login", data={"email": "a@b.example", "password": "x" * 10})
    assert form.status_code == 503
    assert "nothing was saved" in form.text
    with client.session_transaction() as session:
        session["_user_id"] = "1"  # signed in: loading the user needs the database too
        session[sessions.KEY] = "the key of a server-side sign-in"
    manage = client.get("/manage/")
    assert manage.status_code == 503
    assert "could not reach its database" in manage.text
    assert 'class="site-header"' in manage.text, "the plain page, not the last-resort one"
    assert 'class="skip-link" href="#main"' in manage.text
    assert 'id="accessibility-link"' in manage.text
    api = client.post("/manage/conferences/ttf9/checkin/api/scan", json={})
    assert api.status_code == 503
    assert api.json["reason"] == (
        "The service could not reach its database, so nothing was saved. "
        "Please try again in a moment."
    )
    with down.app_context():
        db.engine.dispose()


def test_the_error_page_after_a_failed_statement_is_the_site_s_page(
    app: Flask, database_uri: str, make_organizer: Callable[..., Any]
) -> None:
    broken = _own_app(app, database_uri)

    @broken.route("/test/refused-statement")
    def refused_statement() -> str:
        db.session.execute(text("SELECT 1/0"))
        return "not reached"

    @broken.route("/test/after-a-failed-flush")
    def after_a_failed_flush() -> str:
        with contextlib.suppress(DBAPIError):  # a buggy view that forgets to roll back
            db.session.execute(text("SELECT 1/0"))
        db.session.execute(text("SELECT 1"))
        return "not reached"

    user = make_organizer()
    client = broken.test_client()
    signed_in = client.post(
        "/account/login", data={"email": user.email, "password": "correct horse battery"}
    )
    assert signed_in.status_code == 302
    for path in ("/test/refused-statement", "/test/after-a-failed-flush"):
        page = client.get(path)
        assert page.status_code == 500, path
        assert "<h1>500</h1>" in page.text
        assert 'class="site-header"' in page.text
        assert "Sign out" in page.text, "the signed-in user was read again after the rollback"
    with broken.app_context():
        db.engine.dispose()


def test_an_error_handler_whose_database_went_away_answers_503(
    app: Flask, database_uri: str
) -> None:
    """The sign-up form's rate-limit page reads the conference: with the database gone that
    handler fails too, and the visitor still gets the "try again" page."""
    nowhere = make_url(database_uri).set(port=1).render_as_string(hide_password=False)
    down = _own_app(
        app,
        nowhere,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        SIGNUP_RATE_LIMIT="1 per minute",
    )
    try:
        client = down.test_client()
        assert client.post("/conferences/ttf9/register", data={}).status_code == 503
        limited = client.post("/conferences/ttf9/register", data={})
        assert limited.status_code == 503
        assert "nothing was saved" in limited.text
    finally:
        limiter.enabled = False
        with down.app_context():
            db.engine.dispose()
