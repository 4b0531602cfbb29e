"""A visitor who does not sign in leaves nothing in the session store (their CSRF token and
their result page live in a signed cookie); signing in moves the session to the store under
a new id, and the visitor's cookie goes; signing out makes them a visitor again."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import PASSWORD
from tests.signup_support import form_data, member_id, open_registration

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.usefixtures("csrf_enabled")]
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def stored_sessions(app: Flask) -> int:
    store = app.config["SESSION_REDIS"]
    return len(store.keys(f"{app.config['SESSION_KEY_PREFIX']}*"))


def token(client: FlaskClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200
    found = TOKEN.search(page.text)
    assert found is not None
    return found.group(1)


def test_registering_writes_nothing_to_the_session_store(
    app: Flask, members: None, make_conference: Callable[..., int]
) -> None:
    conference_id = make_conference(slug="visitors")
    open_registration(app, conference_id)
    client = app.test_client()
    before = stored_sessions(app)
    form = form_data(
        member_id(app, "KAZ"), csrf_token=token(client, "/conferences/visitors/register")
    )
    sent = client.post("/conferences/visitors/register", data=form)
    assert sent.status_code == 302, sent.text
    assert "/register/submitted" in sent.location
    assert client.get(sent.location).status_code == 200  # the result page reads the cookie
    assert stored_sessions(app) == before
    assert client.get_cookie("visitor") is not None
    assert client.get_cookie("session") is None


def test_signing_in_moves_the_session_to_the_store(
    app: Flask, make_organizer: Callable[..., object]
) -> None:
    make_organizer("staff@cica.example")
    client = app.test_client()
    before = stored_sessions(app)
    form = {"email": "staff@cica.example", "password": PASSWORD}
    signed_in = client.post(
        "/account/login", data={**form, "csrf_token": token(client, "/account/login")}
    )
    assert signed_in.status_code == 302, signed_in.text
    assert stored_sessions(app) == before + 1
    assert client.get_cookie("session") is not None
    assert client.get_cookie("visitor") is None
    assert client.get("/manage/").status_code == 200
    signed_out = client.post("/account/logout", data={"csrf_token": token(client, "/manage/")})
    assert signed_out.status_code == 302
    assert stored_sessions(app) == before  # back to a visitor's cookie
    assert client.get_cookie("session") is None
    assert client.get_cookie("visitor") is not None
    assert client.get("/manage/").status_code == 302
