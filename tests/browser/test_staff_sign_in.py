"""Staff in a real browser: an organiser invites a door volunteer, who chooses a password,
checks people in and finds no exports; two-factor enrolment and sign-in; single sign-on
through the local OpenID Connect provider."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator

import pyotp
import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from registration.accounts.models import User
from registration.staff.roles import Role
from tests.attendance_support import add_registration
from tests.conftest import PASSWORD
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider, oidc_provider
from tests.signup_support import link_in, mails
from tests.staff_support import make_staff

pytestmark = pytest.mark.usefixtures("members")
VOLUNTEER_PASSWORD = "tea at the registration desk"


def _sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/account/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_a_door_volunteer_is_invited_checks_people_in_and_sees_no_exports(
    app: Flask, page: Page, make_conference: Callable[..., int]
) -> None:
    conference = make_conference(slug="ttf-9")
    add_registration(app, conference, "Li Wei", member="CHN")
    make_staff(app, "officer@cica.example", Role.ORGANISER, conference)
    _sign_in(page, "officer@cica.example")
    page.goto("/manage/conferences/ttf-9")
    page.get_by_role("link", name="Staff", exact=True).click()
    page.get_by_label("Account e-mail").fill("door@cica.example")
    page.get_by_label("Name (for a new account)").fill("Door Volunteer")
    page.get_by_label("Role", exact=True).select_option("check_in")
    page.get_by_role("button", name="Grant role").click()
    expect(page.get_by_text("door@cica.example is now check-in staff.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    page.goto(link_in(mails(app, "door@cica.example")[0]))
    page.get_by_label("New password").fill(VOLUNTEER_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    _sign_in(page, "door@cica.example", VOLUNTEER_PASSWORD)
    expect(page).to_have_url("/manage/")
    page.get_by_role("link", name="Ninth Meeting of the CICA Think Tank Forum").click()
    expect(page.get_by_role("heading", name="Check-in")).to_be_visible()
    page.wait_for_load_state("load")  # the name search is the page's script's: wait for it
    page.get_by_label("Search by name").fill("li wei")
    page.locator("#checkin-search-submit").click()
    page.locator("#checkin-results button").first.click()
    expect(page.locator("#checkin-outcome")).to_have_attribute("data-status", "checked_in")

    page.get_by_role("link", name="Attendance", exact=True).click()
    expect(page.get_by_role("heading", name="Exports")).to_have_count(0)
    expect(page.get_by_role("link", name="Participants")).to_have_count(0)
    response = page.goto("/manage/conferences/ttf-9/registrations.csv")
    assert response is not None
    assert response.status == 403


def _current_code(secret: str) -> str:
    totp = pyotp.TOTP(secret)
    return totp.at(time.time() + totp.interval)  # the next step's: never the one just used


def test_two_factor_enrolment_then_sign_in_with_the_apps_code(
    page: Page, make_organizer: Callable[..., User]
) -> None:
    user = make_organizer()
    _sign_in(page, user.email)
    page.get_by_role("link", name="Your account").click()
    page.locator("#two-factor-link").click()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("Six-digit code from your authenticator app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, user.email)
    expect(page.get_by_role("heading", name="Sign in: second step")).to_be_visible()
    page.get_by_label("Code from your authenticator app, or a recovery code").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#code-error")).to_contain_text("not right")
    field = page.get_by_label("Code from your authenticator app, or a recovery code")
    field.fill(_current_code(secret))
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url("/manage/")


@pytest.fixture
def provider(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Provider]:
    with oidc_provider() as running:
        monkeypatch.setitem(app.config, "OIDC_ISSUER", running.issuer)
        monkeypatch.setitem(app.config, "OIDC_CLIENT_ID", CLIENT_ID)
        monkeypatch.setitem(app.config, "OIDC_CLIENT_SECRET", CLIENT_SECRET)
        yield running


def test_single_sign_on_through_the_local_provider(
    page: Page, provider: Provider, make_organizer: Callable[..., User]
) -> None:
    make_organizer()
    provider.person = {"email": "organizer@cica.example", "email_verified": True}
    page.goto("/account/login")
    page.get_by_role("link", name="Sign in with the Secretariat's account").click()
    expect(page).to_have_url(re.compile(r"/manage/$"))
    expect(page.get_by_role("heading", name="Conferences")).to_be_visible()
