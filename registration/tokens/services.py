"""Creating, finding and revoking personal access tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext

from registration.accounts.models import User
from registration.conferences.models import Conference
from registration.database import db, utcnow
from registration.tokens.models import ApiToken, TokenScope

TOKEN_PREFIX = "cica_pat_"  # noqa: S105 (how a token starts, not a secret)
MAX_DAYS = 366


class TokenError(ValueError):
    """Why a token cannot be made, fit to show its owner."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create(
    user: User,
    *,
    name: str,
    scope: TokenScope,
    days: int,
    conferences: list[Conference] | None,
    now: datetime | None = None,
) -> NewToken:
    """A new token for `user` (None: all the conferences the owner may reach); commits."""
    if not 1 <= days <= MAX_DAYS:
        raise TokenError(gettext("A token lasts between 1 and %(days)s days.", days=MAX_DAYS))
    if conferences is not None and not conferences:
        raise TokenError(gettext("Choose at least one conference, or all of them."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name.strip(),
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        secret_hash=digest(secret),
        scope=scope,
        all_conferences=conferences is None,
        conferences=conferences or [],
        expires_at=(now or utcnow()) + timedelta(days=days),
    )
    db.session.add(token)
    db.session.commit()
    return NewToken(token, secret)


def tokens_of(user_id: int) -> list[ApiToken]:
    return list(
        db.session.scalars(
            db.select(ApiToken).filter_by(user_id=user_id).order_by(ApiToken.created_at.desc())
        )
    )


def revoke(user_id: int, token_id: int) -> ApiToken | None:
    """Revoke one of the user's own tokens; None when it is not theirs."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user_id:
        return None
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
    return token


def authenticate(secret: str, now: datetime | None = None) -> ApiToken | None:
    """The usable token with this secret, its last use noted (at most once a minute)."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(db.select(ApiToken).filter_by(secret_hash=digest(secret)))
    now = now or utcnow()
    if token is None or not token.is_usable(now):
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
        db.session.commit()
    return token
