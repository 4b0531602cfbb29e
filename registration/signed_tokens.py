"""Signed tokens: the QR payload of a badge and the personal join link."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

BADGE_SALT = "attendance.badge.v1"
JOIN_SALT = "attendance.join.v1"
BADGE_PREFIX = "CICA1:"


class TokenError(ValueError):
    """A token that is forged, damaged or of another kind (callers say why in words)."""


@dataclass(frozen=True)
class BadgeClaim:
    registration_id: int
    conference_id: int


@dataclass(frozen=True)
class JoinClaim:
    registration_id: int
    panel_id: int


def _serializer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def badge_payload(registration_id: int, conference_id: int) -> str:
    """The text in a badge's QR code: a prefix and a signed [registration, conference]."""
    return BADGE_PREFIX + _serializer(BADGE_SALT).dumps([registration_id, conference_id])


def read_badge(payload: str) -> BadgeClaim:
    token = payload.strip().removeprefix(BADGE_PREFIX)
    ids = _load(BADGE_SALT, token)
    return BadgeClaim(registration_id=ids[0], conference_id=ids[1])


def join_token(registration_id: int, panel_id: int) -> str:
    return _serializer(JOIN_SALT).dumps([registration_id, panel_id])


def personal_join_url(registration_id: int, panel_id: int) -> str:
    """A participant's own link to a panel's meeting, on our domain (/j/<token>).

    Needs only an app context (mail and calendar workers have no request): BASE_URL + path.
    """
    return f"{current_app.config['BASE_URL']}/j/{join_token(registration_id, panel_id)}"


def read_join(token: str) -> JoinClaim:
    ids = _load(JOIN_SALT, token)
    return JoinClaim(registration_id=ids[0], panel_id=ids[1])


def _load(salt: str, token: str) -> list[int]:
    try:
        value = _serializer(salt).loads(token)
    except BadSignature as error:
        raise TokenError("not a valid signed code of ours") from error
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        raise TokenError("not a valid signed code of ours")
    return value
