"""Bulk approval in a real browser: an organiser ticks every registration with the keyboard,
leaves one out, approves; the page follows the job and says who could not be approved and
why, and a polite live region tells a screen-reader user the counts (not every line). The
list and the progress page pass axe on a desktop and on a 320 px wide phone."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page, expect

from registration.accounts.models import User
from registration.database import db
from registration.jobs import services as jobs
from registration.jobs.models import Job
from registration.signup.bulk import BULK
from registration.signup.models import RegistrationStatus
from tests.attendance_support import add_registration
from tests.browser.announcements import announcements
from tests.browser.axe import Auditor
from tests.browser.conftest import LiveServer, watched_context
from tests.browser.keyboard import expect_announced, tab_to
from tests.conftest import PASSWORD
from tests.signup_support import open_registration

pytestmark = pytest.mark.usefixtures("members")
SLUG = "ttf-bulk"
LIST = f"/manage/conferences/{SLUG}/registrations"
SMALL_PHONE = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}


def _sign_in(page: Page, email: str) -> None:
    page.goto("/account/login")
    page.get_by_role("textbox", name="E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url("/account/login")


def _run_the_job(app: Flask) -> None:
    """What the worker does, in a thread while the page polls."""

    def run() -> None:
        with app.app_context():
            job_id = db.session.scalars(db.select(Job.id).filter_by(kind=BULK)).one()
            jobs.run(job_id)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=30)


def _sideways_scroll(page: Page) -> int:
    return int(
        page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    )


def test_approve_several_with_the_keyboard_and_read_who_could_not_be_approved(
    app: Flask,
    page: Page,
    browser: object,
    live_server: LiveServer,
    csp_violations: list[str],
    auditor: Auditor,
    make_conference: Callable[..., int],
    make_organizer: Callable[..., User],
) -> None:
    conference = make_conference(slug=SLUG)
    open_registration(app, conference)
    for name, status in (
        ("Aigerim Nurlanovna", RegistrationStatus.PENDING),
        ("Li Wei", RegistrationStatus.PENDING),
        ("Anna Ivanova", RegistrationStatus.PENDING),
        ("Omar Haddad", RegistrationStatus.WAITLISTED),
    ):
        add_registration(app, conference, name, status=status)
    organiser = make_organizer()
    _sign_in(page, organiser.email)
    page.goto(LIST)

    select_all = page.get_by_label("Select all registrations shown")
    tab_to(page, select_all)
    page.keyboard.press("Space")
    rows = page.locator('input[type=checkbox][name="registration"]')
    expect(rows).to_have_count(4)
    for index in range(4):
        expect(rows.nth(index)).to_be_checked()
    page.get_by_label("Select Li Wei").uncheck()
    assert select_all.evaluate("box => box.indeterminate")
    page.get_by_label("Approve", exact=True).check()
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(rf"{LIST}/bulk/"))
    expect(page.get_by_role("status")).to_have_text(re.compile("Working in the background"))

    _run_the_job(app)
    outcomes = page.locator("#bulk-outcomes")
    expect(outcomes).to_contain_text("2 approved.")
    expect(outcomes).to_contain_text(
        "1 could not be approved: Only pending registrations can be approved; this one is "
        "waitlisted. (Omar Haddad)"
    )
    expect(page.get_by_role("status")).to_have_text("Finished.")
    expect_announced(page, "2 approved, 1 could not be approved.")
    said = announcements(page)
    assert not any("Omar Haddad" in text for text in said), "counts, not every outcome line"
    result = page.url

    context = watched_context(browser, live_server, csp_violations, auditor, **SMALL_PHONE)
    assert isinstance(context, BrowserContext)
    phone = context.new_page()
    _sign_in(phone, organiser.email)
    for url in (LIST, result):
        phone.goto(url)
        assert _sideways_scroll(phone) <= 0, f"{url} scrolls sideways at 320 px"
    phone.goto(LIST)
    phone.get_by_role("button", name="Apply").click()
    expect(phone).to_have_title(re.compile("^Error: "))
    expect(phone.locator("#bulk-form .error").first).to_be_visible()
    auditor.finish(phone)
    context.close()
