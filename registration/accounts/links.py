"""Mailed links to choose a password: signed, valid 7 days, usable once."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from registration.accounts.models import User
from registration.database import db

PASSWORD_SALT = "focal-point-password"  # noqa: S105 (a salt, not a secret; links already mailed)
PASSWORD_LINK_MAX_AGE = timedelta(days=7)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=PASSWORD_SALT)


def password_token(user: User) -> str:
    """Bound to the current password hash, so the link works once."""
    return _serializer().dumps({"u": user.id, "h": user.password_hash[-12:]})


def password_user(token: str) -> User | None:
    try:
        payload = _serializer().loads(token, max_age=int(PASSWORD_LINK_MAX_AGE.total_seconds()))
    except BadSignature:
        return None
    user = db.session.get(User, payload.get("u"))
    if user is None or user.password_hash[-12:] != payload.get("h"):
        return None
    return user


def external_url(endpoint: str, **values: object) -> str:
    """An absolute URL under BASE_URL, buildable inside or outside a request."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)


def account_url(user: User, endpoint: str, **values: object) -> str:
    """A link mailed to an account: opens the page in the account's language when it has one
    (?lang=; signing in then keeps to the account's choice)."""
    if user.language:
        values["lang"] = user.language
    return external_url(endpoint, **values)
