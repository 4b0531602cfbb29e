"""An organiser signs in, sees the management dashboard and signs out, in a real browser."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from registration.accounts.models import User
from tests.conftest import PASSWORD


def _sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/account/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_organiser_signs_in_sees_dashboard_and_signs_out(
    page: Page, make_organizer: Callable[..., User]
) -> None:
    user = make_organizer()
    page.goto("/")
    page.get_by_role("link", name="Sign in").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    _sign_in(page, user.email, PASSWORD)
    expect(page).to_have_url("/manage/")
    expect(page.get_by_role("heading", name="Conferences")).to_be_visible()
    expect(page.get_by_role("link", name="Manage")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    page.goto("/manage/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_rejected_login_keeps_the_typed_email(
    page: Page, make_organizer: Callable[..., User]
) -> None:
    user = make_organizer()
    _sign_in(page, user.email, "not the right password")
    expect(page.locator("#password-error")).to_have_text("The e-mail or password is not right.")
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.get_by_label("E-mail")).to_have_value(user.email)
    expect(page.get_by_label("Password")).to_have_value("")
