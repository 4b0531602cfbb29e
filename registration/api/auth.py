"""Who calls the authenticated API: a personal access token, with exactly its owner's rights
(the same checks as the pages), narrowed to the token's scope and conferences."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from flask import Response, current_app, g, request
from flask_smorest import Blueprint, abort

from registration.conferences.models import Conference
from registration.database import db
from registration.extensions import limiter
from registration.signup.access import delegation_of
from registration.tokens import services as tokens
from registration.tokens.models import ApiToken, TokenScope

SCHEME = "bearer"
SECURITY = [{"token": []}]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="api"'}


def presented_secret() -> str:
    kind, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if kind.lower() == SCHEME else ""


def rate_key() -> str:
    """Limits count per token (by its digest: known before the token is looked up)."""
    secret = presented_secret()
    if not secret:
        return f"api-anonymous:{request.remote_addr}"
    return "api-token:" + hashlib.sha256(secret.encode()).hexdigest()[:32]


def rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def authenticate() -> None:
    """before_request of the authenticated blueprints: no valid token, no answer."""
    if request.method == "OPTIONS":
        return
    token = tokens.authenticate(presented_secret())
    if token is None:
        abort(
            401,
            message="Send a valid personal access token: Authorization: Bearer <token>.",
            headers=CHALLENGE,
        )
    if token.scope is TokenScope.READ and request.method not in SAFE_METHODS:
        abort(403, message="This token is read only; changes need a read and write token.")
    g.api_token = token
    g._login_user = token.user  # Flask-Login's current_user for this request, no session


def current_token() -> ApiToken:
    return g.api_token


@dataclass(frozen=True)
class ConferenceAccess:
    """A conference the caller reaches; `member_ids` None means all members (organiser)."""

    conference: Conference
    member_ids: set[int] | None

    def sees(self, member_id: int) -> bool:
        return self.member_ids is None or member_id in self.member_ids


def conference_access(slug: str) -> ConferenceAccess:
    """The conference as the token's owner may see it: 404 when the token or its owner
    does not reach it (a conference of someone else's is not told apart from none)."""
    token = current_token()
    conference = db.session.scalar(db.select(Conference).filter_by(slug=slug))
    if conference is None or not token.covers(conference.id):
        abort(404, message="No such conference for this token.")
    if token.user.is_administrator:  # conference roles: see the README, "API"
        return ConferenceAccess(conference, None)
    delegation = delegation_of(token.user_id, slug)
    if delegation is None:
        abort(404, message="No such conference for this token.")
    return ConferenceAccess(conference, delegation.member_ids)


def rate_limit_headers(response: Response) -> Response:
    """The IETF draft's RateLimit and RateLimit-Policy headers for this token's limit."""
    try:
        limit = limiter.current_limit
    except Exception:  # the store's errors vary by backend; the headers are optional
        limit = None
    if limit is None:
        return response
    item = limit.limit
    window = item.get_expiry()
    reset = max(int(limit.reset_at - time.time()), 0)
    response.headers["RateLimit-Policy"] = f'"token";q={item.amount};w={window}'
    response.headers["RateLimit"] = f'"token";r={max(limit.remaining, 0)};t={reset}'
    return response


# The names of the blueprints that answer only a token (tests walk them).
TOKEN_BLUEPRINTS: set[str] = set()


def guard(blueprint: Blueprint) -> None:
    """Token authentication, a per-token rate limit and its headers for every view."""
    TOKEN_BLUEPRINTS.add(blueprint.name)
    limiter.limit(rate_limit, key_func=rate_key)(blueprint)
    blueprint.before_request(authenticate)
    blueprint.after_request(rate_limit_headers)
