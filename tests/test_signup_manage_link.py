"""The mailed link: confirms the address, shows the registration, allows changes and withdrawal."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.database import db
from registration.signup.models import Registration, RegistrationStatus
from tests.signup_support import form_data, link_in, mails, member_id, open_registration


@pytest.fixture
def registered(
    app: Flask,
    client: FlaskClient,
    members: None,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
) -> dict[str, int | str]:
    conference_id = make_conference(slug="ttf9")
    first = make_panel(conference_id, title="Opening panel")
    second = make_panel(conference_id, title="Closing panel")
    open_registration(app, conference_id)
    client.post(
        "/conferences/ttf9/register",
        data=form_data(member_id(app, "KAZ"), panels=[str(first)]),
    )
    return {"first": first, "second": second, "link": link_in(mails(app)[0])}


def registration(app: Flask) -> Registration:
    with app.app_context():
        row = db.session.scalar(db.select(Registration))
        assert row is not None
        _ = row.panels
        db.session.expunge_all()
        return row


def test_mailed_link_confirms_the_address_and_shows_the_registration(
    app: Flask, client: FlaskClient, registered: dict[str, int | str]
) -> None:
    assert registration(app).email_confirmed_at is None
    page = client.get(str(registered["link"]), follow_redirects=True).text
    assert "your e-mail address is confirmed" in page
    assert "Opening panel" in page
    assert "Kazakhstan" in page
    assert registration(app).email_confirmed_at is not None


def test_person_changes_mode_and_panels(
    app: Flask, client: FlaskClient, registered: dict[str, int | str]
) -> None:
    manage = client.get(str(registered["link"])).headers["Location"]
    response = client.post(
        manage,
        data={"mode": "online", "panels": [str(registered["second"])]},
        follow_redirects=True,
    )
    assert "Your registration is updated." in response.text
    saved = registration(app)
    assert saved.mode.value == "online"
    assert [p.title for p in saved.panels] == ["Closing panel"]


def test_withdrawal_needs_the_tick_and_then_ends_the_registration(
    app: Flask, client: FlaskClient, registered: dict[str, int | str]
) -> None:
    manage = client.get(str(registered["link"])).headers["Location"]
    refused = client.post(f"{manage}/withdraw", data={}, follow_redirects=True)
    assert "Tick the box to confirm the withdrawal." in refused.text
    assert registration(app).status is RegistrationStatus.PENDING
    done = client.post(f"{manage}/withdraw", data={"confirm": "y"}, follow_redirects=True)
    assert "You have withdrawn this registration." in done.text
    assert 'id="change-form"' not in done.text
    assert registration(app).status is RegistrationStatus.WITHDRAWN
    assert "withdrawn" in mails(app)[-1]["Subject"]


def test_tampered_link_is_refused(client: FlaskClient, registered: dict[str, int | str]) -> None:
    path, _, query = str(registered["link"]).partition("?")
    response = client.get(f"{path}x?{query}", follow_redirects=True)
    assert "This link is not valid." in response.text
    assert "Send me the link" in response.text


def test_expired_link_says_so_and_offers_a_new_one(
    app: Flask, client: FlaskClient, registered: dict[str, int | str]
) -> None:
    app.config["SIGNUP_LINK_MAX_AGE_DAYS"] = 0
    try:
        time.sleep(1.1)
        response = client.get(str(registered["link"]), follow_redirects=True)
    finally:
        app.config["SIGNUP_LINK_MAX_AGE_DAYS"] = 60
    assert "This link has expired." in response.text
    assert registration(app).email_confirmed_at is None
