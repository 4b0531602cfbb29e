"""Property-based tests of the public forms: registration, the person's own registration
(change, withdraw), the link resend, sign-in, a focal point's password, an invitation's
decline. Whatever is sent: no 500, nothing written unless it succeeded, and what is saved is
what was typed (after the input policy)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st

from registration.accounts.models import User
from registration.accounts.services import create_user
from registration.database import db
from registration.invitations.models import Invitation
from registration.signup import links
from registration.signup.focal_points import password_token
from registration.signup.models import Registration
from tests.fuzz.support import (
    OMIT,
    any_text,
    field,
    form,
    fuzz,
    submit,
    succeeded,
    written,
)
from tests.signup_support import member_id, open_registration


@pytest.fixture
def ttf9(app: Flask, members: None, make_conference, make_panel) -> dict[str, Any]:
    conference_id = make_conference(slug="ttf9")
    panels = [make_panel(conference_id, title=f"Panel {n}") for n in range(2)]
    open_registration(app, conference_id)
    return {"conference": conference_id, "panels": panels, "member": member_id(app, "KAZ")}


def _email() -> st.SearchStrategy[str]:
    return st.uuids().map(lambda u: f"p{u.hex[:12]}@kisi.example")


def _panels(panel_ids: list[int]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.just([str(p) for p in panel_ids]),
        st.lists(st.one_of(st.sampled_from([str(p) for p in panel_ids]), any_text(12)), max_size=3),
        st.just(OMIT),
    )


def registration_form(ttf9: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    return form(
        {
            "name": field("Aigerim Nurlanovna"),
            "position": field("Senior Research Fellow"),
            "institution": field("Kazakhstan Institute for Strategic Studies"),
            "email": field(_email()),
            "member": field(str(ttf9["member"])),
            "mode": field("in_person"),
            "role": field("participant"),
            "language": field("en"),
            "consent": field("y"),
            "panels": field([str(p) for p in ttf9["panels"]], mutation=_panels(ttf9["panels"])),
        }
    )


@pytest.mark.parametrize("path", ["/conferences/ttf9/register"])
def test_the_registration_form(
    app: Flask, client: FlaskClient, ttf9: dict[str, Any], path: str
) -> None:
    @fuzz(700)
    @given(data=registration_form(ttf9))
    def send(data: dict[str, Any]) -> None:
        response = submit(client, "POST", path, data=data)
        changed = written()
        if not succeeded(response):
            assert response.status_code in {200, 400, 422, 429}
            allowed = {"outgoing_mail"} if "already registered" in response.text else set()
            assert changed <= allowed, changed
            return
        with app.app_context():
            saved = db.session.scalars(
                db.select(Registration).order_by(Registration.id.desc())
            ).first()
            assert saved is not None
            assert saved.name == data["name"].strip()
            assert saved.institution == data["institution"].strip()
            assert saved.email == data["email"].strip().lower()
            chosen = {int(p) for p in data.get("panels", [])}
            assert set(saved.panel_ids) == chosen
        assert {"registrations", "outgoing_mail"} <= changed

    send()


def test_the_person_s_own_registration_page(
    app: Flask, client: FlaskClient, ttf9: dict[str, Any]
) -> None:
    response = client.post(
        "/conferences/ttf9/register",
        data={
            "name": "Li Wei",
            "institution": "SIIS",
            "email": "li.wei@siis.example",
            "member": str(ttf9["member"]),
            "mode": "online",
            "role": "participant",
            "language": "en",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        registration = db.session.scalars(db.select(Registration)).one()
        token = links.manage_token(registration)
    page = f"/conferences/ttf9/registration/{token}"

    @fuzz(300)
    @given(
        data=form(
            {
                "mode": field("in_person"),
                "panels": field([str(ttf9["panels"][0])], mutation=_panels(ttf9["panels"])),
            }
        ),
        token_used=st.one_of(st.just(token), st.just(token), any_text(80)),
    )
    def change(data: dict[str, Any], token_used: str) -> None:
        url = f"/conferences/ttf9/registration/{token_used}"
        response = submit(client, "POST", url.replace("\x00", "%00"), data=data)
        if not succeeded(response) or token_used != token:
            allowed = {"outgoing_mail", "registrations", "registration_panels"}
            assert written() <= allowed

    change()

    @fuzz(100)
    @given(data=form({"confirm": field("y")}))
    def withdraw(data: dict[str, Any]) -> None:
        submit(client, "POST", f"{page}/withdraw", data=data)

    withdraw()


def test_the_link_resend_form(app: Flask, client: FlaskClient, ttf9: dict[str, Any]) -> None:
    @fuzz(200)
    @given(data=form({"email": field("li.wei@siis.example")}))
    def send(data: dict[str, Any]) -> None:
        submit(client, "POST", "/conferences/ttf9/register/link", data=data)
        assert written() <= {"outgoing_mail"}

    send()


def test_the_sign_in_form(app: Flask, client: FlaskClient, make_organizer) -> None:
    user = make_organizer()

    @fuzz(100)  # each valid address costs an Argon2 hash
    @given(
        data=form(
            {
                "email": field(user.email),
                "password": field("not the password"),
            }
        )
    )
    def sign_in(data: dict[str, Any]) -> None:
        response = submit(client, "POST", "/account/login", data=data)
        assert not succeeded(response)
        assert written() == set()

    sign_in()


def test_a_focal_point_s_password_form(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        user = create_user("focal@kisi.example", uuid.uuid4().hex, name="Focal Point")
        token = password_token(user)
        user_id = user.id

    @fuzz(150)
    @given(data=form({"password": field("a long enough password", max_size=300)}))
    def choose(data: dict[str, Any]) -> None:
        with app.app_context():
            current = db.session.get(User, user_id)
            fresh = password_token(current)
        response = submit(client, "POST", f"/focal-point/password/{fresh}", data=data)
        if succeeded(response):
            password = data["password"]
            assert 12 <= len(password) <= 200
        submit(client, "POST", f"/focal-point/password/{token}x", data=data)

    choose()


def test_an_invitation_s_decline_link(
    app: Flask, client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    conference_id = make_conference(slug="ttf9")
    with app.app_context():
        invitation = Invitation(conference_id=conference_id, name="Anna", email="a@example.org")
        db.session.add(invitation)
        db.session.commit()
        token = invitation.token

    @fuzz(100)
    @given(
        token_used=st.one_of(st.just(token), any_text(80)),
        data=form({"x": field("", mutation=any_text())}),
    )
    def decline(token_used: str, data: dict[str, Any]) -> None:
        path = f"/invitations/{token_used.replace('%', '%25').replace('/', '%2F')}/decline"
        submit(client, "POST", path, data=data)
        submit(client, "GET", path)

    decline()
