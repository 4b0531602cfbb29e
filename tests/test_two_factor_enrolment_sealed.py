"""The key being set up for two-factor sign-in waits in the session sealed (as stored keys
are, totp_keys) with the account's id: neither the cookie (a random session id) nor the
session store holds it readable; a set-up older than ENROLMENT_MINUTES, or one carried into
another account's session, is refused with a message, saves nothing and starts again."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.accounts import totp_keys, two_factor
from registration.accounts.models import RecoveryCode, User
from registration.accounts.two_factor_views import PENDING
from registration.database import db
from tests.conftest import PASSWORD
from tests.test_two_factor import _code

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
PAGE = "/account/two-factor/"
LAPSED = "This set-up was no longer valid (each lasts 15 minutes)"


def shown_key(client: FlaskClient) -> str:
    page = client.get(PAGE)
    assert page.status_code == 200
    found = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.text)
    assert found
    assert "<svg" in page.text
    return found.group(1)


def pending(client: FlaskClient) -> str:
    with client.session_transaction() as session:
        return session[PENDING]


def put_pending(client: FlaskClient, sealed: str) -> None:
    with client.session_transaction() as session:
        session[PENDING] = sealed


def saved_nothing(app: Flask, email: str) -> bool:
    with app.app_context():
        user = db.session.scalars(db.select(User).filter_by(email=email)).one()
        codes = db.session.scalar(
            db.select(db.func.count()).select_from(RecoveryCode).filter_by(user_id=user.id)
        )
        return user.sealed_totp_secret is None and codes == 0


def test_neither_the_cookie_nor_the_session_store_holds_the_key(
    app: Flask, organizer_client: FlaskClient
) -> None:
    secret = shown_key(organizer_client)
    assert organizer_client.get_cookie("visitor") is None  # a signed-in session is stored
    cookie = organizer_client.get_cookie("session")
    assert cookie is not None
    assert secret not in cookie.value
    stored = app.config["SESSION_REDIS"].get(app.config["SESSION_KEY_PREFIX"] + cookie.value)
    assert stored
    assert secret.encode() not in stored
    assert pending(organizer_client).encode() in stored  # what it holds instead: sealed
    assert shown_key(organizer_client) == secret  # the same set-up on a reload

    done = organizer_client.post(PAGE, data={"code": _code(secret)})
    assert done.status_code == 200
    assert len(re.findall(r"<li><code>[0-9a-f]{6}-[0-9a-f]{6}</code></li>", done.text)) == 10
    with organizer_client.session_transaction() as session:
        assert PENDING not in session


def test_a_lapsed_set_up_saves_nothing_and_starts_again(
    app: Flask, organizer_client: FlaskClient
) -> None:
    secret = shown_key(organizer_client)
    with app.app_context():  # the same set-up, sealed a minute too long ago
        opened = totp_keys.unseal(pending(organizer_client)).encode()
        sealed_at = int(time.time()) - (two_factor.ENROLMENT_MINUTES + 1) * 60
        put_pending(organizer_client, totp_keys.keys().encrypt_at_time(opened, sealed_at).decode())

    refused = organizer_client.post(PAGE, data={"code": _code(secret)})
    assert refused.status_code == 422
    assert LAPSED in refused.text
    assert saved_nothing(app, "organizer@cica.example")
    renewed = re.search(r'id="totp-secret">([A-Z2-7]+)<', refused.text)
    assert renewed
    assert renewed.group(1) != secret
    done = organizer_client.post(PAGE, data={"code": _code(renewed.group(1))})
    assert done.status_code == 200
    assert not saved_nothing(app, "organizer@cica.example")


def test_another_accounts_set_up_is_refused(
    app: Flask, organizer_client: FlaskClient, make_organizer: Callable[..., User]
) -> None:
    secret = shown_key(organizer_client)
    make_organizer("other@cica.example", organizer=False)
    other = app.test_client()
    other.post("/account/login", data={"email": "other@cica.example", "password": PASSWORD})
    shown_key(other)
    put_pending(other, pending(organizer_client))  # the organiser's sealed key, carried over

    refused = other.post(PAGE, data={"code": _code(secret)})
    assert refused.status_code == 422
    assert LAPSED in refused.text
    assert secret not in refused.text
    assert saved_nothing(app, "other@cica.example")
    assert shown_key(other) != secret  # its own new set-up
    mine = organizer_client.post(PAGE, data={"code": _code(secret)})  # the owner's still works
    assert mine.status_code == 200
