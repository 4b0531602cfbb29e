"""An organiser edits a conference and checks someone in, in English, Russian and Kazakh
(issue 13): the management pages follow the language the organiser chose on their account
page, form errors, confirmations and the check-in page's announcements come in it, the title
entered side by side in the three languages reaches visitors in theirs, and axe finds nothing
on any page visited (the `page` fixture runs it on each)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from flask import Flask
from flask_babel import gettext
from playwright.sync_api import Page, expect

from registration.accounts.models import User
from registration.conferences.text_fields import MISSING_MAIN
from registration.i18n import language_name, strftime
from tests.attendance_support import add_registration
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("members")

LANGUAGES = ["en", "ru", "kk"]
FIRST_DAY = date(2030, 12, 28)
TITLES = {
    "ru": "Девятое заседание Форума аналитических центров СВМДА",
    "kk": "АӨСШК Талдау орталықтары форумының тоғызыншы отырысы",
}


def _in(app: Flask, language: str, message: str, **values: object) -> str:
    """`message` as a page in `language` says it."""
    with app.test_request_context(f"/?lang={language}"):
        return gettext(message, **values)


def _choose_language(page: Page, email: str, language: str) -> None:
    page.goto("/account/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url("/manage/")
    page.goto("/account/")
    page.locator("#language-form select").select_option(language)
    page.locator("#language-form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_conference_edit_and_check_in_in_the_organisers_language(
    app: Flask,
    page: Page,
    make_organizer: Callable[..., User],
    make_conference: Callable[..., int],
    language: str,
) -> None:
    conference = make_conference(slug="ttf-9")
    add_registration(app, conference, "Aigerim Nurlanovna", member="KAZ")
    _choose_language(page, make_organizer().email, language)

    page.goto("/manage/conferences/ttf-9/edit")  # no ?lang=: the account's language
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(_in(app, language, "Edit conference"))
    page.locator("#title").fill("")
    page.locator("form.wide button[type=submit]").click()
    with app.test_request_context(f"/?lang={language}"):
        missing = gettext(MISSING_MAIN["title"], language=language_name("en"))
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(_in(app, language, "Please correct the fields marked below."))
    expect(summary).to_contain_text(missing)
    expect(page.locator("#title")).to_have_accessible_description(missing)

    page.locator("#title").fill("Ninth Meeting of the CICA Think Tank Forum, revised")
    page.locator("#title_ru").fill(TITLES["ru"])
    page.locator("#title_kk").fill(TITLES["kk"])
    page.locator("form.wide button[type=submit]").click()
    expect(page.locator("#notices")).to_contain_text(_in(app, language, "Saved."))

    page.goto("/manage/conferences/ttf-9/checkin")
    expect(page.get_by_role("heading", level=1)).to_contain_text(_in(app, language, "Check-in"))
    page.locator("#checkin-search").fill("Aigerim")
    page.locator("#checkin-search-submit").click()
    expect(page.locator("#checkin-search-status")).to_have_text(
        _in(app, language, "1 person found.")
    )
    page.get_by_role(
        "button", name=_in(app, language, "Check in {name}").format(name="Aigerim Nurlanovna")
    ).click()
    with app.test_request_context(f"/?lang={language}"):
        day = gettext("Day %(date)s", date=strftime(FIRST_DAY, "%d %B %Y"))
        done = gettext("%(name)s checked in: %(scope)s.", name="Aigerim Nurlanovna", scope=day)
    expect(page.locator("#checkin-message")).to_have_text(done)
    expect(page.locator("#checkin-undo")).to_have_text(_in(app, language, "Undo"))

    # Last: a page's ?lang= is the visitor's choice from then on, over the account's language.
    for shown in ("ru", "kk"):  # visitors read the title entered side by side in their language
        page.goto(f"/conferences/ttf-9?lang={shown}")
        expect(page.get_by_role("heading", level=1)).to_contain_text(TITLES[shown])
    page.goto("/conferences/ttf-9?lang=en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("revised")
