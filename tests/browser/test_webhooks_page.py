"""An organiser subscribes a program to events in a real browser: a private address is
refused next to the field, the receiver's URL is accepted and the secret shown once, then
the subscription's page and its secret; axe-core checks every page on the way. A delivery
made afterwards shows in the log."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from registration.accounts.models import User
from registration.database import db
from registration.jobs.events import announce
from tests.conftest import PASSWORD
from tests.mail_support import wait_for
from tests.webhook_support import Receiver

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("celery_worker")]


def test_an_organiser_subscribes_and_reads_the_delivery_log(
    app: Flask,
    page: Page,
    receiver: Receiver,
    make_organizer: Callable[..., User],
    make_conference: Callable[..., int],
) -> None:
    conference_id = make_conference(slug="ttf-9")
    user = make_organizer()
    page.goto("/account/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/account/tokens/")
    page.locator("#webhooks-link").click()
    expect(page.get_by_role("heading", name="Webhooks", exact=True)).to_be_visible()

    page.get_by_label("Receiver URL").fill("http://192.168.1.20/hooks")
    page.get_by_label("Registration approved").check()
    page.get_by_role("button", name="Subscribe").click()
    error = page.locator("#url-error")
    expect(error).to_contain_text("private or local network")
    expect(page.get_by_label("Receiver URL")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Receiver URL")).to_have_value("http://192.168.1.20/hooks")
    expect(page.get_by_label("Registration approved")).to_be_checked()

    page.get_by_label("Receiver URL").fill(receiver.url)
    page.get_by_label("Conference", exact=True).select_option(str(conference_id))
    page.get_by_role("button", name="Subscribe").click()
    secret = page.locator("#new-secret")
    expect(secret).to_have_value(re.compile(r"^whsec_"))
    shown_once = secret.input_value()

    with app.app_context():
        announce("registration.approved", conference_id=conference_id, registration={"id": 1})
        db.session.commit()
    wait_for(lambda: receiver.count == 1, what="the delivery")
    page.get_by_role("link", name="The subscription and its delivery log").click()
    expect(page.get_by_role("heading", name="Webhook subscription")).to_be_visible()
    expect(page.locator("#deliveries-table")).to_contain_text("Registration approved")
    page.get_by_role("button", name="Show the signing secret").click()
    expect(page.locator("#secret")).to_have_value(shown_once)
