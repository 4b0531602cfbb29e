"""`/healthz` (the process answers) and `/readyz` (it can serve: database and broker
reachable, migrations current), for load balancers and orchestrators.

Both are public, unauthenticated and cheap; `/readyz` says which check failed and why in
a few words, never a connection string.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from registration.database import db

bp = Blueprint("operations", __name__)
BROKER_TIMEOUT_SECONDS = 2.0


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    return {"status": "ok"}, 200, {"Cache-Control": "no-store"}


@bp.get("/readyz")
def readyz() -> ResponseReturnValue:
    checks = {"database": _database(), "migrations": "", "broker": _broker()}
    checks["migrations"] = _migrations() if checks["database"] == "ok" else "not checked"
    ready = all(result == "ok" for result in checks.values())
    body = {"status": "ready" if ready else "not ready", "checks": checks}
    return body, 200 if ready else 503, {"Cache-Control": "no-store"}


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        db.session.rollback()
        return f"unreachable ({type(error.orig or error).__name__})"
    return "ok"


def _migrations() -> str:
    try:
        applied = set(db.session.scalars(text("SELECT version_num FROM alembic_version")))
    except SQLAlchemyError:
        db.session.rollback()
        return "not applied (run `flask db upgrade`)"
    expected = script_heads(current_app.extensions["migrate"].directory)
    if applied != expected:
        return f"at {', '.join(sorted(applied)) or 'nothing'}, expected {', '.join(expected)}"
    return "ok"


@cache
def script_heads(directory: str) -> frozenset[str]:
    """The head revisions of the migration scripts shipped with this code."""
    config = Config()
    config.set_main_option("script_location", directory)
    return frozenset(ScriptDirectory.from_config(config).get_heads())


def _broker() -> str:
    celery: Any = current_app.extensions["celery"]
    try:
        with celery.connection_for_write() as connection:
            connection.ensure_connection(
                max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS
            )
    except Exception as error:  # kombu's errors differ per transport; any means unreachable
        return f"unreachable ({type(error).__name__})"
    return "ok"
