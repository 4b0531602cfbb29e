"""The public participant list: consenting, active registrations, grouped by member."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from registration.database import db
from registration.signup import services
from registration.signup.models import Registration
from tests.signup_support import form_data, member_id, open_registration


def test_only_consenting_approved_people_are_listed_by_member(
    app: Flask, client: FlaskClient, members: None, make_conference: Callable[..., int]
) -> None:
    open_registration(app, make_conference(slug="ttf9"), in_person_capacity=2)
    people = [
        ("Aliya Listed", "KAZ", "y", "in_person"),
        ("Hidden Person", "KAZ", None, "online"),
        ("Li Listed", "CHN", "y", "in_person"),
        ("Waiting Person", "IND", "y", "in_person"),
        ("Gone Person", "IND", "y", "online"),
        ("Pending Person", "UZB", "y", "online"),
    ]
    for name, code, consent, mode in people:
        email = name.split()[0].lower() + "@example.org"
        data = form_data(member_id(app, code), name=name, email=email, consent=consent, mode=mode)
        assert client.post("/conferences/ttf9/register", data=data).status_code == 302
    with app.app_context():
        gone = db.session.scalar(db.select(Registration).filter_by(email="gone@example.org"))
        assert gone is not None
        services.withdraw(gone)
        for email in ("aliya@example.org", "li@example.org", "hidden@example.org"):
            listed = db.session.scalar(db.select(Registration).filter_by(email=email))
            services.decide(listed, approve=True)
    page = client.get("/conferences/ttf9/participants").text
    assert "Aliya Listed" in page
    assert "Li Listed" in page
    assert "Hidden Person" not in page
    assert "Waiting Person" not in page
    assert "Gone Person" not in page
    assert "Pending Person" not in page, "a focal point may still decline them"
    assert 'id="member-IND"' not in page
    assert page.index('id="member-CHN"') < page.index('id="member-KAZ"')
    assert page.index("🇰🇿 Kazakhstan") < page.index("Aliya Listed")


def test_empty_list_says_so(client: FlaskClient, make_conference: Callable[..., int]) -> None:
    make_conference(slug="quiet")
    assert "No participants are listed yet." in client.get("/conferences/quiet/participants").text


def test_draft_conference_has_no_public_list(
    client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    from registration.conferences.models import ConferenceStatus

    make_conference(slug="draft", status=ConferenceStatus.DRAFT)
    assert client.get("/conferences/draft/participants").status_code == 404
    assert client.get("/conferences/draft/register").status_code == 404
