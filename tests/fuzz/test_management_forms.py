"""Property-based tests of the organisers' and focal points' forms: series, conferences,
panels, registration settings, decisions, focal points, invitations, the confirmation
buttons and the small POST endpoints. No 500, nothing written unless it succeeded, and
what is saved later goes out in mail and calendars without failing."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st

from registration.conferences.models import Conference, Panel, Series
from registration.database import db
from registration.signup.models import Registration, RegistrationStatus
from tests.attendance_support import add_registration
from tests.conftest import PASSWORD
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
from tests.signup_support import open_registration


def _refused_changes_nothing(
    app: Flask, client: FlaskClient, url: str, data: dict[str, Any]
) -> tuple[bool, Any]:
    response = submit(client, "POST", url, data=data)
    if not succeeded(response):
        assert response.status_code in {200, 400, 404, 409, 422}, response.status_code
        assert written() == set()
    return succeeded(response), response


def _slugs() -> st.SearchStrategy[str]:
    return st.uuids().map(lambda u: f"ttf-{u.hex[:6]}")


def series_form() -> st.SearchStrategy[dict[str, Any]]:
    return form(
        {
            "name": field("CICA Think Tank Forum"),
            "short_name": field("TTF"),
            "slug": field(st.one_of(st.just(""), _slugs())),
            "description": field("Meetings of the think tanks of the member states.", 300),
        }
    )


def test_the_series_forms(app: Flask, organizer_client: FlaskClient, make_series) -> None:
    make_series(slug="ttf")

    @fuzz(200)
    @given(data=series_form(), edit=st.booleans())
    def send(data: dict[str, Any], edit: bool) -> None:
        url = "/manage/series/ttf/edit" if edit else "/manage/series/new"
        ok, _ = _refused_changes_nothing(app, organizer_client, url, data)
        if ok and "name" in data:  # a field left out of an edit keeps its stored value
            with app.app_context():
                names = set(db.session.scalars(db.select(Series.name)))
            assert data["name"].strip() in names

    send()


def conference_form(series_id: int) -> st.SearchStrategy[dict[str, Any]]:
    return form(
        {
            "title": field("Tenth Meeting of the CICA Think Tank Forum"),
            "slug": field(st.one_of(st.just(""), _slugs())),
            "theme": field("Building a secure and sustainable Asia\r\n\tTogether", 300),
            "description": field("", 300),
            "series_id": field(str(series_id)),
            "number": field("10"),
            "host": field("Shanghai Institutes for International Studies"),
            "co_organizers": field([], mutation=st.lists(any_text(20), max_size=2)),
            "new_co_organizers": field("IWEP\nRISS", 300),
            "format": field("hybrid"),
            "venue": field("SIIS, 845-1 Julu Road"),
            "city": field("Shanghai"),
            "timezone": field("Asia/Shanghai"),
            "starts_at": field("2030-12-28T09:00"),
            "ends_at": field("2030-12-29T18:00"),
            "online_url": field("https://meet.example.org/ttf10"),
        }
    )


def test_the_conference_forms(
    app: Flask, organizer_client: FlaskClient, make_series, make_conference
) -> None:
    series_id = make_series()
    make_conference(slug="ttf9")

    @fuzz(350)
    @given(data=conference_form(series_id), edit=st.booleans())
    def send(data: dict[str, Any], edit: bool) -> None:
        url = "/manage/conferences/ttf9/edit" if edit else "/manage/conferences/new"
        ok, _ = _refused_changes_nothing(app, organizer_client, url, data)
        if ok and "title" in data:  # a field left out of an edit keeps its stored value
            with app.app_context():
                titles = set(db.session.scalars(db.select(Conference.title)))
            assert data["title"].strip() in titles

    send()


def panel_form() -> st.SearchStrategy[dict[str, Any]]:
    return form(
        {
            "title": field("Realistic security challenges in Asia"),
            "kind": field("panel"),
            "theme": field("", 200),
            "day": field("2030-12-28"),
            "starts": field("09:30"),
            "ends": field("11:00"),
            "room": field("Hall A"),
            "join_url": field("https://meet.example.org/panel-1"),
            "moderators": field("Chen Dongxiao — President, SIIS", 300),
            "speakers": field("Kairat Sarybay — Executive Director, CICA Secretariat", 300),
        }
    )


@pytest.fixture
def open_ttf9(app: Flask, members: None, make_conference, make_panel) -> dict[str, int]:
    conference_id = make_conference(slug="ttf9")
    panel_id = make_panel(conference_id)
    open_registration(app, conference_id)
    return {"conference": conference_id, "panel": panel_id}


def test_the_panel_forms_and_the_mail_that_follows_a_saved_panel(
    app: Flask, organizer_client: FlaskClient, open_ttf9: dict[str, int]
) -> None:
    """A panel saved with whatever title the form accepted is then in the approval mail
    and the calendar invitation of a registrant: the approval must not fail."""
    conference_id = open_ttf9["conference"]
    people = itertools.count()

    @fuzz(300)
    @given(data=panel_form(), edit=st.booleans())
    def send(data: dict[str, Any], edit: bool) -> None:
        panel = open_ttf9["panel"]
        url = (
            f"/manage/conferences/ttf9/panels/{panel}/edit"
            if edit
            else "/manage/conferences/ttf9/panels/new"
        )
        ok, _ = _refused_changes_nothing(app, organizer_client, url, data)
        if not ok:
            return
        with app.app_context():
            newest = db.session.scalars(db.select(Panel).order_by(Panel.updated_at.desc())).first()
            panel_id = newest.id
        registrant = add_registration(
            app,
            conference_id,
            "Aigerim Sadykova",
            email=f"a{next(people)}@kisi.example",
            status=RegistrationStatus.PENDING,
            panels=(panel_id,),
        )
        response = submit(
            organizer_client,
            "POST",
            f"/manage/conferences/ttf9/registrations/{registrant}",
            data={"decision": "approve"},
        )
        assert succeeded(response)

    send()


def test_the_registration_settings_form(
    app: Flask, organizer_client: FlaskClient, open_ttf9: dict[str, int]
) -> None:
    numbers = st.one_of(st.just(""), st.integers(-10, 10**12).map(str), any_text(20))

    @fuzz(300)
    @given(
        data=form(
            {
                "opens_at": field("2030-11-01T09:00"),
                "closes_at": field("2030-12-01T09:00"),
                "approval_required": field("y"),
                "in_person_capacity": field("120", mutation=numbers),
                "delegation_in_person_quota": field("5", mutation=numbers),
                "delegation_total_quota": field("", mutation=numbers),
                "panels": field(
                    [str(open_ttf9["panel"])], mutation=st.lists(any_text(12), max_size=2)
                ),
            }
        )
    )
    def send(data: dict[str, Any]) -> None:
        _refused_changes_nothing(
            app, organizer_client, "/manage/conferences/ttf9/registration/settings", data
        )

    send()


def test_decisions_on_a_registration(
    app: Flask, organizer_client: FlaskClient, open_ttf9: dict[str, int]
) -> None:
    people = itertools.count()

    @fuzz(250)
    @given(
        data=form(
            {
                "decision": field(st.sampled_from(["approve", "reject"])),
                "reason": field("The delegation is complete.", 2100),
            }
        ),
    )
    def decide(data: dict[str, Any]) -> None:
        registrant = add_registration(
            app,
            open_ttf9["conference"],
            "Li Wei",
            email=f"li{next(people)}@siis.example",
            status=RegistrationStatus.PENDING,
        )
        response = submit(
            organizer_client,
            "POST",
            f"/manage/conferences/ttf9/registrations/{registrant}",
            data=data,
        )
        with app.app_context():
            status = db.session.get(Registration, registrant).status
        assert (status is not RegistrationStatus.PENDING) == succeeded(response)

    decide()


def test_the_focal_point_form(
    app: Flask, organizer_client: FlaskClient, open_ttf9: dict[str, int]
) -> None:
    @fuzz(200)
    @given(
        data=form(
            {
                "email": field(st.uuids().map(lambda u: f"fp{u.hex[:8]}@mfa.example")),
                "name": field("Focal Point of Kazakhstan"),
                "member": field(
                    "1", mutation=st.one_of(st.integers(-5, 10**20).map(str), any_text(8))
                ),
            }
        )
    )
    def send(data: dict[str, Any]) -> None:
        response = submit(
            organizer_client,
            "POST",
            "/manage/conferences/ttf9/registration/focal-points",
            data=data,
        )
        if not succeeded(response):
            assert written() == set()

    send()


def test_inviting_one_person(
    app: Flask, organizer_client: FlaskClient, open_ttf9: dict[str, int]
) -> None:
    @fuzz(250)
    @given(
        data=form(
            {
                "one-name": field("Dr Li Wei"),
                "one-email": field(st.uuids().map(lambda u: f"li{u.hex[:8]}@siis.example")),
                "one-member": field(st.sampled_from(["", "KAZ", "CHN"])),
                "one-role": field("speaker"),
                "one-panels": field(
                    [str(open_ttf9["panel"])], mutation=st.lists(any_text(8), max_size=2)
                ),
            }
        )
    )
    def send(data: dict[str, Any]) -> None:
        _refused_changes_nothing(
            app, organizer_client, "/manage/conferences/ttf9/invitations/one", data
        )

    send()


def test_the_confirmation_buttons_and_small_posts(
    app: Flask, organizer_client: FlaskClient, open_ttf9: dict[str, int]
) -> None:
    panel = open_ttf9["panel"]
    paths = [
        "/manage/conferences/ttf9/publish",
        f"/manage/conferences/ttf9/panels/{panel}/move/up",
        "/manage/mail/1/resend",
        "/manage/conferences/ttf9/registration/focal-points/1/remove",
        "/manage/conferences/ttf9/invitations/remind",
        "/calendar/personal/not-a-key/rotate",
    ]

    @fuzz(200)
    @given(
        path=st.sampled_from(paths),
        data=st.dictionaries(
            st.sampled_from(["next", "request_key", "csrf_token", "x"]), any_text(), max_size=3
        ),
    )
    def send(path: str, data: dict[str, Any]) -> None:
        submit(organizer_client, "POST", path, data=data)

    send()


def test_a_focal_point_registers_a_delegate(
    app: Flask,
    client: FlaskClient,
    open_ttf9: dict[str, int],
    make_organizer: Callable[..., Any],
    login: Callable[[str], None],
) -> None:
    user = make_organizer("focal@mfa.kz", organizer=False)
    response = None
    with app.app_context():
        from registration.directory.services import member_by_code
        from registration.signup.models import FocalPoint

        kaz = member_by_code("KAZ").id
        db.session.add(
            FocalPoint(conference_id=open_ttf9["conference"], user_id=user.id, member_id=kaz)
        )
        db.session.commit()
    response = client.post("/account/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302

    @fuzz(150)
    @given(
        data=form(
            {
                "name": field("Nurlan Abdrakhmanov"),
                "institution": field("Ministry of Foreign Affairs"),
                "email": field(st.uuids().map(lambda u: f"d{u.hex[:8]}@mfa.kz")),
                "member": field(str(kaz)),
                "mode": field("in_person"),
                "role": field("participant"),
                "language": field("ru"),
                "panels": field([str(open_ttf9["panel"])]),
            }
        )
    )
    def send(data: dict[str, Any]) -> None:
        data = {k: v for k, v in data.items() if v is not OMIT}
        response = submit(client, "POST", "/delegation/ttf9/register", data=data)
        if not succeeded(response):
            allowed = {"outgoing_mail"} if "already registered" in response.text else set()
            assert written() <= allowed

    send()
