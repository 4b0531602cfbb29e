"""The security baseline: cookie flags, CSRF on every form, login rate limiting, organiser CLI."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration import config as config_module
from registration.accounts.models import User
from registration.accounts.services import authenticate
from registration.database import db
from registration.extensions import csrf, limiter
from tests.apps import extra_app
from tests.conftest import PASSWORD
from tests.routes import dummy_url

CSRF_MESSAGE = "The form expired or was sent from another page"


@pytest.mark.parametrize(("debug", "secure"), [(None, True), ("0", True), ("1", False)])
def test_session_cookie_is_secure_outside_debug(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, debug: str | None, secure: bool
) -> None:
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    if debug is None:
        monkeypatch.delenv("FLASK_DEBUG", raising=False)
    else:
        monkeypatch.setenv("FLASK_DEBUG", debug)
    settings = config_module.load(str(tmp_path))
    assert settings["SESSION_COOKIE_SECURE"] is secure
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_login_sets_a_secure_httponly_samesite_cookie(
    app: Flask, client: FlaskClient, make_organizer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    user = make_organizer()
    response = client.post(
        "/account/login",
        data={"email": user.email, "password": PASSWORD},
        base_url="https://localhost",
    )
    assert response.status_code == 302
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "; Secure" in cookie
    assert "; HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_rejected_login_keeps_the_email_and_says_why(client: FlaskClient, make_organizer) -> None:
    user = make_organizer()
    response = client.post("/account/login", data={"email": user.email, "password": "wrong-one!"})
    assert response.status_code == 200
    assert "The e-mail or password is not right." in response.text
    assert f'value="{user.email}"' in response.text


@pytest.fixture
def limited_app(app: Flask, database_uri: str, tmp_path: Path) -> Iterator[Flask]:
    """The test app's database with the rate limiter switched on (in-memory counters)."""
    with extra_app(
        database_uri,
        tmp_path,
        restore=app,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
    ) as application:
        limiter.reset()
        yield application
        limiter.reset()


def test_eleventh_failed_login_in_a_minute_is_refused(limited_app: Flask, make_organizer) -> None:
    user = make_organizer()
    client = limited_app.test_client()
    wrong = {"email": user.email, "password": "not the password"}
    for _ in range(10):
        response = client.post("/account/login", data=wrong)
        assert response.status_code == 200
        assert "The e-mail or password is not right." in response.text
    response = client.post("/account/login", data=wrong)
    assert response.status_code == 429
    assert "Too many login attempts. Please wait a minute and try again." in response.text
    assert "<h1>429</h1>" in response.text
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    # Reading the page is not limited, only sending the form.
    assert client.get("/account/login").status_code == 200


def _form_routes(app: Flask) -> list[tuple[str, str]]:
    """Every POST route that CSRF protects, with dummy values for its arguments."""
    routes = []
    for rule in app.url_map.iter_rules():
        if "POST" not in (rule.methods or set()):
            continue
        view = app.view_functions[rule.endpoint]
        blueprint = app.blueprints.get(rule.endpoint.rpartition(".")[0])
        if f"{view.__module__}.{view.__name__}" in csrf._exempt_views:
            continue
        if blueprint is not None and blueprint in csrf._exempt_blueprints:
            continue
        routes.append((rule.endpoint, dummy_url(app, rule)))
    return routes


def test_every_form_refuses_a_post_without_csrf_token(
    app: Flask, organizer_client: FlaskClient, csrf_enabled: None
) -> None:
    routes = _form_routes(app)
    assert ("accounts.login", "/account/login") in routes
    for endpoint, url in routes:
        response = organizer_client.post(url, data={"title": "x"})
        assert response.status_code == 400, (endpoint, url, response.status_code)
        assert CSRF_MESSAGE in response.text, (endpoint, url)


def test_anonymous_login_without_csrf_token_is_refused(
    client: FlaskClient, csrf_enabled: None
) -> None:
    response = client.post("/account/login", data={"email": "a@b.example", "password": "x" * 12})
    assert response.status_code == 400
    assert CSRF_MESSAGE in response.text


def test_create_administrator_asks_for_the_password_twice(app: Flask, app_context: None) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-administrator", "Focal.Point@CICA.example", "--name", "Focal Point"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert "Administrator focal.point@cica.example created." in result.output
    user = authenticate("focal.point@cica.example", PASSWORD)
    assert user is not None
    assert user.is_administrator
    assert user.name == "Focal Point"


def test_create_administrator_refuses_a_short_password_and_a_duplicate(
    app: Flask, app_context: None
) -> None:
    runner = app.test_cli_runner()
    short = runner.invoke(args=["create-administrator", "a@cica.example"], input="short\nshort\n")
    assert short.exit_code != 0
    assert "at least 12 characters" in short.output
    ok = runner.invoke(args=["create-administrator", "a@cica.example", "--password", PASSWORD])
    assert ok.exit_code == 0
    again = runner.invoke(args=["create-administrator", "a@cica.example", "--password", PASSWORD])
    assert again.exit_code != 0
    assert "already exists" in again.output
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1


def test_an_id_beyond_any_database_id_is_a_404_not_a_500(
    organizer_client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    make_conference(slug="ttf9")
    huge = "9" * 25
    for url in (
        f"/manage/conferences/ttf9/registrations/{huge}",
        f"/manage/conferences/ttf9/registrations/{huge}/badge",
    ):
        assert organizer_client.get(url).status_code == 404, url
    for url in (  # ids in query strings are ignored when no id can be them
        f"/manage/conferences/ttf9/registrations?member={huge}",
        "/manage/conferences/ttf9/registrations?member=²",
        f"/manage/conferences/ttf9/attendance/figures.json?panel={huge}",
    ):
        assert organizer_client.get(url).status_code == 200, url
