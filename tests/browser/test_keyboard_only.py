"""Three tasks done with a keyboard alone, asserting where the focus goes and what a screen
reader hears, not only that the task got done: registering with mistakes in the form, a
focal point approving a delegate, and checking someone in by name at the door."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from registration.accounts.models import User
from registration.attendance.models import AttendanceRecord
from registration.database import db
from registration.signup.models import (
    AttendanceMode,
    FocalPoint,
    Registration,
    RegistrationStatus,
)
from tests.attendance_support import add_registration, payload_of
from tests.browser.keyboard import expect_announced, press_and_load, tab_to
from tests.conftest import PASSWORD
from tests.signup_support import member_id, open_registration

pytestmark = pytest.mark.usefixtures("members")

SLUG = "ttf9"
TITLE = "Ninth Meeting of the CICA Think Tank Forum"
PANEL = "Realistic security challenges"
MEMBER = "Represented member state or organisation"


@pytest.fixture
def conference(
    app: Flask, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> int:
    """A published hybrid conference, registration open, one panel."""
    conference_id = make_conference(slug=SLUG, title=TITLE)
    make_panel(conference_id, title=PANEL)
    open_registration(app, conference_id)
    return conference_id


def _sign_in_by_keyboard(page: Page, email: str) -> None:
    page.goto("/account/login")
    tab_to(page, page.get_by_label("E-mail"))
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    press_and_load(page)
    expect(page).not_to_have_url(re.compile("/account/login"))


def test_registering_with_mistakes_by_keyboard_alone(
    app: Flask, page: Page, conference: int
) -> None:
    page.goto(f"/conferences/{SLUG}/register")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    tab_to(page, page.get_by_label("Full name"))
    page.keyboard.type("Dana Sarsenova")
    page.keyboard.press("Tab")
    page.keyboard.type("dana.sarsenova@")
    tab_to(page, page.get_by_role("button", name="Register"))
    press_and_load(page)

    # Back with mistakes: the summary has the focus, so a screen reader reads it first.
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Register · "))
    expect(summary.get_by_role("heading")).to_have_text("Please correct the fields marked below.")
    email_error = "Enter a valid e-mail address, like name@example.org."
    member_error = "Choose the member state or organisation you represent."
    mode_error = "Choose how you will attend."
    expect(summary.get_by_role("link")).to_have_text(
        [
            f"E-mail: {email_error}",
            "Institution: Enter your institution.",
            f"{MEMBER}: {member_error}",
            f"Attendance: {mode_error}",
        ]
    )
    # Each field says what is wrong with it when it gets the focus; groups too.
    expect(page.get_by_label("E-mail")).to_have_accessible_description(email_error)
    expect(page.get_by_label(MEMBER)).to_have_accessible_description(member_error)
    expect(page.get_by_role("group", name="Attendance")).to_have_accessible_description(mode_error)
    expect(page.get_by_role("radio", name="In person")).to_have_accessible_description(mode_error)
    expect(page.get_by_label("Full name")).to_have_value("Dana Sarsenova")

    # The summary's first link takes the keyboard to the field.
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("E-mail")).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("dana.sarsenova@kisi.example")
    tab_to(page, page.get_by_label("Institution", exact=True))
    page.keyboard.type("Kazakhstan Institute for Strategic Studies")
    tab_to(page, page.get_by_label("Filter the list of members"))
    page.keyboard.type("Atlantis")
    expect_announced(page, "Nothing matches.")
    expect(page.get_by_label(MEMBER)).to_have_value("")  # nothing chosen behind their back
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Kazakh")
    expect_announced(page, "Chosen: 🇰🇿 Kazakhstan (KAZ) (1 matching)")
    expect(page.get_by_label(MEMBER)).to_have_value(str(member_id(app, "KAZ")))
    tab_to(page, page.get_by_role("radio", name="In person"))
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name="In person")).to_be_checked()
    tab_to(page, page.get_by_label(PANEL))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Register"))
    press_and_load(page)

    # A new page: its title, the first thing a screen reader says, tells the outcome.
    expect(page).to_have_title(re.compile(r"^Registration received · "))
    expect(page.get_by_role("heading", name="Thank you, Dana Sarsenova")).to_be_visible()
    with app.app_context():
        registration = db.session.scalar(db.select(Registration))
        assert registration is not None
        assert registration.member.code == "KAZ"
        assert registration.mode is AttendanceMode.IN_PERSON
        assert [p.title for p in registration.panels] == [PANEL]


def test_a_focal_point_approves_a_delegate_by_keyboard_alone(
    app: Flask, page: Page, conference: int, make_organizer: Callable[..., User]
) -> None:
    delegate = add_registration(app, conference, "Yerlan Karin", status=RegistrationStatus.PENDING)
    focal_point = make_organizer("focal@mfa.kz.example", organizer=False)
    with app.app_context():
        db.session.add(
            FocalPoint(
                user_id=focal_point.id, conference_id=conference, member_id=member_id(app, "KAZ")
            )
        )
        db.session.commit()

    _sign_in_by_keyboard(page, focal_point.email)
    expect(page.get_by_role("heading", name="Your delegations")).to_be_visible()
    tab_to(page, page.get_by_role("link", name=TITLE))
    press_and_load(page)
    row = page.locator(f"#registration-{delegate}")
    tab_to(page, row.get_by_role("link", name="Review"))
    press_and_load(page)
    expect(page.get_by_role("heading", name="Review: Yerlan Karin")).to_be_visible()

    # Sent without a decision: the summary has the focus and leads to the choice.
    tab_to(page, page.get_by_role("button", name="Send decision"))
    press_and_load(page)
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(["Decision: Choose approve or reject."])
    expect(page.get_by_role("group", name="Decision")).to_have_accessible_description(
        "Choose approve or reject."
    )
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    approve = page.get_by_role("radio", name="Approve")
    expect(approve).to_be_focused()
    page.keyboard.press("Space")
    expect(approve).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Send decision"))
    press_and_load(page)

    # Back on the list: what happened has the focus, and the row says so.
    notices = page.locator("#notices")
    expect(notices).to_be_focused()
    expect(notices.get_by_role("status")).to_have_text("Yerlan Karin: approved.")
    expect(row).to_have_attribute("data-status", "approved")


def test_a_check_in_by_name_search_by_keyboard_alone(
    app: Flask, page: Page, conference: int, make_organizer: Callable[..., User]
) -> None:
    li_wei = add_registration(app, conference, "Li Wei", member="CHN")
    aigerim = add_registration(app, conference, "Aigerim Nurlanovna", member="KAZ")
    _sign_in_by_keyboard(page, make_organizer().email)
    page.goto(f"/manage/conferences/{SLUG}/checkin")

    tab_to(page, page.get_by_label("Search by name"))
    page.keyboard.type("li wei")
    page.keyboard.press("Enter")
    expect_announced(page, "1 person found.")

    check_in = page.get_by_role("button", name="Check in Li Wei")
    tab_to(page, check_in)
    page.keyboard.press("Enter")
    checked_in = "Li Wei checked in: Day 28 December 2030."
    expect_announced(page, checked_in)
    expect(check_in).to_be_focused()  # not dropped to the page body
    expect(page.locator("#checkin-results li")).to_contain_text("Li Wei — China (checked in)")
    assert _records(app) == [li_wei]

    # Undo in the log: the line that was undone takes the focus and says so.
    line = page.locator("#checkin-log li").first
    tab_to(page, line.get_by_role("button", name="Undo"))
    page.keyboard.press("Enter")
    expect(line).to_be_focused()
    expect(line).to_contain_text("Li Wei (China) — undone")
    expect(page.locator("#checkin-message")).to_have_text("Check-in of Li Wei undone.")
    assert _records(app) == []

    # Again, and Undo under the outcome: the outcome box takes the focus.
    tab_to(page, check_in, backwards=True)
    page.keyboard.press("Enter")
    expect_announced(page, checked_in, times=2)  # the same words, announced again
    tab_to(page, page.locator("#checkin-undo"), backwards=True)
    page.keyboard.press("Enter")
    outcome = page.locator("#checkin-outcome")
    expect(outcome).to_be_focused()
    expect(outcome).to_have_accessible_name("Check-in of Li Wei undone.")
    assert _records(app) == []

    # A typed badge code: the field is ready for the next badge.
    code = page.get_by_label("Badge code")
    tab_to(page, code)
    page.keyboard.type(payload_of(app, aigerim))
    page.keyboard.press("Enter")
    expect_announced(page, "Aigerim Nurlanovna checked in: Day 28 December 2030.")
    expect(code).to_be_focused()
    expect(code).to_have_value("")
    assert _records(app) == [aigerim]


def test_check_in_refusals_and_searches_are_heard_by_keyboard_alone(
    app: Flask, page: Page, conference: int, make_organizer: Callable[..., User]
) -> None:
    """What the door hears besides a plain check-in: nobody found, several found, a refusal
    and a warning; the focus stays where the next key press is wanted."""
    add_registration(app, conference, "Aigerim Nurlanovna")
    add_registration(app, conference, "Aigerim Bekova")
    add_registration(app, conference, "Rustam Karimov", status=RegistrationStatus.WITHDRAWN)
    pending = add_registration(app, conference, "Ayesha Rahman", status=RegistrationStatus.PENDING)
    _sign_in_by_keyboard(page, make_organizer().email)
    page.goto(f"/manage/conferences/{SLUG}/checkin")
    search = page.get_by_label("Search by name")

    tab_to(page, search)
    page.keyboard.type("nobody like this")
    page.keyboard.press("Enter")
    expect_announced(page, "Nobody found.")
    expect(search).to_be_focused()  # ready to type another name

    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("aigerim")
    page.keyboard.press("Enter")
    expect_announced(page, "People found: 2.")
    expect(search).to_be_focused()
    for name in ("Aigerim Nurlanovna", "Aigerim Bekova"):
        expect(page.get_by_role("button", name=f"Check in {name}")).to_be_visible()

    # A withdrawn registration: the refusal is said at once, nothing to undo, focus kept.
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("rustam")
    page.keyboard.press("Enter")
    expect_announced(page, "1 person found.")
    refused = page.get_by_role("button", name="Check in Rustam Karimov")
    tab_to(page, refused)
    page.keyboard.press("Enter")
    expect_announced(page, "Rustam Karimov: registration withdrawn — do not admit.")
    expect(refused).to_be_focused()
    expect(page.locator("#checkin-outcome")).to_have_attribute("data-status", "refused")
    expect(page.locator("#checkin-undo")).to_be_hidden()
    assert _records(app) == []

    # A pending one is admitted with a warning, said together with the check-in.
    tab_to(page, search, backwards=True)
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("ayesha")
    page.keyboard.press("Enter")
    expect_announced(page, "1 person found.", times=2)
    admitted = page.get_by_role("button", name="Check in Ayesha Rahman")
    tab_to(page, admitted)
    page.keyboard.press("Enter")
    expect_announced(
        page,
        "Ayesha Rahman checked in: Day 28 December 2030. Registration is pending, not approved.",
    )
    expect(admitted).to_be_focused()
    assert _records(app) == [pending]


def _records(app: Flask) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                db.select(AttendanceRecord.registration_id).order_by(AttendanceRecord.id)
            )
        )
