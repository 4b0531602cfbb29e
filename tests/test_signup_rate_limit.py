"""Too many form posts from one client get the form back with a message, not an error page."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration import create_app
from registration.extensions import limiter
from tests.signup_support import form_data, member_id, open_registration


@pytest.fixture
def limited_app(app: Flask, database_uri: str) -> Iterator[Flask]:
    """The same database behind an app whose limiter is on (3 sign-up posts a minute),
    behind one trusted reverse proxy."""
    limited = create_app(
        {
            **{key: app.config[key] for key in ("SECRET_KEY", "BASE_URL", "MAILBOX_FOLDER")},
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_uri,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_KEY_PREFIX": f"test-signup-{uuid.uuid4().hex}",
            "SIGNUP_RATE_LIMIT": "3 per minute",
            "TRUSTED_PROXIES": 1,
        }
    )
    try:
        yield limited
    finally:
        limiter.enabled = False  # no reset(): on Redis it would clear every run's counters


def test_fourth_post_in_a_minute_is_refused_politely_with_values_kept(
    limited_app: Flask, app: Flask, members: None, make_conference: Callable[..., int]
) -> None:
    open_registration(app, make_conference(slug="ttf9"))
    client: FlaskClient = limited_app.test_client()
    kaz = member_id(app, "KAZ")
    for i in range(3):
        response = client.post(
            "/conferences/ttf9/register", data=form_data(kaz, email=f"p{i}@example.org")
        )
        assert response.status_code == 302
    refused = client.post(
        "/conferences/ttf9/register", data=form_data(kaz, email="p4@example.org", name="Fourth")
    )
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "You have sent this form too many times" in refused.text
    assert 'value="Fourth"' in refused.text
    assert 'id="registration-form"' in refused.text
    assert client.get("/conferences/ttf9/register").status_code == 200  # reading is not limited


def test_behind_a_proxy_each_visitor_has_a_limit_of_their_own(
    limited_app: Flask, app: Flask, members: None, make_conference: Callable[..., int]
) -> None:
    open_registration(app, make_conference(slug="ttf9"))
    client: FlaskClient = limited_app.test_client()
    kaz = member_id(app, "KAZ")

    def post(visitor: str, n: int) -> int:
        return client.post(
            "/conferences/ttf9/register",
            data=form_data(kaz, email=f"{visitor}-{n}@example.org"),
            headers={"X-Forwarded-For": visitor},
        ).status_code

    assert [post("203.0.113.7", n) for n in range(4)] == [302, 302, 302, 429]
    assert post("198.51.100.23", 0) == 302, "another visitor behind the same proxy"
