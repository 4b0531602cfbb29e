"""Registrations and attendance through the API: the same services and rules as the forms."""

from __future__ import annotations

import email
from collections.abc import Callable
from email.policy import default

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.accounts.models import User
from registration.database import db
from registration.mail.models import OutgoingMail
from registration.mail.services import message_of
from registration.signup.models import Registration
from registration.tokens.models import TokenScope
from tests.api_support import bearer, make_focal_point, make_token, register_people
from tests.signup_support import open_registration

API = "/api/v1/conferences/ttf9"


@pytest.fixture
def ttf9(app: Flask, members: None, make_conference: Callable[..., int]) -> int:
    conference_id = make_conference(slug="ttf9")
    open_registration(app, conference_id, delegation_in_person_quota=2)
    register_people(app, "ttf9", [("kaz1", "KAZ"), ("chn1", "CHN")])
    return conference_id


@pytest.fixture
def kaz(app: Flask, make_organizer: Callable[..., User], ttf9: int) -> dict[str, str]:
    """A read and write token of Kazakhstan's focal point."""
    return bearer(make_token(app, make_focal_point(app, make_organizer, ttf9, "KAZ").id))


@pytest.fixture
def organiser(app: Flask, make_organizer: Callable[..., User], ttf9: int) -> dict[str, str]:
    return bearer(make_token(app, make_organizer().id))


def delegate(email: str, member: str = "KAZ", **fields: object) -> dict[str, object]:
    return {"name": email.split("@")[0], "email": email, "member": member,
            "mode": "in_person", **fields}  # fmt: skip


def registration_id(app: Flask, email: str) -> int:
    with app.app_context():
        return db.session.scalar(db.select(Registration.id).filter_by(email=email))


def test_a_focal_point_registers_delegates_under_the_quota(
    client: FlaskClient, kaz: dict[str, str]
) -> None:
    first = client.post(f"{API}/registrations", json=delegate("kaz2@example.org"), headers=kaz)
    assert first.status_code == 201
    assert first.json["status"] == "approved"  # a focal point's nomination, a place is free
    over = client.post(f"{API}/registrations", json=delegate("kaz3@example.org"), headers=kaz)
    assert over.json["status"] == "waitlisted"  # KAZ holds 2 in-person places: the quota
    assert over.json["status_reason"]
    other = client.post(f"{API}/registrations", json=delegate("x@example.org", "CHN"), headers=kaz)
    assert other.status_code == 422
    assert "your own members" in other.json["detail"]
    again = client.post(f"{API}/registrations", json=delegate("kaz2@example.org"), headers=kaz)
    assert again.status_code == 409
    assert "already registered" in again.json["detail"]


def test_a_delegate_registered_through_the_api_is_mailed_in_their_language(
    app: Flask, client: FlaskClient, kaz: dict[str, str]
) -> None:
    """Our mail follows `mail_language`, else the delegate's working language where we write
    in it; a language we do not write in is refused with the ones we do."""
    russian = client.post(
        f"{API}/registrations", json=delegate("ru@example.org", language="ru"), headers=kaz
    )
    assert (russian.status_code, russian.json["mail_language"]) == (201, "ru")
    kazakh = client.post(
        f"{API}/registrations",
        json=delegate("kk@example.org", language="ru", mail_language="kk"),
        headers=kaz,
    )
    assert kazakh.json["mail_language"] == "kk"
    refused = client.post(
        f"{API}/registrations", json=delegate("de@example.org", mail_language="de"), headers=kaz
    )
    assert refused.status_code == 422
    assert "The mail language is one of: en, ru, kk." in refused.json["detail"]
    with app.app_context():
        rows = db.session.scalars(db.select(OutgoingMail)).all()
        subjects = {
            row.recipient: email.message_from_bytes(message_of(row) or b"", policy=default)[
                "Subject"
            ]
            for row in rows
        }
    assert "регистрац" in subjects["ru@example.org"].lower()
    assert "тірке" in subjects["kk@example.org"].lower()  # тіркеу, тіркелу
    assert "de@example.org" not in {row.recipient for row in rows}


def test_a_read_only_token_changes_nothing(
    app: Flask, client: FlaskClient, make_organizer: Callable[..., User], ttf9: int
) -> None:
    headers = bearer(make_token(app, make_organizer().id, TokenScope.READ))
    response = client.post(f"{API}/registrations", json=delegate("k@example.org"), headers=headers)
    assert response.status_code == 403
    assert "read only" in response.json["detail"]


def test_approving_and_rejecting_with_a_reason_mails_the_person(
    app: Flask, client: FlaskClient, kaz: dict[str, str]
) -> None:
    kaz1, chn1 = registration_id(app, "kaz1@example.org"), registration_id(app, "chn1@example.org")
    approved = client.post(
        f"{API}/registrations/{kaz1}/decision", json={"decision": "approve"}, headers=kaz
    )
    assert approved.json["status"] == "approved"
    twice = client.post(
        f"{API}/registrations/{kaz1}/decision", json={"decision": "approve"}, headers=kaz
    )
    assert twice.status_code == 409
    rejected = client.post(
        f"{API}/registrations/{kaz1}/decision",
        json={"decision": "reject", "reason": "The delegation is full."},
        headers=kaz,
    )
    assert (rejected.json["status"], rejected.json["status_reason"]) == (
        "rejected",
        "The delegation is full.",
    )
    not_ours = client.post(
        f"{API}/registrations/{chn1}/decision", json={"decision": "approve"}, headers=kaz
    )
    assert not_ours.status_code == 404
    with app.app_context():
        keys = set(db.session.scalars(db.select(OutgoingMail.idempotency_key)))
    assert any(key.startswith(f"signup-approved:{kaz1}:") for key in keys)
    assert any(key.startswith(f"signup-rejected:{kaz1}:") for key in keys)


def test_the_csv_export_is_the_delegations_own(client: FlaskClient, kaz: dict[str, str]) -> None:
    response = client.get(f"{API}/registrations.csv", headers=kaz)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == "attachment; filename=ttf9-registrations.csv"
    text = response.data.decode("utf-8-sig")
    assert "kaz1@example.org" in text
    assert "chn1@example.org" not in text


def test_organisers_check_people_in_and_read_the_figures(
    app: Flask, client: FlaskClient, organiser: dict[str, str], kaz: dict[str, str]
) -> None:
    kaz1 = registration_id(app, "kaz1@example.org")
    client.post(f"{API}/registrations/{kaz1}/decision", json={"decision": "approve"},
                headers=organiser)  # fmt: skip
    scan = {"client_id": "phone-1-scan-0001", "registration": kaz1, "day": "2030-12-28"}
    first = client.post(f"{API}/checkins", json=scan, headers=organiser)
    assert first.status_code == 200, first.json
    assert first.json["status"] == "checked_in"
    again = client.post(f"{API}/checkins", json=scan, headers=organiser)
    assert again.json["status"] == "duplicate"
    wrong_day = client.post(
        f"{API}/checkins", json={**scan, "client_id": "phone-1-scan-0002", "day": "2031-01-05"},
        headers=organiser,
    )  # fmt: skip
    assert wrong_day.status_code == 422
    figures = client.get(f"{API}/attendance", headers=organiser).json
    assert figures["total"]["attended"] == 1
    records = client.get(f"{API}/attendance/records", headers=organiser).json
    assert [(r["registration"], r["day"], r["mode"]) for r in records["items"]] == [
        (kaz1, "2030-12-28", "in_person")
    ]
    assert client.get(f"{API}/attendance", headers=kaz).status_code == 403
    assert client.post(f"{API}/checkins", json=scan, headers=kaz).status_code == 403
