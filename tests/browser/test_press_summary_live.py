"""The Kazakh attendance dashboard keeps the press-release line current in English, Russian
and Kazakh: a participant seen after the page loaded changes all three boxes at the next
poll, each count in its plural form (issue 13)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from registration.accounts.models import User
from registration.attendance.checkin import Scan, check_in
from registration.attendance.join_links import record_join
from registration.conferences.models import Conference
from registration.database import db
from registration.signed_tokens import join_token
from tests.attendance_support import add_registration, payload_of
from tests.conftest import PASSWORD, at
from tests.test_press_summary_languages import TITLES, translated

pytestmark = pytest.mark.usefixtures("members")


def test_the_three_lines_follow_a_new_participant(
    app: Flask,
    page: Page,
    make_organizer: Callable[..., User],
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
) -> None:
    conference_id = make_conference(slug="ttf9")
    translated(app, conference_id)
    panel = make_panel(conference_id, join_url="https://z.example/1")
    seen, later = (
        add_registration(app, conference_id, name, member="KAZ", panels=(panel,))
        for name in ("Aigerim Sadykova", "Arman Bekov")
    )
    with app.app_context():
        conference = db.session.get_one(Conference, conference_id)
        check_in(conference, Scan("live-1", panel_id=panel, badge=payload_of(app, seen)), None)
    page.goto("/account/login")
    page.get_by_label("E-mail").fill(make_organizer().email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url("/manage/")
    page.goto("/manage/conferences/ttf9/attendance?lang=kk")
    english, russian, kazakh = (
        page.get_by_role("textbox", name=name)
        for name in ("Ағылшын тілі", "Орыс тілі", "Қазақ тілі")
    )
    expect(russian).to_have_attribute("lang", "ru")
    expect(russian).to_have_value(
        f"1 эксперт из 1 государства-члена очно принял участие в мероприятии «{TITLES['ru']}»."
    )
    expect(page.get_by_role("button", name="Көшіру Орыс тілі")).to_be_visible()

    with app.app_context():
        record_join(join_token(later, panel), now=at("2030-12-28 02:05"))
    page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")  # poll now
    expect(english).to_have_value(
        f"2 experts from 1 member state attended the {TITLES['en']}, 1 of them online."
    )
    expect(russian).to_have_value(
        f"2 эксперта из 1 государства-члена приняли участие в мероприятии «{TITLES['ru']}», "
        "1 из них онлайн."
    )
    expect(kazakh).to_have_value(
        f"«{TITLES['kk']}» іс-шарасына 1 мүше мемлекеттен 2 сарапшы қатысты, "
        "оның ішінде 1 сарапшы онлайн форматта."
    )
    expect(kazakh).to_have_attribute("lang", "kk")
