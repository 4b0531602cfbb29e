"""An organiser sets up a conference in a real browser and the public sees it."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from registration.accounts.models import User
from tests.conftest import PASSWORD


def _sign_in(page: Page, email: str) -> None:
    page.goto("/account/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url("/manage/")


def _add_panel(page: Page, title: str, starts: str, ends: str) -> None:
    page.get_by_role("link", name="Add a panel").click()
    page.get_by_label("Title in English").fill(title)
    page.get_by_label("Day").fill("2031-12-28")
    page.get_by_label("Starts (local time)").fill(starts)
    page.get_by_label("Ends (local time)").fill(ends)
    page.get_by_label("Room in English").fill("Hall A")
    page.get_by_label("Speakers (one per line: Name — Position, Institution)").fill(
        "Kairat Sarybay — Executive Director, CICA Secretariat"
    )
    page.get_by_role("button", name="Add panel").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def test_organiser_creates_and_publishes_a_conference_with_two_panels(
    page: Page, make_organizer: Callable[..., User]
) -> None:
    _sign_in(page, make_organizer().email)
    page.get_by_role("link", name="New conference").click()
    page.get_by_label("Title in English").fill("Tenth Meeting of the CICA Think Tank Forum")
    page.get_by_label("Theme in English").fill("Trust in Asia")
    page.get_by_label("Host institution in English").fill(
        "Shanghai Institutes for International Studies"
    )
    page.get_by_label("Format").select_option("hybrid")
    page.get_by_label("Venue in English").fill("SIIS, 845-1 Julu Road")
    page.get_by_label("City in English").fill("Shanghai")
    page.get_by_label("Time zone").fill("Asia/Shanghai")
    page.get_by_label("Starts").first.fill("2031-12-28T09:00")
    page.get_by_label("Ends").first.fill("2031-12-29T17:00")
    page.get_by_role("button", name="Create draft").click()

    _add_panel(page, "Realistic security challenges", "09:30", "11:00")
    _add_panel(page, "Security cooperation in the digital era", "11:30", "13:00")

    page.get_by_role("link", name="Publish…").click()
    page.get_by_role("button", name="Publish").click()

    page.goto("/")
    page.get_by_role("link", name="Tenth Meeting of the CICA Think Tank Forum").click()
    expect(page.get_by_text("Realistic security challenges")).to_be_visible()
    expect(page.get_by_text("Security cooperation in the digital era")).to_be_visible()
    expect(page.get_by_text("Shanghai Institutes for International Studies").first).to_be_visible()
    expect(page.get_by_text("09:30").first).to_be_visible()


def test_rejected_conference_form_keeps_what_was_typed(
    page: Page, make_organizer: Callable[..., User]
) -> None:
    _sign_in(page, make_organizer().email)
    page.goto("/manage/conferences/new")
    page.get_by_label("Title in English").fill("Regional security in Asia")
    page.get_by_label("Format").select_option("online")
    page.get_by_label("Time zone").fill("Asia/Nowhere")
    page.get_by_label("Starts").first.fill("2031-07-14T10:00")
    page.get_by_label("Ends").first.fill("2031-07-14T09:00")
    page.get_by_role("button", name="Create draft").click()

    expect(page.get_by_label("Title in English")).to_have_value("Regional security in Asia")
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Nowhere")
    expect(page.get_by_label("Starts").first).to_have_value("2031-07-14T10:00")
    error = "Unknown time zone: choose an IANA name"
    expect(page.locator("#timezone-error")).to_contain_text(error)
    expect(page.get_by_label("Time zone")).to_have_accessible_description(
        re.compile("An IANA name such as .* Unknown time zone: choose an IANA name")
    )
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Time zone: Unknown time zone")).to_have_attribute(
        "href", "#timezone"
    )
