"""One registration per e-mail per conference: a second attempt re-sends the manage link."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.database import db
from registration.signup import errors, places, services
from registration.signup.models import AttendanceMode, Registration, RegistrationStatus
from tests.signup_support import form_data, link_in, mails, member_id, open_registration


def count(app: Flask) -> int:
    with app.app_context():
        return len(db.session.scalars(db.select(Registration)).all())


def test_second_attempt_with_same_email_gets_a_message_and_the_link_again(
    app: Flask, client: FlaskClient, members: None, make_conference: Callable[..., int]
) -> None:
    conference_id = make_conference(slug="ttf9")
    open_registration(app, conference_id)
    kaz = member_id(app, "KAZ")
    assert client.post("/conferences/ttf9/register", data=form_data(kaz)).status_code == 302
    again = client.post(
        "/conferences/ttf9/register",
        data=form_data(kaz, email="AIGERIM@kisi.example", name="Someone Else"),
    )
    assert again.status_code == 200
    assert "is already registered for this conference" in again.text
    assert 'value="Someone Else"' in again.text
    assert count(app) == 1
    sent = mails(app, to="aigerim@kisi.example")
    assert [m["Subject"].strip().split(" for ")[0] for m in sent] == [
        "Confirm your registration",
        "Your registration",
    ]
    manage_page = client.get(link_in(sent[1]), follow_redirects=True).text
    assert "Your registration for" in manage_page
    assert "Aigerim Nurlanovna" in manage_page


def test_same_email_may_register_for_another_conference(
    app: Flask, client: FlaskClient, members: None, make_conference: Callable[..., int]
) -> None:
    for slug in ("ttf9", "ttf10"):
        open_registration(app, make_conference(slug=slug))
        response = client.post(
            f"/conferences/{slug}/register", data=form_data(member_id(app, "KAZ"))
        )
        assert response.status_code == 302
    assert count(app) == 2


def test_unique_constraint_is_the_last_line_of_defence(
    app: Flask,
    members: None,
    make_conference: Callable[..., int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A row that slips past the lookup (a concurrent insert) still ends as the same message."""
    conference_id = make_conference(slug="ttf9")
    open_registration(app, conference_id)
    kaz = member_id(app, "KAZ")
    applicant = services.Applicant(
        name="A", email="a@example.org", member_id=kaz, mode=AttendanceMode.ONLINE
    )
    with app.app_context():
        services.register(conference_id, applicant)
        original = places.lock_settings_for

        def snapshot_without_the_row(conference: int, email: str) -> places.Locked:
            """The row was committed after this transaction's snapshot, as under a race."""
            return original(conference, email)._replace(existing=None)

        monkeypatch.setattr(places, "lock_settings_for", snapshot_without_the_row)
        with pytest.raises(errors.DuplicateRegistrationError, match="already registered"):
            services.register(conference_id, applicant)
    assert count(app) == 1
    assert [m["Subject"].strip().split(" for ")[0] for m in mails(app)] == [
        "Confirm your registration",
        "Your registration",
    ]


def test_resend_form_mails_a_registered_address_and_says_the_same_to_anyone(
    app: Flask, client: FlaskClient, members: None, make_conference: Callable[..., int]
) -> None:
    open_registration(app, make_conference(slug="ttf9"))
    client.post("/conferences/ttf9/register", data=form_data(member_id(app, "KAZ")))
    known = client.post(
        "/conferences/ttf9/register/link",
        data={"email": "aigerim@kisi.example"},
        follow_redirects=True,
    )
    unknown = client.post(
        "/conferences/ttf9/register/link",
        data={"email": "nobody@example.org"},
        follow_redirects=True,
    )
    message = "If that address is registered for this conference"
    assert message in known.text
    assert message in unknown.text
    assert len(mails(app, to="aigerim@kisi.example")) == 2
    assert mails(app, to="nobody@example.org") == []


def test_someone_who_withdrew_can_register_again(
    app: Flask, client: FlaskClient, members: None, make_conference: Callable[..., int]
) -> None:
    conference_id = make_conference(slug="ttf9")
    open_registration(app, conference_id)
    kaz = member_id(app, "KAZ")
    client.post("/conferences/ttf9/register", data=form_data(kaz))
    with app.app_context():
        first = db.session.scalars(db.select(Registration)).one()
        services.withdraw(first)
        first_id = first.id
    again = client.post(
        "/conferences/ttf9/register", data=form_data(kaz, name="Aigerim Again", mode="online")
    )
    assert again.status_code == 302, "a withdrawal does not block the address for good"
    with app.app_context():
        [registration] = db.session.scalars(db.select(Registration)).all()
        assert registration.id == first_id
        assert registration.status is RegistrationStatus.PENDING
        assert (registration.name, registration.mode) == ("Aigerim Again", AttendanceMode.ONLINE)
    subjects = [m["Subject"].strip().split(" for ")[0] for m in mails(app)]
    assert subjects.count("Confirm your registration") == 2
    duplicate = client.post("/conferences/ttf9/register", data=form_data(kaz))
    assert "already registered" in duplicate.text, "an active registration still blocks"
