"""Granting and removing roles on a conference's staff page; invitations by e-mail."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.signup.demo import SLUG
from registration.staff.roles import Role
from tests.conftest import PASSWORD
from tests.signup_support import body, link_in, mails
from tests.staff_support import make_staff

NEW_PASSWORD = "a door volunteer's own words"


def test_an_organiser_invites_a_door_volunteer_who_sets_a_password_and_checks_people_in(
    app: Flask, client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    conference = make_conference(slug="ttf9")
    make_staff(app, "officer@cica.example", Role.ORGANISER, conference)
    client.post("/account/login", data={"email": "officer@cica.example", "password": PASSWORD})
    page = client.post(
        "/manage/conferences/ttf9/staff/",
        data={"email": "Door@CICA.example", "name": "Door Volunteer", "role": "check_in"},
        follow_redirects=True,
    )
    assert "door@cica.example is now check-in staff" in page.text
    (mail,) = mails(app, "door@cica.example")
    assert "check-in staff of Ninth Meeting" in body(mail)
    client.post("/account/logout")

    volunteer = app.test_client()
    link = link_in(mail)
    assert volunteer.get(link).status_code == 200
    chosen = volunteer.post(link, data={"password": NEW_PASSWORD})
    assert chosen.status_code == 302
    assert volunteer.get(link).status_code == 404  # the link works once
    signed_in = volunteer.post(
        "/account/login", data={"email": "door@cica.example", "password": NEW_PASSWORD}
    )
    assert signed_in.headers["Location"] == "/manage/"
    assert volunteer.get("/manage/conferences/ttf9/checkin").status_code == 200
    assert volunteer.get("/manage/conferences/ttf9/registrations.csv").status_code == 403


def test_a_removed_role_opens_nothing_and_a_second_grant_changes_the_role(
    app: Flask, client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    conference = make_conference(slug="ttf9")
    make_staff(app, "officer@cica.example", Role.ORGANISER, conference)
    make_staff(app, "reviewer@cica.example", Role.REVIEWER, conference)
    client.post("/account/login", data={"email": "officer@cica.example", "password": PASSWORD})
    page = client.post(
        "/manage/conferences/ttf9/staff/",
        data={"email": "reviewer@cica.example", "role": "observer"},
        follow_redirects=True,
    )
    assert "reviewer@cica.example is now observer" in page.text
    again = client.post(
        "/manage/conferences/ttf9/staff/",
        data={"email": "reviewer@cica.example", "role": "observer"},
    )
    assert again.status_code == 422
    assert "already observer of this conference" in again.text

    reviewer = app.test_client()
    reviewer.post("/account/login", data={"email": "reviewer@cica.example", "password": PASSWORD})
    assert reviewer.get("/manage/conferences/ttf9/registrations.csv").status_code == 403
    assert reviewer.get("/manage/conferences/ttf9/registrations").status_code == 200
    role_id = page.text.split('id="staff-role-', 2)[1].split('"')[0]  # the first listed
    client.post(f"/manage/conferences/ttf9/staff/{role_id}/remove")
    listed = client.get("/manage/conferences/ttf9/staff/").text
    assert listed.count('id="staff-role-') == 1
    log = client.get("/manage/conferences/ttf9/audit").text
    for action in ("Staff role granted", "Staff role changed", "Staff role removed"):
        assert action in log


def test_a_grant_with_mistakes_keeps_what_was_typed(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    make_conference(slug="ttf9")
    page = organizer_client.post(
        "/manage/conferences/ttf9/staff/", data={"email": "not an address", "role": ""}
    )
    assert page.status_code == 422
    assert 'value="not an address"' in page.text
    assert "Choose a role." in page.text


@pytest.mark.usefixtures("members")
def test_the_demo_has_one_staff_member_per_role_at_the_sample_meeting(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=["seed-demo", "--organizer", "demo@cica.example", "--password", PASSWORD]
    )
    assert result.exit_code == 0, result.output
    assert "reviewer.demo@cica.example, door.demo@cica.example" in result.output
    for email, path, status in (
        ("reviewer.demo@cica.example", f"/manage/conferences/{SLUG}/registrations.csv", 200),
        ("door.demo@cica.example", f"/manage/conferences/{SLUG}/checkin", 200),
        ("door.demo@cica.example", f"/manage/conferences/{SLUG}/registrations.csv", 403),
        ("observer.demo@cica.example", f"/manage/conferences/{SLUG}/registrations", 200),
        ("observer.demo@cica.example", f"/manage/conferences/{SLUG}/edit", 403),
    ):
        client = app.test_client()
        client.post("/account/login", data={"email": email, "password": PASSWORD})
        assert client.get(path).status_code == status, (email, path)
