"""Each API token has its own rate limit, told in the IETF draft's RateLimit headers; a
refusal is a problem with Retry-After."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from registration import create_app
from registration.accounts.models import User
from registration.extensions import limiter
from tests.api_support import bearer, make_token


@pytest.fixture
def limited_app(app: Flask, database_uri: str) -> Iterator[Flask]:
    """The same database behind an app whose limiter is on: 3 API requests a minute."""
    limited = create_app(
        {
            **{key: app.config[key] for key in ("SECRET_KEY", "BASE_URL", "MAILBOX_FOLDER")},
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_uri,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_KEY_PREFIX": f"test-api-{uuid.uuid4().hex}",
            "API_RATE_LIMIT": "3 per minute",
        }
    )
    try:
        yield limited
    finally:
        limiter.enabled = False  # no reset(): on Redis it would clear every run's counters


def test_a_token_gets_its_own_allowance(
    limited_app: Flask, app: Flask, make_organizer: Callable[..., User]
) -> None:
    first = bearer(make_token(app, make_organizer().id))
    second = bearer(make_token(app, make_organizer("second@cica.example").id))
    client = limited_app.test_client()
    for left in (2, 1, 0):
        response = client.get("/api/v1/token", headers=first)
        assert response.status_code == 200
        assert response.headers["RateLimit-Policy"] == '"token";q=3;w=60'
        assert response.headers["RateLimit"].startswith(f'"token";r={left};t=')
    refused = client.get("/api/v1/token", headers=first)
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert client.get("/api/v1/token", headers=second).status_code == 200
    assert client.get("/api/v1/conferences").status_code == 200  # the public API is not counted
