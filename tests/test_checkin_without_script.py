"""Check-in by name without the page's script (a locked-down kiosk browser, a script that did
not load): the search form asks the page itself, the found people's Check in buttons are
plain forms, and the door comes back to the same search with what happened."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.attendance.models import AttendanceRecord
from registration.database import db
from registration.signup.models import RegistrationStatus
from registration.staff.roles import Role
from tests.attendance_support import add_registration
from tests.conftest import PASSWORD
from tests.staff_support import make_staff

pytestmark = pytest.mark.usefixtures("members")
PAGE = "/manage/conferences/ttf-9/checkin"
ISS = "Institute of Strategic Studies"  # everyone's (attendance_support)
FIRST_DAY = "day:2030-12-28"


@pytest.fixture
def conference(make_conference: Callable[..., int]) -> int:
    return make_conference(slug="ttf-9")


@pytest.fixture
def door(app: Flask, conference: int) -> FlaskClient:
    """The volunteer at the door, signed in with the check-in role only."""
    make_staff(app, "door@cica.example", Role.CHECK_IN, conference)
    client = app.test_client()
    client.post("/account/login", data={"email": "door@cica.example", "password": PASSWORD})
    return client


def found(page: str) -> list[str]:
    """The lines of the search results, as a reader sees them."""
    results = re.search(r'<ul id="checkin-results"[^>]*>(.*?)</ul>', page, re.S)
    assert results is not None
    lines = re.findall(r"<li>(.*?)</li>", results.group(1), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", line).split()) for line in lines]


def check_in_form(page: str, name: str) -> dict[str, str]:
    """The fields of the Check in form of the person called `name`."""
    for form in re.findall(r"<form method=\"post\".*?</form>", page, re.S):
        if f'aria-label="Check in {name}"' in form:
            fields = re.findall(r'name="(\w+)" value="([^"]*)"', form)
            return {key: value.replace("&#43;", "+") for key, value in fields}
    raise AssertionError(f"no Check in button for {name}")


def in_person_records(app: Flask) -> list[tuple[int, str]]:
    with app.app_context():
        rows = db.session.scalars(db.select(AttendanceRecord).order_by(AttendanceRecord.id))
        return [(row.registration_id, row.scope) for row in rows]


def test_a_search_finds_one_several_or_nobody(
    app: Flask, door: FlaskClient, conference: int
) -> None:
    add_registration(app, conference, "Li Wei", member="CHN")
    add_registration(app, conference, "Li Na", member="CHN", status=RegistrationStatus.WITHDRAWN)
    add_registration(app, conference, "Aigerim Nurlanovna")

    page = door.get(f"{PAGE}?q=aigerim&scope={FIRST_DAY}").text
    assert found(page) == [f"Aigerim Nurlanovna — Kazakhstan {ISS} Check in"]
    assert 'value="aigerim"' in page  # the search box keeps what was typed
    assert f'<option value="{FIRST_DAY}" selected>' in page

    several = door.get(f"{PAGE}?q=li&scope={FIRST_DAY}").text
    assert found(several) == [
        f"Li Na — China (withdrawn) {ISS} Check in",
        f"Li Wei — China {ISS} Check in",
    ]
    assert "People found: 2." in several

    assert found(door.get(f"{PAGE}?q=nobody&scope={FIRST_DAY}").text) == ["Nobody found."]
    assert found(door.get(PAGE).text) == []  # no search asked for, none shown


def test_check_in_buttons_are_forms_that_come_back_to_the_search(
    app: Flask, door: FlaskClient, conference: int, csrf_enabled: None
) -> None:
    li_wei = add_registration(app, conference, "Li Wei", member="CHN")
    page = door.get(f"{PAGE}?q=li+wei&scope={FIRST_DAY}").text
    form = check_in_form(page, "Li Wei")
    assert form["csrf_token"]
    assert (form["scope"], form["q"]) == (FIRST_DAY, "li wei")

    answer = door.post(f"{PAGE}/by-name", data=form)
    assert answer.status_code == 302
    assert answer.headers["Location"] == f"{PAGE}?q=li+wei&scope=day:2030-12-28"
    back = door.get(answer.headers["Location"]).text
    assert "Li Wei checked in: Day 28 December 2030." in back
    assert found(back) == [f"Li Wei — China (checked in) {ISS} Check in"]
    assert in_person_records(app) == [(li_wei, "day:2030-12-28")]

    # The same form sent again (a double tap) counts once.
    again = door.post(f"{PAGE}/by-name", data=form, follow_redirects=True).text
    assert "Li Wei: this scan was already recorded." in again
    assert in_person_records(app) == [(li_wei, "day:2030-12-28")]

    # Without the page's token nothing is recorded.
    forged = {key: value for key, value in form.items() if key != "csrf_token"}
    forged["client_id"] = "another-check-in"
    assert door.post(f"{PAGE}/by-name", data=forged).status_code == 400
    assert in_person_records(app) == [(li_wei, "day:2030-12-28")]


def test_a_refused_registration_is_not_admitted(
    app: Flask, door: FlaskClient, conference: int
) -> None:
    add_registration(app, conference, "Li Na", member="CHN", status=RegistrationStatus.WITHDRAWN)
    form = check_in_form(door.get(f"{PAGE}?q=li+na&scope={FIRST_DAY}").text, "Li Na")
    back = door.post(f"{PAGE}/by-name", data=form, follow_redirects=True).text
    assert "Li Na: registration withdrawn — do not admit." in back
    assert found(back) == [f"Li Na — China (withdrawn) {ISS} Check in"]
    assert in_person_records(app) == []


def test_the_search_and_its_outcome_are_in_the_page_language(
    app: Flask, door: FlaskClient, conference: int
) -> None:
    add_registration(app, conference, "Li Wei", member="CHN")
    page = door.get(f"{PAGE}?q=nobody&scope={FIRST_DAY}&lang=ru").text
    assert found(page) == ["Никто не найден."]
    page = door.get(f"{PAGE}?q=li&scope={FIRST_DAY}&lang=kk").text
    form = check_in_form(page.replace("Тіркеу: Li Wei", "Check in Li Wei"), "Li Wei")
    assert found(page) == [f"Li Wei — Қытай {ISS} Тіркеу"]  # the state named in Kazakh
    assert f'<small class="hint"><span lang="en">{ISS}</span></small>' in page
    back = door.post(f"{PAGE}/by-name", data=form, follow_redirects=True).text
    assert "Li Wei кіреберісте тіркелді" in back


def test_only_those_who_may_check_in_reach_it(
    app: Flask, client: FlaskClient, conference: int
) -> None:
    li_wei = add_registration(app, conference, "Li Wei", member="CHN")
    make_staff(app, "reviewer@cica.example", Role.REVIEWER, conference)
    client.post("/account/login", data={"email": "reviewer@cica.example", "password": PASSWORD})
    fields = {"registration_id": str(li_wei), "scope": FIRST_DAY, "q": "li"}
    assert client.get(f"{PAGE}?q=li&scope={FIRST_DAY}").status_code == 403
    assert client.post(f"{PAGE}/by-name", data=fields).status_code == 403
    anonymous = app.test_client()
    assert "/account/login" in anonymous.post(f"{PAGE}/by-name", data=fields).location
    assert in_person_records(app) == []
