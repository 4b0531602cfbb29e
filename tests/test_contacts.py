"""Contacts: per member state, the addresses the Secretariat writes to, with their languages."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.database import db
from registration.directory import contacts
from registration.directory.models import Contact
from tests.signup_support import member_id

pytestmark = pytest.mark.usefixtures("members")


def added(client: FlaskClient, app: Flask, **fields: object) -> object:
    data: dict[str, object] = {
        "member": member_id(app, "KAZ"),
        "kind": "mfa",
        "name": "Ministry of Foreign Affairs of Kazakhstan",
        "email": "Notes@MFA.kz.example",
        "languages": ["en", "ru", "kk"],
        "active": "y",
    }
    data.update(fields)
    return client.post("/manage/contacts/", data=data)


def test_a_contact_is_listed_under_its_state_with_its_languages(
    app: Flask, organizer_client: FlaskClient
) -> None:
    response = added(organizer_client, app)
    assert response.status_code == 302  # type: ignore[attr-defined]
    page = organizer_client.get("/manage/contacts/").text
    assert "Ministry of Foreign Affairs of Kazakhstan" in page
    assert "English, Russian, Kazakh" in page
    with app.app_context():
        contact = db.session.scalar(db.select(Contact))
        assert contact is not None
        assert contact.email == "notes@mfa.kz.example"
        assert contact.languages == ["en", "ru", "kk"]
        assert [c.email for c in contacts.active_contacts()] == ["notes@mfa.kz.example"]


def test_the_same_address_twice_for_a_state_is_refused_next_to_the_field(
    app: Flask, organizer_client: FlaskClient
) -> None:
    added(organizer_client, app)
    again = added(organizer_client, app, kind="embassy", name="Embassy")
    assert again.status_code == 200  # type: ignore[attr-defined]
    assert "has a contact with this address already" in again.text  # type: ignore[attr-defined]
    assert 'value="Embassy"' in again.text  # type: ignore[attr-defined]


def test_a_contact_changed_to_another_contacts_address_is_refused_and_kept_as_it_was(
    app: Flask, organizer_client: FlaskClient
) -> None:
    added(organizer_client, app)
    added(organizer_client, app, kind="embassy", name="Embassy", email="embassy@kz.example")
    with app.app_context():
        embassy_id = db.session.scalar(db.select(Contact.id).filter_by(name="Embassy"))
    refused = organizer_client.post(
        f"/manage/contacts/{embassy_id}",
        data={
            "member": member_id(app, "KAZ"),
            "kind": "embassy",
            "name": "Embassy of Kazakhstan",
            "email": "notes@mfa.kz.example",
            "languages": ["ru"],
            "active": "y",
        },
    )
    assert refused.status_code == 200
    assert "has a contact with this address already" in refused.text
    assert 'value="Embassy of Kazakhstan"' in refused.text
    with app.app_context():
        embassy = db.session.get(Contact, embassy_id)
        assert embassy is not None
        assert (embassy.name, embassy.email) == ("Embassy", "embassy@kz.example")
        assert embassy.languages == ["en", "ru", "kk"]


def test_a_contact_needs_a_language_and_a_real_address(
    app: Flask, organizer_client: FlaskClient
) -> None:
    response = added(organizer_client, app, languages=[], email="not an address")
    assert "Choose at least one language." in response.text  # type: ignore[attr-defined]
    assert "This is not an e-mail address." in response.text  # type: ignore[attr-defined]
    with app.app_context():
        assert db.session.scalars(db.select(Contact)).all() == []


def test_an_inactive_contact_is_not_written_to_and_one_can_be_removed(
    app: Flask, organizer_client: FlaskClient
) -> None:
    added(organizer_client, app)
    with app.app_context():
        contact_id = db.session.scalar(db.select(Contact.id))
    organizer_client.post(
        f"/manage/contacts/{contact_id}",
        data={
            "member": member_id(app, "KAZ"),
            "kind": "mfa",
            "name": "Ministry of Foreign Affairs of Kazakhstan",
            "email": "notes@mfa.kz.example",
            "languages": ["ru"],
        },
    )
    with app.app_context():
        assert contacts.active_contacts() == []
    organizer_client.post(f"/manage/contacts/{contact_id}/remove")
    with app.app_context():
        assert db.session.scalars(db.select(Contact)).all() == []
