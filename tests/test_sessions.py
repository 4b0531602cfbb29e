"""Sign-ins live on the server: a copied session cookie stops working on every node when the
sign-in ends (sign-out, password change, role removal, deactivation, idle or too old).

Node one is the test app; node two is gunicorn in another process on the same PostgreSQL
database and Redis (tests/second_node.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from registration.accounts.models import AccountSession, User
from registration.database import db, utcnow
from registration.staff.roles import Role
from tests import services
from tests.apps import extra_app
from tests.conftest import PASSWORD
from tests.second_node import Node, second_node
from tests.staff_support import make_staff

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
NEW_PASSWORD = "another long passphrase"


@pytest.fixture(scope="module")
def node_two(app: Flask, database_uri: str) -> Iterator[Node]:
    with second_node(
        database_uri,
        REDIS_URL=services.redis_url(),
        REDIS_KEY_PREFIX=os.environ["REDIS_KEY_PREFIX"],
    ) as node:
        yield node


def _signed_in(app: Flask, email: str, password: str = PASSWORD) -> FlaskClient:
    client = app.test_client()
    response = client.post("/account/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.text
    return client


def _cookie(client: FlaskClient) -> str:
    """The Cookie header a thief would copy."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    return f"session={cookie.value}"


def _opens(node: Node, cookie: str, path: str = "/manage/") -> bool:
    status, location = node.get(path, cookie)
    assert status == 200 or "/account/login" in location, (status, location)
    return status == 200


def test_the_cookie_holds_only_a_random_session_id(
    app: Flask, make_organizer: Callable[..., User]
) -> None:
    make_organizer()
    value = _cookie(_signed_in(app, "organizer@cica.example")).partition("=")[2]
    assert len(value) >= 40
    assert "." not in value  # not a signed cookie carrying the session's contents


def test_a_copied_cookie_stops_working_after_sign_out(
    app: Flask, node_two: Node, make_organizer: Callable[..., User]
) -> None:
    make_organizer()
    browser = _signed_in(app, "organizer@cica.example")
    copied = _cookie(browser)
    assert _opens(node_two, copied)
    browser.post("/account/logout")
    assert not _opens(node_two, copied)
    assert browser.get("/manage/").status_code == 302


def test_a_password_change_ends_every_other_sign_in(
    app: Flask, node_two: Node, make_organizer: Callable[..., User]
) -> None:
    make_organizer()
    here = _signed_in(app, "organizer@cica.example")
    elsewhere = _cookie(_signed_in(app, "organizer@cica.example"))
    assert _opens(node_two, elsewhere)
    changed = here.post("/account/password", data={"current": PASSWORD, "password": NEW_PASSWORD})
    assert changed.status_code == 302
    assert "1 other sign-in ended" in here.get("/account/").text
    assert not _opens(node_two, elsewhere)
    assert _opens(node_two, _cookie(here))  # the browser that changed it stays signed in


def test_removing_a_role_ends_the_sign_ins_it_opened(
    app: Flask, node_two: Node, make_conference: Callable[..., int]
) -> None:
    conference = make_conference(slug="ttf9")
    make_staff(app, "officer@cica.example", Role.ORGANISER, conference)
    make_staff(app, "reviewer@cica.example", Role.REVIEWER, conference)
    copied = _cookie(_signed_in(app, "reviewer@cica.example"))
    assert _opens(node_two, copied, "/manage/conferences/ttf9/registrations")
    officer = _signed_in(app, "officer@cica.example")
    page = officer.get("/manage/conferences/ttf9/staff/").text
    reviewer_role = page.split('id="staff-role-')[2].split('"')[0]  # listed after the organiser
    officer.post(f"/manage/conferences/ttf9/staff/{reviewer_role}/remove")
    assert not _opens(node_two, copied)


def test_deactivating_an_account_ends_its_sign_ins(
    app: Flask, node_two: Node, make_organizer: Callable[..., User]
) -> None:
    user = make_organizer()
    copied = _cookie(_signed_in(app, user.email))
    result = app.test_cli_runner().invoke(args=["deactivate-account", user.email.upper()])
    assert "is deactivated; its sign-ins have ended" in result.output
    assert not _opens(node_two, copied)
    assert (
        app.test_client()
        .post("/account/login", data={"email": user.email, "password": PASSWORD})
        .status_code
        == 200
    )  # refused: the form again


@pytest.mark.parametrize(
    "age", [{"last_seen_at": timedelta(minutes=31)}, {"created_at": timedelta(hours=12, minutes=1)}]
)
def test_an_idle_or_too_old_sign_in_ends(
    app: Flask, node_two: Node, make_organizer: Callable[..., User], age: dict[str, timedelta]
) -> None:
    make_organizer()
    copied = _cookie(_signed_in(app, "organizer@cica.example"))
    assert _opens(node_two, copied)
    with app.app_context():
        db.session.execute(update(AccountSession).values({k: utcnow() - v for k, v in age.items()}))
        db.session.commit()
    assert not _opens(node_two, copied)


def test_the_account_page_lists_sign_ins_and_signs_out_everywhere(
    app: Flask, node_two: Node, make_organizer: Callable[..., User]
) -> None:
    make_organizer()
    here = _signed_in(app, "organizer@cica.example")
    other = _cookie(_signed_in(app, "organizer@cica.example"))
    page = here.get("/account/").text
    assert page.count('id="sign-in-') == 2
    assert "(this browser)" in page
    here.post("/account/sessions/end-all")
    assert not _opens(node_two, other)
    assert here.get("/manage/").status_code == 302


def test_a_wrong_current_password_changes_nothing(
    app: Flask, make_organizer: Callable[..., User]
) -> None:
    make_organizer()
    here = _signed_in(app, "organizer@cica.example")
    refused = here.post("/account/password", data={"current": "wrong", "password": NEW_PASSWORD})
    assert refused.status_code == 422
    assert "The current password is not right." in refused.text
    _signed_in(app, "organizer@cica.example", PASSWORD)


def test_over_https_the_cookie_is_a_host_only_secure_cookie(
    app: Flask, database_uri: str, tmp_path: Path, make_organizer: Callable[..., User]
) -> None:
    make_organizer()
    with extra_app(database_uri, tmp_path, restore=app, SESSION_COOKIE_SECURE=True) as secure:
        response = secure.test_client().post(
            "/account/login",
            data={"email": "organizer@cica.example", "password": PASSWORD},
            base_url="https://localhost",
        )
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if "session=" in c)
    assert cookie.startswith("__Host-session=")
    assert "; Secure" in cookie
    assert "; Path=/" in cookie
    assert "Domain=" not in cookie
