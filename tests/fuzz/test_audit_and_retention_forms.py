"""Property-based tests of the retention period form and a participant's erasure of their
own data: no 500, nothing written unless it succeeded, and a success erases everything."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st

from registration.audit.models import ERASED
from registration.conferences.models import Conference
from registration.database import db
from registration.signup import links
from registration.signup.models import Registration
from tests.attendance_support import add_registration
from tests.fuzz.support import any_text, field, form, fuzz, submit, succeeded, written
from tests.signup_support import open_registration


def test_the_retention_period_form(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    conference_id = make_conference(slug="ttf9")
    numbers = st.one_of(st.just(""), st.integers(-10, 10**12).map(str), any_text(20))

    @fuzz(200)
    @given(data=form({"months": field("12", mutation=numbers)}))
    def send(data: dict[str, Any]) -> None:
        response = submit(
            organizer_client, "POST", "/manage/conferences/ttf9/personal-data", data=data
        )
        if not succeeded(response):
            assert response.status_code == 200, response.status_code
            assert written() == set()
            return
        if "months" not in data:  # WTForms keeps the stored value of a field left out
            return
        with app.app_context():
            months = db.session.get(Conference, conference_id).erase_personal_data_months
        assert months == (int(data["months"]) if data["months"].strip() else None)

    send()


def test_a_participant_s_erasure_of_their_own_data(
    app: Flask, client: FlaskClient, members: None, make_conference: Callable[..., int]
) -> None:
    conference_id = make_conference(slug="ttf9")
    open_registration(app, conference_id)

    def new_link() -> str:
        registration_id = add_registration(app, conference_id, "Li Wei")
        with app.app_context():
            token = links.manage_token(db.session.get_one(Registration, registration_id))
        return f"/conferences/ttf9/registration/{token}/erase"

    link = [new_link()]

    @fuzz(150)
    @given(data=form({"erase-confirm": field("y")}))
    def erase(data: dict[str, Any]) -> None:
        response = submit(client, "POST", link[0], data=data)
        if not succeeded(response):
            assert response.status_code == 200, response.status_code
            assert written() == set()
            return
        with app.app_context():
            names = set(db.session.scalars(db.select(Registration.name)))
        assert names == {ERASED}
        link[0] = new_link()

    erase()
