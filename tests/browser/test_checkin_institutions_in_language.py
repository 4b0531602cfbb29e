"""The check-in page's script lists a found person's institution as the page without script
does: a known one in the page's language (Kazakh, Russian), an unknown one as typed, each
marked with `lang` when it is in another language than the page's (issue 13)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from registration.accounts.models import User
from tests.attendance_support import add_registration
from tests.browser.test_checkin_phone import open_checkin
from tests.test_registrant_institutions import KAZAKH_TYPED, SIIS, known_institutions


@pytest.fixture
def door(app: Flask, members: None, make_conference: Callable[..., int]) -> None:
    """Li Wei typed SIIS's Russian name (a known institution), Aliya Bek a Kazakh name that
    no known institution has."""
    conference = make_conference(slug="ttf-9")
    known_institutions(app)
    add_registration(app, conference, "Li Wei", member="CHN", institution=SIIS["ru"])
    add_registration(app, conference, "Aliya Bek", institution=KAZAKH_TYPED)


def search(page: Page, language: str, name: str) -> None:
    page.goto(f"/manage/conferences/ttf-9/checkin?lang={language}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator("#checkin-search").fill(name)
    page.locator("#checkin-search-submit").click()
    expect(page.locator("#checkin-results li")).to_have_count(1)


@pytest.mark.usefixtures("door")
def test_found_people_show_their_institution_in_the_pages_language(
    phone_page: Page, make_organizer: Callable[..., User]
) -> None:
    page = open_checkin(phone_page, make_organizer().email)
    institution = page.locator("#checkin-results li small")

    search(page, "kk", "Li Wei")
    expect(institution).to_have_text(SIIS["kk"])
    assert institution.get_attribute("lang") is None
    search(page, "kk", "Aliya")
    expect(institution).to_have_text(KAZAKH_TYPED)
    assert institution.get_attribute("lang") is None

    search(page, "ru", "Li Wei")
    expect(institution).to_have_text(SIIS["ru"])
    assert institution.get_attribute("lang") is None
    search(page, "ru", "Aliya")
    expect(institution).to_have_text(KAZAKH_TYPED)
    expect(institution).to_have_attribute("lang", "kk")

    # A check-in rewrites the line, institution and all.
    page.locator("#checkin-results li button").click()
    expect(page.locator("#checkin-results li")).to_contain_text("(прошёл регистрацию)")
    expect(institution).to_have_attribute("lang", "kk")
