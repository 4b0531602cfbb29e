"""Single sign-on through an OpenID Connect provider: a real one on 127.0.0.1
(tests/oidc_provider.py), with Authlib checking the ID token as it would in production."""

from __future__ import annotations

import http.client
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.accounts.models import User
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider, oidc_provider


@pytest.fixture
def provider(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Provider]:
    with oidc_provider() as running:
        monkeypatch.setitem(app.config, "OIDC_ISSUER", running.issuer)
        monkeypatch.setitem(app.config, "OIDC_CLIENT_ID", CLIENT_ID)
        monkeypatch.setitem(app.config, "OIDC_CLIENT_SECRET", CLIENT_SECRET)
        yield running


def _through_provider(client: FlaskClient) -> str:
    """Follows the sign-in round trip; where the service sends the browser at the end."""
    start = client.get("/account/login/sso?next=/manage/")
    assert start.status_code == 302
    authorize = urlsplit(start.headers["Location"])
    connection = http.client.HTTPConnection(authorize.hostname, authorize.port, timeout=10)
    connection.request("GET", f"{authorize.path}?{authorize.query}")
    answer = connection.getresponse()
    assert answer.status == 302, answer.read()
    back = urlsplit(answer.getheader("Location") or "")
    connection.close()
    done = client.get(f"{back.path}?{back.query}")
    assert done.status_code == 302
    return done.headers["Location"]


def test_a_staff_member_signs_in_with_the_secretariats_account(
    client: FlaskClient, provider: Provider, make_organizer: Callable[..., User]
) -> None:
    make_organizer("Officer@CICA.example")
    assert "Sign in with the Secretariat" in client.get("/account/login").text
    provider.person = {"email": "officer@cica.example", "email_verified": True, "name": "O"}
    assert _through_provider(client) == "/manage/"
    assert client.get("/manage/").status_code == 200


@pytest.mark.parametrize(
    ("person", "said"),
    [
        ({"email": "stranger@cica.example", "email_verified": True}, "no active account"),
        ({"email": "organizer@cica.example", "email_verified": False}, "verified e-mail"),
    ],
)
def test_no_account_or_an_unverified_address_signs_nobody_in(
    client: FlaskClient,
    provider: Provider,
    make_organizer: Callable[..., User],
    person: dict[str, object],
    said: str,
) -> None:
    make_organizer()
    provider.person = person
    assert _through_provider(client) == "/account/login"
    assert said in client.get("/account/login").text
    assert client.get("/manage/").status_code == 302


def test_a_forged_answer_is_refused(client: FlaskClient, provider: Provider) -> None:
    client.get("/account/login/sso")
    refused = client.get("/account/login/sso/done?code=made-up&state=made-up")
    assert refused.status_code == 302
    assert "did not sign you in" in client.get("/account/login").text


def test_without_settings_there_is_no_single_sign_on(client: FlaskClient) -> None:
    assert "Sign in with" not in client.get("/account/login").text
    page = client.get("/account/login/sso", follow_redirects=True)
    assert "Single sign-on is not set up here" in page.text
