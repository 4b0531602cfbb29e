"""Fixtures: one app and one fresh database per test run, emptied after every test."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from psycopg.errors import DeadlockDetected
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from registration import create_app
from registration.accounts.models import User
from registration.accounts.services import create_user
from registration.conferences.models import (
    Conference,
    ConferenceFormat,
    ConferenceStatus,
    Panel,
    Series,
)
from registration.database import db
from registration.directory.services import sync_members
from tests import services
from tests.scratch_database import scratch_database

PASSWORD = "correct horse battery"
pytest_plugins = ["tests.mail_support", "tests.worker_support", "tests.webhook_support"]


def pytest_runtest_setup(item: pytest.Item) -> None:
    services.check_markers(item)


@pytest.fixture(scope="session")
def database_uri() -> Iterator[str]:
    """A database of our own: a fresh PostgreSQL database, or a temporary SQLite file."""
    if not services.is_postgres():
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'test.db'}"
        return
    with scratch_database(services.database_url(), "test") as url:
        yield url


@pytest.fixture(scope="session")
def app(database_uri: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    instance = tmp_path_factory.mktemp("instance")
    # Tasks published by this run go to a broker folder / Redis key prefix of its own.
    os.environ["BROKER_FOLDER"] = str(instance / "broker")
    os.environ["REDIS_KEY_PREFIX"] = f"test-{uuid.uuid4().hex[:10]}:"
    os.environ["CELERY_BEAT_SCHEDULE"] = str(instance / "celerybeat-schedule")
    application = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_uri,
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            "SERVER_NAME": None,
            "BASE_URL": "http://localhost",
            "MAILBOX_FOLDER": str(instance / "mailbox"),
            "FILES_FOLDER": str(instance / "files"),
        }
    )
    application.instance_path = str(instance)
    with application.app_context():
        upgrade()
    yield application
    with application.app_context():
        db.engine.dispose()
    services.drop_redis_keys(os.environ["REDIS_KEY_PREFIX"])


@pytest.fixture(autouse=True)
def _empty_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts from empty tables (rows, not schema)."""
    yield
    if "app" not in request.fixturenames:
        return
    application: Flask = request.getfixturevalue("app")
    with application.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        if db.engine.dialect.name != "postgresql":
            with db.engine.begin() as connection:
                for table in tables:
                    connection.execute(text(f'DELETE FROM "{table}"'))
            return
        joined = ", ".join(f'"{t}"' for t in tables)
        _truncate(text(f"TRUNCATE {joined} RESTART IDENTITY CASCADE"))


def _truncate(statement: Any, attempts: int = 5) -> None:
    """Empty the tables; a module's Celery worker may still be finishing a task and deadlock it."""
    for attempt in range(attempts):
        try:
            with db.engine.begin() as connection:
                connection.execute(statement)
            return
        except OperationalError as error:
            if not isinstance(error.orig, DeadlockDetected) or attempt == attempts - 1:
                raise


@pytest.fixture
def app_context(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def csrf_enabled(app: Flask) -> Iterator[None]:
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def members(app: Flask) -> None:
    """The CICA member states and observers."""
    with app.app_context():
        sync_members()
        db.session.commit()


@pytest.fixture
def make_organizer(app: Flask) -> Callable[..., User]:
    def make(email: str = "organizer@cica.example", organizer: bool = True) -> User:
        with app.app_context():
            user = create_user(email, PASSWORD, name="Test Organiser", administrator=organizer)
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


@pytest.fixture
def login(client: FlaskClient) -> Callable[[str], None]:
    def sign_in(email: str) -> None:
        response = client.post("/account/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302, response.text

    return sign_in


@pytest.fixture
def organizer_client(
    client: FlaskClient, make_organizer: Callable[..., User], login: Callable[[str], None]
) -> FlaskClient:
    """A client signed in as a secretariat organiser."""
    user = make_organizer()
    login(user.email)
    return client


def at(text_value: str) -> datetime:
    """'2021-12-28 01:30' read as UTC."""
    return datetime.fromisoformat(text_value).replace(tzinfo=UTC)


@pytest.fixture
def make_conference(app: Flask) -> Callable[..., int]:
    """Creates a conference and returns its id; keyword arguments override the defaults."""

    def make(**fields: Any) -> int:
        values: dict[str, Any] = {
            "slug": f"conf-{uuid.uuid4().hex[:6]}",
            "title": "Ninth Meeting of the CICA Think Tank Forum",
            "timezone": "Asia/Shanghai",
            "starts_at": at("2030-12-28 01:00"),
            "ends_at": at("2030-12-29 10:00"),
            "format": ConferenceFormat.HYBRID,
            "status": ConferenceStatus.PUBLISHED,
            "venue": "SIIS, 845-1 Julu Road",
            "city": "Shanghai",
        }
        values.update(fields)
        with app.app_context():
            conference = Conference(**values)
            db.session.add(conference)
            db.session.commit()
            return conference.id

    return make


@pytest.fixture
def make_series(app: Flask) -> Callable[..., int]:
    """Creates a series (the CICA Think Tank Forum by default) and returns its id."""

    def make(
        slug: str = "ttf", name: str = "CICA Think Tank Forum", translations: dict | None = None
    ) -> int:
        with app.app_context():
            series = Series(slug=slug, name=name, translations=translations or {})
            db.session.add(series)
            db.session.commit()
            return series.id

    return make


@pytest.fixture
def make_panel(app: Flask) -> Callable[..., int]:
    """Creates a panel in a conference and returns its id."""

    def make(conference_id: int, **fields: Any) -> int:
        values: dict[str, Any] = {
            "title": "Realistic security challenges",
            "starts_at": at("2030-12-28 02:00"),
            "ends_at": at("2030-12-28 04:00"),
            "room": "Hall A",
        }
        values.update(fields)
        with app.app_context():
            panel = Panel(conference_id=conference_id, **values)
            db.session.add(panel)
            db.session.commit()
            return panel.id

    return make
