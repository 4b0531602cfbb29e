"""Every page of the service, public and management, passes axe-core's WCAG 2.1 A/AA rules
in every language the service offers, on a desktop and on a 320 px wide phone; so does
every form sent back with mistakes.

The pages come from the app's routes (tests/browser/site_walk.py), so a page added later is
walked without touching this file; so are the closed registration page, the error page and
the import preview (reached only by uploading a report). What axe leaves to people is
checked too: on the phone no page scrolls sideways (WCAG 1.4.10; wide tables scroll inside
a region the keyboard can reach), everything that takes the focus shows the site's focus
outline (2.4.7), the borders of text fields and menus stand out at 3:1 (1.4.11) and no id
is used twice. Every POST form with fields is then sent empty: where it comes back with
mistakes, the error summary has the focus, links every field in error to a control that
takes the focus, every error is named by the aria-describedby of its field, and the title
starts with "Error" in the page's language (form_checks.js).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_babel import gettext
from playwright.sync_api import BrowserContext, Page

from tests.browser.axe import Auditor
from tests.browser.conftest import LiveServer, fail_on_findings, watched_context
from tests.browser.page_checks import border_problems, duplicate_ids, focus_indicator_problems
from tests.browser.site_walk import ORGANISER, Site, fill_site, import_preview, pages, tidy
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("members")

DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}}
# WCAG 1.4.10 asks for content usable at 320 CSS px without scrolling in two directions.
SMALL_PHONE: dict[str, Any] = {
    "viewport": {"width": 320, "height": 640},
    "is_mobile": True,
    "has_touch": True,
}
SIZES = {"desktop": DESKTOP, "phone": SMALL_PHONE}
FORMS = (Path(__file__).parent / "form_checks.js").read_text(encoding="utf-8")


@pytest.fixture
def site(app: Flask) -> Iterator[Site]:
    yield fill_site(app)
    tidy(app)


def _sign_in(tab: Page, email: str) -> None:
    tab.goto("/account/login")
    tab.locator("#email").fill(email)
    tab.locator("#password").fill(PASSWORD)
    tab.locator("form.narrow button[type=submit]").click()
    tab.wait_for_url(lambda url: "/account/login" not in url)


def _with_language(url: str, language: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}lang={language}"


def _sideways_scroll(tab: Page) -> int:
    """How far the page as a whole scrolls sideways, in CSS pixels."""
    return int(
        tab.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    )


def _error_title(app: Flask, language: str) -> str:
    """How a page title starts when a form came back with mistakes, in `language`."""
    with app.test_request_context(f"/?lang={language}"):
        return gettext("Error") + ": "


def _forms_with_mistakes(tab: Page, auditor: Auditor, title: str) -> tuple[int, list[str]]:
    """Sends each form of the page empty; returns how many came back with an error summary
    and what is wrong with the error pattern on those pages."""
    url = tab.url
    summaries, problems = 0, []
    for index in range(tab.evaluate(FORMS, ["count", None])):
        if index:
            tab.goto(url)
        tab.evaluate(FORMS, ["empty", index])
        with tab.expect_navigation():
            tab.locator("[data-walk-submit]").click()
        auditor.settle(tab)  # the check moves the focus: after axe has looked at the page
        found = tab.evaluate(FORMS, ["check", title])
        if found is not None:
            summaries += 1
            problems += [f"{url} form {index + 1}, sent empty: {problem}" for problem in found]
    return summaries, problems


@pytest.fixture
def contexts(
    browser: object, live_server: LiveServer, csp_violations: list[str], auditor: Auditor
) -> Iterator[Any]:
    """Makes browser contexts of one size; closes them and fails on findings at the end."""
    made: list[BrowserContext] = []

    def make(size: str) -> BrowserContext:
        context = watched_context(browser, live_server, csp_violations, auditor, **SIZES[size])
        assert isinstance(context, BrowserContext)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()
    fail_on_findings(csp_violations, auditor)


@pytest.mark.parametrize("size", SIZES)
def test_every_page_and_form_in_every_language(
    app: Flask, site: Site, contexts: Any, auditor: Auditor, size: str
) -> None:
    walk = pages(site, app)
    users = sorted({page.user for page in walk if page.user})
    problems: list[str] = []
    for language in app.config["LANGUAGES"]:
        tabs: dict[str | None, Page] = {}
        for user in [None, *users]:
            tabs[user] = contexts(size).new_page()
            if user:
                _sign_in(tabs[user], user)
        summaries = 0
        for page in walk:
            tab = tabs[page.user]
            response = tab.goto(_with_language(page.url, language))
            assert response is not None
            assert response.status == page.status, page.url
            assert tab.locator("html").get_attribute("lang") == language, (
                f"{page.url} is not in {language}: the walk asks for a language with ?lang=; "
                "a page that takes it from elsewhere (an account's preference) needs the walk "
                "to set that too"
            )
            if size == "phone" and _sideways_scroll(tab) > 0:
                problems.append(f"{tab.url}: {_sideways_scroll(tab)} px wider than the screen")
            problems += duplicate_ids(tab)
            auditor.settle(tab)  # the focus moves below: after axe has looked at the page
            if language == app.config["LANGUAGES"][0]:  # styles, the same in every language
                problems += border_problems(tab) + focus_indicator_problems(tab)
            sent_back, wrong = _forms_with_mistakes(tab, auditor, _error_title(app, language))
            summaries += sent_back
            problems += wrong
        import_preview(tabs[ORGANISER], site)
        for tab in tabs.values():
            auditor.finish(tab)
        assert summaries >= 15, f"only {summaries} forms came back with mistakes ({language})"
    assert not problems, "\n".join(problems)
    assert auditor.checked >= len(walk) * len(app.config["LANGUAGES"])
