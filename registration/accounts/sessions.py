"""Sign-ins kept on the server: started at sign-in, checked on every request, ended anywhere.

Flask-Session keeps the whole session (Flask-Login's user id, the CSRF token, messages) in
Redis, or without Redis in files of the instance folder, so the cookie holds only a random
session id. Flask-Session cannot list the sessions of one account, so each sign-in also has
an `AccountSession` row in the database: the request's user is loaded only while that row
exists and is neither idle for longer than SESSION_IDLE_MINUTES nor older than
SESSION_MAX_HOURS. Deleting rows (sign-out, password change, a role removed, an account
deactivated, "sign out everywhere") ends those sign-ins at once on every node.

A visitor who has not signed in needs only a CSRF token, a flash message, a language and a
registrant's own result page: those stay in a signed cookie as Flask keeps them
(`visitor_sessions`), so anonymous pages and the registration form write nothing to the
store. The first other key (a sign-in, a pending two-factor step, a single sign-on state)
moves the session to the store under a new id.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import redis
from cachelib import FileSystemCache
from flask import Flask, current_app, request, session
from flask_login import login_user, logout_user
from sqlalchemy import delete, update

from registration.accounts.models import AccountSession, User
from registration.accounts.visitor_sessions import VisitorsInCookies
from registration.database import db, utcnow
from registration.extensions import login_manager, server_sessions
from registration.i18n import use_account_language

KEY = "account_session"
TOUCH_EVERY = timedelta(minutes=1)  # how stale `last_seen_at` may get: one write a minute


def init_app(app: Flask) -> None:
    """Server-side sessions in Redis (shared by every node) or in the instance folder."""
    config = app.config
    config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=config["SESSION_MAX_HOURS"])
    config["SESSION_PERMANENT"] = True
    config["SESSION_REFRESH_EACH_REQUEST"] = False
    config["SESSION_SERIALIZATION_FORMAT"] = "json"
    if config["SESSION_COOKIE_SECURE"]:
        # Sent only over HTTPS, only to this host, for every path (no Domain may widen it).
        config["SESSION_COOKIE_NAME"] = "__Host-session"
    if config["REDIS_URL"]:
        config["SESSION_TYPE"] = "redis"
        config["SESSION_REDIS"] = redis.Redis.from_url(config["REDIS_URL"])
        config["SESSION_KEY_PREFIX"] = f"{config['REDIS_KEY_PREFIX']}session:"
    else:
        config["SESSION_TYPE"] = "cachelib"
        config["SESSION_CACHELIB"] = FileSystemCache(
            f"{app.instance_path}/sessions", threshold=100_000, mode=0o600
        )
    server_sessions.init_app(app)
    app.session_interface = VisitorsInCookies(app.session_interface)  # type: ignore[arg-type]
    login_manager.user_loader(signed_in_user)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def sign_in(user: User) -> None:
    """Start a new server-side session for `user` (a new session id: no fixation)."""
    current_app.session_interface.regenerate(session)  # type: ignore[attr-defined]
    key = secrets.token_urlsafe(32)
    db.session.add(
        AccountSession(
            user_id=user.id,
            key_hash=_hash(key),
            user_agent=(request.user_agent.string or "")[:300],
            address=(request.remote_addr or "")[:64],
        )
    )
    db.session.commit()
    session[KEY] = key
    if user.language:
        use_account_language(user.language)
    login_user(user)


def current_id() -> int | None:
    """The id of this request's AccountSession, when signed in."""
    key = session.get(KEY)
    if not key:
        return None
    return db.session.scalar(db.select(AccountSession.id).filter_by(key_hash=_hash(key)))


def sign_out() -> None:
    """End this sign-in here and on every other node."""
    key = session.get(KEY)
    if key:
        db.session.execute(delete(AccountSession).where(AccountSession.key_hash == _hash(key)))
        db.session.commit()
    logout_user()
    session.clear()


def end_all(user_id: int, *, keep: int | None = None) -> int:
    """End every sign-in of the account (but `keep`); how many. Does not commit."""
    statement = delete(AccountSession).where(AccountSession.user_id == user_id)
    if keep is not None:
        statement = statement.where(AccountSession.id != keep)
    return db.session.execute(statement).rowcount or 0


def end_one(user_id: int, session_id: int) -> bool:
    ended = db.session.execute(
        delete(AccountSession).where(
            AccountSession.user_id == user_id, AccountSession.id == session_id
        )
    ).rowcount
    db.session.commit()
    return bool(ended)


def of_account(user_id: int) -> list[AccountSession]:
    """The account's live sign-ins, most recently used first."""
    rows = db.session.scalars(
        db.select(AccountSession)
        .filter_by(user_id=user_id)
        .order_by(AccountSession.last_seen_at.desc())
    )
    return [row for row in rows if not _expired(row, utcnow())]


def _expired(row: AccountSession, now: datetime) -> bool:
    config = current_app.config
    idle = timedelta(minutes=config["SESSION_IDLE_MINUTES"])
    lifetime = timedelta(hours=config["SESSION_MAX_HOURS"])
    return now - row.last_seen_at > idle or now - row.created_at > lifetime


def signed_in_user(user_id: str) -> User | None:
    """Flask-Login's user loader: the user, while this request's sign-in is alive."""
    key = session.get(KEY)
    if not key or not user_id.isdigit():
        return None
    found = db.session.execute(
        db.select(AccountSession, User)
        .join(User, User.id == AccountSession.user_id)
        .where(AccountSession.key_hash == _hash(key), User.id == int(user_id))
    ).first()
    if found is None:
        return None
    row, user = found
    now = utcnow()
    if _expired(row, now) or not user.is_active:
        _on_own_connection(delete(AccountSession).where(AccountSession.id == row.id))
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        _on_own_connection(
            update(AccountSession).where(AccountSession.id == row.id).values(last_seen_at=now)
        )
    return user


def _on_own_connection(statement: object) -> None:
    """Write outside the request's transaction, which may hold a half-done change."""
    with db.engine.begin() as connection:
        connection.execute(statement)  # type: ignore[arg-type]
