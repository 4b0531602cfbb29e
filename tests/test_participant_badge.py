"""A participant's own badge: mailed when they come in person, shown behind their link."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.database import db
from registration.signup import services
from registration.signup.models import AttendanceMode, Registration
from tests.signup_support import form_data, link_in, mails, member_id, open_registration

EMAIL = "aigerim@kisi.example"


@pytest.fixture
def online_and_approved(
    app: Flask, client: FlaskClient, members: None, make_conference: Callable[..., int]
) -> str:
    """An approved online participant; returns the path of their registration page."""
    open_registration(app, make_conference(slug="ttf9", online_url="https://meet.example/ttf"))
    client.post("/conferences/ttf9/register", data=form_data(member_id(app, "KAZ"), mode="online"))
    with app.app_context():
        services.decide(db.session.scalars(db.select(Registration)).one(), approve=True)
    return link_in(mails(app, to=EMAIL)[0]).replace("/confirm/", "/registration/")


def attachments(app: Flask, subject_start: str) -> list[str]:
    [message] = [m for m in mails(app, to=EMAIL) if m["Subject"].strip().startswith(subject_start)]
    return [part.get_filename() or "" for part in message.iter_attachments()]


def test_switching_to_in_person_mails_the_badge_and_shows_it_on_the_page(
    app: Flask, client: FlaskClient, online_and_approved: str
) -> None:
    page = client.get(online_and_approved, follow_redirects=True)
    assert page.status_code == 200
    assert 'id="badge-link"' not in page.text, "online participants have no badge"
    manage = page.request.path
    assert client.get(f"{manage}/badge").status_code == 404

    with app.app_context():
        registration = db.session.scalars(db.select(Registration)).one()
        services.change(registration, AttendanceMode.IN_PERSON, [])
    assert any(name.endswith(".png") for name in attachments(app, "Your badge for"))

    page = client.get(manage)
    assert 'id="badge-link"' in page.text
    badge = client.get(f"{manage}/badge")
    assert badge.status_code == 200
    assert "Aigerim Nurlanovna" in badge.text
    assert "<svg" in badge.text, "the QR code to scan at the entrance"
    pdf = client.get(f"{manage}/badge.pdf")
    assert pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")


def test_a_withdrawn_registration_offers_to_register_again(
    app: Flask, client: FlaskClient, online_and_approved: str
) -> None:
    manage = client.get(online_and_approved, follow_redirects=True).request.path
    with app.app_context():
        services.withdraw(db.session.scalars(db.select(Registration)).one())
    page = client.get(manage).text
    assert 'id="register-again"' in page
    assert 'href="/conferences/ttf9/register"' in page
    assert client.get(f"{manage}/badge").status_code == 404


def test_the_qr_code_is_named_in_the_page_language(
    app: Flask, client: FlaskClient, online_and_approved: str
) -> None:
    """Screen readers announce the QR code's <title>: in the badge page's language."""
    manage = client.get(online_and_approved, follow_redirects=True).request.path
    with app.app_context():
        registration = db.session.scalars(db.select(Registration)).one()
        services.change(registration, AttendanceMode.IN_PERSON, [])
    titles = {
        language: client.get(f"{manage}/badge?lang={language}").text.split("<title>")[2]
        for language in ("en", "ru", "kk")
    }
    assert titles["en"].startswith("Badge QR code</title>")
    assert titles["ru"].startswith("QR-код бейджа</title>")
    assert titles["kk"].startswith("Бейдждің QR коды</title>")
