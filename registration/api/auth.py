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
from registration.staff.access import can, permissions
from registration.staff.roles import Permission
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


def conference_access(
    slug: str, permission: Permission, *, focal_points: bool = True
) -> ConferenceAccess:
    """The conference as the token's owner may use it here: with `permission` (the one the
    equivalent management page needs, through `can`), or as a focal point of a delegation when
    `focal_points`. 403 to who works on the conference otherwise; 404 to everyone else and
    outside the token's conferences (someone else's conference is not told apart from none)."""
    token = current_token()
    conference = db.session.scalar(db.select(Conference).filter_by(slug=slug))
    if conference is None or not token.covers(conference.id):
        abort(404, message="No such conference for this token.")
    user = token.user
    if can(user, permission, conference.id):
        return ConferenceAccess(conference, None)
    delegation = delegation_of(token.user_id, slug)
    if focal_points and delegation is not None:
        return ConferenceAccess(conference, delegation.member_ids)
    if delegation is None and not permissions(user, conference.id):
        abort(404, message="No such conference for this token.")
    abort(403, message="Your role in this conference does not allow this.")


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
