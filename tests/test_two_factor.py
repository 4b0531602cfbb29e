"""Two-factor sign-in: enrolment with an authenticator app's code, the second sign-in step,
recovery codes, and an administrator requiring it of every staff account."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pyotp
from flask import Flask
from flask.testing import FlaskClient

from registration.accounts.models import User
from registration.staff.roles import Role
from tests.conftest import PASSWORD
from tests.staff_support import make_staff


def _code(secret: str, steps_ahead: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.at(time.time() + steps_ahead * totp.interval)


def _enrol(client: FlaskClient) -> tuple[str, list[str]]:
    """Turns two-factor sign-in on as a person would; the key and the recovery codes."""
    page = client.get("/account/two-factor/")
    assert page.status_code == 200
    assert "<svg" in page.text
    found = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.text)
    assert found
    secret = found.group(1)
    wrong = client.post("/account/two-factor/", data={"code": "000000"})
    assert wrong.status_code == 422
    assert "That code is not right" in wrong.text
    done = client.post("/account/two-factor/", data={"code": _code(secret)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([0-9a-f]{6}-[0-9a-f]{6})</code></li>", done.text)
    assert len(codes) == 10
    return secret, codes


def _password_step(client: FlaskClient, email: str) -> None:
    response = client.post("/account/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login/code"


def test_enrolment_then_sign_in_asks_for_the_apps_code_once(
    app: Flask, organizer_client: FlaskClient, make_organizer: Callable[..., User]
) -> None:
    secret, _ = _enrol(organizer_client)
    organizer_client.post("/account/logout")

    browser = app.test_client()
    _password_step(browser, "organizer@cica.example")
    assert browser.get("/manage/").status_code == 302  # not signed in yet
    wrong = browser.post("/account/login/code", data={"code": "123456"})
    assert wrong.status_code == 422
    code = _code(secret, 1)  # the next step's code (the app's clock may run ahead)
    assert browser.post("/account/login/code", data={"code": code}).status_code == 302
    assert browser.get("/manage/").status_code == 200

    again = app.test_client()  # the same code, replayed by someone who saw it
    _password_step(again, "organizer@cica.example")
    assert again.post("/account/login/code", data={"code": code}).status_code == 422


def test_a_recovery_code_signs_in_once(app: Flask, organizer_client: FlaskClient) -> None:
    _, codes = _enrol(organizer_client)
    for attempt, expected in ((1, 302), (2, 422)):
        browser = app.test_client()
        _password_step(browser, "organizer@cica.example")
        response = browser.post("/account/login/code", data={"code": codes[0].upper()})
        assert response.status_code == expected, attempt
    assert "Recovery codes left: 9" in organizer_client.get("/account/two-factor/").text


def test_the_second_step_without_the_first_sends_back_to_sign_in(client: FlaskClient) -> None:
    response = client.post("/account/login/code", data={"code": "123456"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


def test_turning_it_off_needs_a_current_code(app: Flask, organizer_client: FlaskClient) -> None:
    secret, _ = _enrol(organizer_client)
    refused = organizer_client.post("/account/two-factor/off", data={"code": "000000"})
    assert refused.status_code == 422
    off = organizer_client.post("/account/two-factor/off", data={"code": _code(secret, 1)})
    assert off.status_code == 302
    organizer_client.post("/account/logout")
    browser = app.test_client()
    signed_in = browser.post(
        "/account/login", data={"email": "organizer@cica.example", "password": PASSWORD}
    )
    assert signed_in.headers["Location"] == "/manage/"


def test_an_administrator_can_require_it_of_every_staff_account(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    conference = make_conference(slug="ttf9")
    make_staff(app, "door@cica.example", Role.CHECK_IN, conference)
    _enrol(organizer_client)  # or the administrator too is sent to set it up
    saved = organizer_client.post("/manage/staff/", data={"two_factor_required": "y"})
    assert saved.status_code == 302

    door = app.test_client()
    door.post("/account/login", data={"email": "door@cica.example", "password": PASSWORD})
    sent = door.get("/manage/conferences/ttf9/checkin")
    assert sent.status_code == 302
    assert sent.headers["Location"] == "/account/two-factor/"
    api = door.get("/manage/conferences/ttf9/checkin/api/search?q=Li")
    assert api.status_code == 403
    assert "two-factor" in api.json["reason"]
    _enrol(door)
    assert door.get("/manage/conferences/ttf9/checkin").status_code == 200
    listed = organizer_client.get("/manage/staff/").text
    assert re.search(r"door@cica.example&gt;</td>\s*<td>No</td>\s*<td>On</td>", listed)
