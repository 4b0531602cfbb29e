"""The public registration form: what it offers, every validation rule, closed registration."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.conferences.models import ConferenceFormat
from registration.database import db, utcnow
from registration.signup.models import AttendanceMode, Registration, RegistrationStatus
from tests.signup_support import form_data, mails, member_id, open_registration


@pytest.fixture
def conference(
    app: Flask, members: None, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> dict[str, object]:
    conference_id = make_conference(slug="ttf9")
    panel = make_panel(conference_id, title="Realistic security challenges")
    closed_panel = make_panel(conference_id, title="Closed session")
    open_registration(app, conference_id, panel_ids=[panel])
    return {"id": conference_id, "panel": panel, "closed_panel": closed_panel}


def registrations(app: Flask) -> list[Registration]:
    with app.app_context():
        rows = db.session.scalars(db.select(Registration)).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


def test_form_offers_members_states_first_modes_panels_and_languages(
    client: FlaskClient, conference: dict[str, object]
) -> None:
    page = client.get("/conferences/ttf9/register").text
    assert page.index("Kazakhstan (KAZ)") < page.index("Japan (JPN)")  # member before observer
    assert "🇰🇿" in page
    assert 'value="in_person"' in page
    assert 'value="online"' in page
    assert "Realistic security challenges" in page
    assert "Closed session" not in page
    assert ">English<" in page
    assert ">Russian<" in page
    assert ">Chinese<" in page


def test_online_conference_offers_no_in_person_attendance(
    app: Flask, client: FlaskClient, members: None, make_conference: Callable[..., int]
) -> None:
    conference_id = make_conference(slug="webinar", format=ConferenceFormat.ONLINE, venue="")
    open_registration(app, conference_id)
    page = client.get("/conferences/webinar/register").text
    assert 'value="in_person"' not in page
    response = client.post(
        "/conferences/webinar/register", data=form_data(member_id(app, "KAZ"), mode="in_person")
    )
    assert response.status_code == 200
    assert "Not a valid choice" in response.text
    assert registrations(app) == []


def test_valid_registration_is_saved_and_mailed(
    app: Flask, client: FlaskClient, conference: dict[str, object]
) -> None:
    kaz = member_id(app, "KAZ")
    response = client.post(
        "/conferences/ttf9/register",
        data=form_data(kaz, panels=[str(conference["panel"])], email=" Aigerim@KISI.example "),
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).text
    assert "Thank you, Aigerim Nurlanovna" in page
    assert "awaits approval" in page
    [saved] = registrations(app)
    assert saved.email == "aigerim@kisi.example"
    assert saved.member_id == kaz
    assert saved.mode is AttendanceMode.IN_PERSON
    assert saved.status is RegistrationStatus.PENDING
    assert saved.consent_to_list is True
    [mail] = mails(app)
    assert mail["To"] == "aigerim@kisi.example"
    assert "Confirm your registration" in mail["Subject"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter your full name."),
        ("name", "x" * 201, "Field cannot be longer than 200 characters."),
        ("institution", "", "Enter your institution."),
        ("position", "p" * 301, "Field cannot be longer than 300 characters."),
        ("email", "", "Enter your e-mail address."),
        ("email", "not-an-address", "Enter a valid e-mail address"),
        ("member", "", "Choose the member state or organisation you represent."),
        ("member", "999999", "Not a valid choice"),
        ("mode", None, "Choose how you will attend."),
        ("mode", "teleport", "Not a valid choice"),
        ("role", "king", "Not a valid choice"),
        ("role", None, "Choose your role."),
        ("language", "xx", "Not a valid choice"),
    ],
)
def test_each_invalid_field_is_explained_and_every_value_kept(
    app: Flask,
    client: FlaskClient,
    conference: dict[str, object],
    field: str,
    value: str | None,
    message: str,
) -> None:
    data = form_data(member_id(app, "CHN"), **{field: value})
    data["panels"] = [str(conference["panel"])]
    response = client.post("/conferences/ttf9/register", data=data)
    assert response.status_code == 200
    assert message in response.text
    assert "Please correct the fields marked below." in response.text
    page = response.text
    for kept in ("name", "position", "institution", "email"):
        if kept != field:
            assert f'value="{data[kept]}"' in page
    if field != "member":
        assert re.search(rf'<option data-names="[^"]*" selected value="{data["member"]}">', page)
    assert f'checked id="panels-0" name="panels" type="checkbox" value="{conference["panel"]}"' in (
        page
    )
    assert registrations(app) == []


def test_panel_that_does_not_accept_sign_ups_is_refused(
    app: Flask, client: FlaskClient, conference: dict[str, object]
) -> None:
    data = form_data(member_id(app, "CHN"), panels=[str(conference["closed_panel"])])
    response = client.post("/conferences/ttf9/register", data=data)
    assert response.status_code == 200
    assert "is not a valid choice" in response.text
    assert registrations(app) == []


def test_registration_before_opening_shows_when_it_opens(
    app: Flask, client: FlaskClient, members: None, make_conference: Callable[..., int]
) -> None:
    conference_id = make_conference(slug="later")
    open_registration(app, conference_id, opens_at=utcnow() + timedelta(days=3))
    page = client.get("/conferences/later/register").text
    assert "Registration is closed" in page
    assert "Registration opens on" in page
    response = client.post("/conferences/later/register", data=form_data(member_id(app, "KAZ")))
    assert "Registration is closed" in response.text
    assert registrations(app) == []


def test_registration_after_closing_is_refused(
    app: Flask, client: FlaskClient, members: None, make_conference: Callable[..., int]
) -> None:
    conference_id = make_conference(slug="past")
    open_registration(
        app,
        conference_id,
        opens_at=utcnow() - timedelta(days=10),
        closes_at=utcnow() - timedelta(days=1),
    )
    response = client.post("/conferences/past/register", data=form_data(member_id(app, "KAZ")))
    assert response.status_code == 200
    assert "Registration closed on" in response.text
    assert registrations(app) == []


def test_conference_without_settings_is_not_open(
    client: FlaskClient, members: None, make_conference: Callable[..., int]
) -> None:
    make_conference(slug="unset")
    assert "has not been opened yet" in client.get("/conferences/unset/register").text


def test_form_needs_a_csrf_token(
    app: Flask, client: FlaskClient, conference: dict[str, object], csrf_enabled: None
) -> None:
    data = form_data(member_id(app, "KAZ"), name="Aliya Typed-Everything")
    response = client.post("/conferences/ttf9/register", data=data)
    assert response.status_code == 400
    assert "The form expired" in response.text
    assert "Your answers are kept" in response.text
    assert 'value="Aliya Typed-Everything"' in response.text, "nothing typed is lost"
    assert 'name="csrf_token" type="hidden" value="' in response.text, "a fresh token to resend"
    assert registrations(app) == []
