"""When the database cannot be reached: a read is answered again, a change is refused cleanly.

- A connection the server closed while idle in the pool (a restart, a failover, an idle
  kill) is found before a request uses it: `pool_pre_ping` (DATABASE_PRE_PING, on by
  default; its cost per request is in BENCHMARKS.md).
- A connection lost during a request: SQLAlchemy invalidates the pool's connections, and
  a GET or HEAD is answered once more on a fresh one (`RetryReadsOnLostConnection`).
- A state-changing request whose database failed answers a 503 "try again" page; its
  transaction never committed, so nothing of it is saved (PostgreSQL rolls back a
  transaction whose connection is gone).
- Error pages never fail themselves: the session is rolled back before one is rendered, and
  a page that cannot be rendered falls back to one that needs nothing (`error_pages.error_page`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, current_app, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from registration.database import db
from registration.error_pages import error_page, wants_json

LOST_CONNECTION = "registration.lost_database_connection"
SAFE_METHODS = frozenset({"GET", "HEAD"})
RETRY_AFTER_SECONDS = 5

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def is_unavailable(error: BaseException) -> bool:
    """The database could not be reached or dropped the connection (as opposed to refusing
    a statement, which is a bug to fix and a 500)."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, OperationalError | InterfaceError | PoolTimeoutError)


def rollback_quietly() -> None:
    """End the request's transaction, whatever state its connection is in."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        current_app.logger.warning("rolling back after a database fault failed too")


def engine_options(config: dict[str, Any]) -> None:
    """On PostgreSQL, give up connecting after DATABASE_CONNECT_TIMEOUT seconds; call before
    the engine is made, once the database's address is final."""
    if config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        options = config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
        arguments = options.setdefault("connect_args", {})
        arguments.setdefault("connect_timeout", config["DATABASE_CONNECT_TIMEOUT"])


def init_app(app: Flask) -> None:
    app.register_error_handler(DBAPIError, _database_error)
    app.register_error_handler(PoolTimeoutError, _database_error)
    app.wsgi_app = RetryReadsOnLostConnection(app.wsgi_app)  # type: ignore[method-assign]


def _database_error(error: SQLAlchemyError) -> ResponseReturnValue:
    """A 503 "try again" page when the database is unreachable; other database errors go on
    to the 500 page."""
    if not is_unavailable(error):
        raise error
    return unavailable_page(error)


def unavailable_page(error: BaseException) -> ResponseReturnValue:
    """The 503 "try again" answer; also for an error handler whose database went away."""
    rollback_quietly()
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        request.environ[LOST_CONNECTION] = True
    current_app.logger.warning("database unavailable: %s", str(error).splitlines()[0])
    if request.method in SAFE_METHODS:
        message = gettext("The service could not reach its database. Please try again.")
    elif wants_json():
        message = gettext(
            "The service could not reach its database, so nothing was saved. Please try "
            "again in a moment."
        )
    else:
        message = gettext(
            "The service could not reach its database, so nothing was saved. Please go back "
            "and send the form again in a moment."
        )
    return error_page(503, message, {"Retry-After": str(RETRY_AFTER_SECONDS)}, plain=True)


class RetryReadsOnLostConnection:
    """WSGI middleware: a GET or HEAD that lost its database connection is answered once
    more, on a fresh connection; its first answer (a 503) is dropped unsent."""

    def __init__(self, wsgi_app: WSGIApp) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Any:
        if environ.get("REQUEST_METHOD") not in SAFE_METHODS:
            return self.wsgi_app(environ, start_response)
        held: list[Any] = []

        def hold(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            held[:] = [status, headers, exc_info]
            return _no_write

        body = self.wsgi_app(environ, hold)
        if environ.pop(LOST_CONNECTION, False):
            if hasattr(body, "close"):
                body.close()
            return self.wsgi_app(environ, start_response)
        start_response(*held)
        return body


def _no_write(data: bytes) -> None:
    raise RuntimeError("Flask answers through the returned body, never write()")
