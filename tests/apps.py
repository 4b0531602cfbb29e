"""A second application for tests that need their own database or extension settings.

`create_app` binds process-wide singletons (the default Celery app, the Flask-Limiter
instance); `extra_app` puts them back afterwards so the session's `app` fixture is unaffected.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask

from registration import create_app
from registration.database import db
from registration.extensions import limiter
from tests import services
from tests.scratch_database import scratch_database


@contextmanager
def extra_app(
    database_uri: str, instance: Path, restore: Flask, **overrides: Any
) -> Iterator[Flask]:
    """An app on `database_uri`; on exit the singletons point at `restore` again."""
    config: dict[str, Any] = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "MAILBOX_FOLDER": str(instance / "mailbox"),
        "FILES_FOLDER": str(instance / "files"),
        **overrides,
    }
    application = create_app(config)
    application.instance_path = str(instance)
    try:
        yield application
    finally:
        with application.app_context():
            db.engine.dispose()
        limiter.enabled = bool(restore.config.get("RATELIMIT_ENABLED", True))
        restore.extensions["celery"].set_current()
        restore.extensions["celery"].set_default()


@contextmanager
def empty_database(kind: str, folder: Path) -> Iterator[str]:
    """The URI of a new, empty database: a SQLite file, or a PostgreSQL database dropped after."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / f'empty-{uuid.uuid4().hex[:8]}.db'}"
        return
    with scratch_database(services.database_url(), "test_mig") as url:
        yield url
