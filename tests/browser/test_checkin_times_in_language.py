"""The check-in page's log says each time in the page's language and the conference's zone,
24-hour as the server writes times, whatever the browser's own language and zone (issue 13)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from registration.accounts.models import User
from tests.attendance_support import payload_of
from tests.browser.conftest import PHONE, LiveServer, guarded_page
from tests.browser.test_checkin_phone import Desk, desk, open_checkin  # noqa: F401

pytestmark = pytest.mark.usefixtures("members")


@pytest.fixture
def american_phone(
    browser: Browser, live_server: LiveServer, csp_violations: list[str], auditor: object
) -> Iterator[Page]:
    """A phone set to American English and UTC (the conference is in Asia/Shanghai)."""
    yield from guarded_page(
        browser, live_server, csp_violations, auditor, locale="en-US", timezone_id="UTC", **PHONE
    )


def _shanghai_clock(instant: datetime) -> str:
    return instant.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%H:%M")


def test_the_log_time_follows_the_kazakh_page_and_the_conference_zone(
    app: Flask,
    american_phone: Page,
    make_organizer: Callable[..., User],
    desk: Desk,  # noqa: F811
) -> None:
    page = open_checkin(american_phone, make_organizer().email)
    page.goto("/manage/conferences/ttf-9/checkin?lang=kk")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    assert page.evaluate("() => navigator.language") == "en-US"
    before = datetime.now(UTC)
    page.locator("#checkin-code").fill(payload_of(app, desk.aigerim))  # labels in Kazakh
    page.locator("#checkin-code-submit").click()
    entry = page.locator("#checkin-log li[data-client-id] span").first
    expect(entry).to_contain_text("Aigerim Nurlanovna (Қазақстан)")  # the state in Kazakh too
    after = datetime.now(UTC)
    shown = entry.inner_text()
    # "14:05 Aigerim ...": 24-hour in Shanghai's time, not "6:05 AM" in the browser's UTC.
    assert re.fullmatch(r"\d\d:\d\d Aigerim Nurlanovna \(Қазақстан\)", shown), shown
    clocks = {_shanghai_clock(before), _shanghai_clock(after + timedelta(seconds=1))}
    assert shown[:5] in clocks, (shown, clocks)
