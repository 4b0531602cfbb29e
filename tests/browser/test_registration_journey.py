"""Issue 3's journey in a real browser, with the mail read from a real SMTP server.

A new person registers, confirms the mailed link, switches to online and withdraws; the
Kazakh focal point approves a delegate, who gets the approval with the PNG badge; an
organiser filters the list by member state and downloads it as CSV.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from registration.accounts.models import User
from registration.database import db
from registration.signup.models import FocalPoint, Registration
from tests.conftest import PASSWORD
from tests.mail_support import TestMailbox, wait_for
from tests.signup_support import body, form_data, link_in, member_id, open_registration

pytestmark = pytest.mark.usefixtures("members", "celery_worker")

SLUG = "ttf-journey"
TITLE = "Ninth Meeting of the CICA Think Tank Forum"
SECURITY = "Realistic security challenges"
DIGITAL = "Security cooperation in the digital era"
NEWCOMER = "dana.sarsenova@kisi.example"
DELEGATE = "yerlan.karin@mfa.kz.example"
FOCAL_POINT = "focal@mfa.kz.example"


@dataclass(frozen=True)
class Journey:
    """The published hybrid conference and the ids the steps need."""

    conference: int
    kaz: int


@pytest.fixture
def journey(
    app: Flask, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> Journey:
    """Open registration with two panels, a pending Kazakh delegate and a Chinese registrant."""
    conference = make_conference(slug=SLUG, title=TITLE)
    make_panel(conference, title=SECURITY)
    make_panel(conference, title=DIGITAL, room="Hall B")
    open_registration(app, conference)
    kaz = member_id(app, "KAZ")
    client = app.test_client()
    for data in (
        form_data(kaz, name="Yerlan Karin", email=DELEGATE),
        form_data(member_id(app, "CHN"), name="Li Wei", email="li.wei@siis.example"),
    ):
        response = client.post(f"/conferences/{SLUG}/register", data=data)
        assert response.status_code == 302, response.text
    return Journey(conference, kaz)


def _mail_to(mailbox: TestMailbox, address: str, subject: str) -> EmailMessage:
    """The message with this subject once it has reached the SMTP server."""

    def arrived() -> list[EmailMessage]:
        # Python folds a long Subject right after the colon; a mail client shows it trimmed.
        return [
            m
            for m in mailbox.parsed()
            if m["To"] == address and str(m["Subject"]).strip() == subject
        ]

    try:
        found = wait_for(arrived, what=f"'{subject}' to {address}")
    except AssertionError as error:
        seen = [(str(m["To"]), str(m["Subject"])) for m in mailbox.parsed()]
        raise AssertionError(f"{error}; the server has {seen}") from None
    assert len(found) == 1
    return found[0]


def _sign_in(page: Page, email: str) -> None:
    page.goto("/account/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _register_confirm_switch_and_withdraw(
    page: Page, mailbox: TestMailbox, journey: Journey
) -> None:
    page.goto(f"/conferences/{SLUG}/register")
    page.get_by_label("Full name").fill("Dana Sarsenova")
    page.get_by_label("E-mail").fill(NEWCOMER)
    page.get_by_label("Title or position").fill("Senior Research Fellow")
    page.get_by_label("Institution", exact=True).fill("Kazakhstan Institute for Strategic Studies")
    page.get_by_label("Filter the list of members").fill("Kazakh")
    expect(page.get_by_label("Represented member state or organisation")).to_have_value(
        str(journey.kaz)
    )
    page.get_by_role("radio", name="In person").check()
    page.get_by_label(SECURITY).check()
    page.get_by_label(DIGITAL).check()
    page.get_by_label("Show my name, position and institution").check()
    page.get_by_role("button", name="Register").click()

    expect(page.get_by_role("heading", name="Thank you, Dana Sarsenova")).to_be_visible()
    expect(page.locator("#registration-status")).to_contain_text("awaits approval")
    expect(page.get_by_text(NEWCOMER)).to_be_visible()

    confirmation = _mail_to(mailbox, NEWCOMER, f"Confirm your registration for {TITLE}")
    page.goto(link_in(confirmation))
    expect(page.get_by_text("Thank you: your e-mail address is confirmed.")).to_be_visible()
    summary = page.locator("#registration-summary")
    expect(summary).to_contain_text(f"{NEWCOMER} (confirmed)")
    expect(page.locator("#summary-mode")).to_have_text("In person")
    expect(page.locator("#summary-panels")).to_have_text(f"{SECURITY}; {DIGITAL}")

    page.get_by_role("radio", name="Online").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Your registration is updated.")).to_be_visible()
    expect(page.locator("#summary-mode")).to_have_text("Online")
    expect(page.get_by_role("radio", name="Online")).to_be_checked()

    page.get_by_role("button", name="Withdraw my registration").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.get_by_label("Yes, withdraw my registration")).to_have_accessible_description(
        "Tick the box to confirm the withdrawal."
    )
    expect(summary).to_contain_text("Pending")
    page.get_by_label("Yes, withdraw my registration").check()
    page.get_by_role("button", name="Withdraw my registration").click()
    expect(page.get_by_text("Your registration is withdrawn.")).to_be_visible()
    expect(summary).to_contain_text("You have withdrawn this registration.")
    expect(page.get_by_role("button", name="Save changes")).to_have_count(0)
    expect(page.get_by_role("button", name="Withdraw my registration")).to_have_count(0)
    withdrawn = _mail_to(mailbox, NEWCOMER, f"Your registration for {TITLE} is withdrawn")
    assert not list(withdrawn.iter_attachments())


def _focal_point_approves_the_delegate(
    app: Flask, page: Page, mailbox: TestMailbox, journey: Journey, focal_point: User
) -> None:
    with app.app_context():
        db.session.add(
            FocalPoint(
                user_id=focal_point.id, conference_id=journey.conference, member_id=journey.kaz
            )
        )
        db.session.commit()
        delegate_id = db.session.scalar(db.select(Registration.id).filter_by(email=DELEGATE))

    _sign_in(page, FOCAL_POINT)
    expect(page.get_by_role("heading", name="Your delegations")).to_be_visible()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=f"Kazakhstan: {TITLE}")).to_be_visible()
    rows = page.locator("#registrations-table tbody tr")
    expect(rows).to_have_count(2)  # the delegate and the withdrawn newcomer; not Li Wei
    delegate_row = page.locator(f"#registration-{delegate_id}")
    expect(delegate_row).to_contain_text("Pending")
    delegate_row.get_by_role("link", name="Review").click()

    expect(page.get_by_role("heading", name="Review: Yerlan Karin")).to_be_visible()
    page.get_by_role("radio", name="Approve").check()
    page.get_by_role("button", name="Send decision").click()
    expect(page.get_by_text("Yerlan Karin: approved.")).to_be_visible()
    expect(delegate_row).to_have_attribute("data-status", "approved")
    expect(delegate_row.locator(".badge")).to_have_text("Approved")

    approval = _mail_to(mailbox, DELEGATE, f"Your registration for {TITLE} is approved")
    text = body(approval)
    assert "(in person) is approved" in text
    assert "Your badge is attached" in text
    (badge,) = approval.iter_attachments()
    assert badge.get_content_type() == "image/png"
    assert badge.get_filename() == f"badge-{SLUG}-{delegate_id}.png"
    assert badge.get_content().startswith(b"\x89PNG\r\n\x1a\n")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()


def _organiser_filters_and_exports(page: Page, organiser: User) -> list[dict[str, str]]:
    _sign_in(page, organiser.email)
    expect(page).to_have_url("/manage/")
    page.goto(f"/manage/conferences/{SLUG}/registrations")
    expect(page.get_by_role("heading", name="3 registrations")).to_be_visible()
    page.locator("#filter-member").select_option(label="Kazakhstan")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("heading", name="2 registrations")).to_be_visible()
    expect(page.locator("#registrations-table")).not_to_contain_text("Li Wei")

    with page.expect_download() as started:
        page.get_by_role("link", name="Export CSV").click()
    download = started.value
    assert download.suggested_filename == f"{SLUG}-registrations.csv"
    with open(download.path(), encoding="utf-8-sig", newline="") as exported:
        return list(csv.DictReader(exported))


def test_register_confirm_switch_withdraw_approve_and_export(
    app: Flask,
    page: Page,
    mailbox: TestMailbox,
    journey: Journey,
    make_organizer: Callable[..., User],
) -> None:
    _register_confirm_switch_and_withdraw(page, mailbox, journey)
    focal_point = make_organizer(FOCAL_POINT, organizer=False)
    _focal_point_approves_the_delegate(app, page, mailbox, journey, focal_point)
    rows = _organiser_filters_and_exports(page, make_organizer())

    columns = ("Name", "E-mail", "Member code", "Mode", "Panels", "Status", "E-mail confirmed")
    assert [tuple(row[c] for c in columns) for row in rows] == [
        ("Yerlan Karin", DELEGATE, "KAZ", "In person", "", "Approved", "no"),
        (
            "Dana Sarsenova",
            NEWCOMER,
            "KAZ",
            "Online",
            f"{SECURITY}; {DIGITAL}",
            "Withdrawn",
            "yes",
        ),
    ]
