"""Focal points: assigned by an organiser, they see and review only their own delegation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.accounts.models import User
from registration.database import db
from registration.mail.models import OutgoingMail
from registration.signup.models import FocalPoint, Registration
from tests.conftest import PASSWORD
from tests.signup_support import form_data, link_in, mails, member_id, open_registration


@pytest.fixture
def ttf9(
    app: Flask, client: FlaskClient, members: None, make_conference: Callable[..., int]
) -> int:
    conference_id = make_conference(slug="ttf9")
    open_registration(app, conference_id)
    for who, code in (("kaz1", "KAZ"), ("kaz2", "KAZ"), ("chn1", "CHN")):
        response = client.post(
            "/conferences/ttf9/register",
            data=form_data(member_id(app, code), email=f"{who}@example.org", name=who),
        )
        assert response.status_code == 302
    return conference_id


def registration_id(app: Flask, email: str) -> int:
    with app.app_context():
        found = db.session.scalar(db.select(Registration.id).filter_by(email=email))
        assert found is not None
        return found


def status(app: Flask, email: str) -> str:
    with app.app_context():
        row = db.session.scalar(db.select(Registration).filter_by(email=email))
        assert row is not None
        return f"{row.status.value}:{row.status_reason}"


@pytest.fixture
def kaz_focal_point(
    app: Flask, ttf9: int, make_organizer: Callable[..., User], login: Callable[[str], None]
) -> FlaskClient:
    """A signed-in non-organiser account, focal point of Kazakhstan for ttf9."""
    user = make_organizer("focal@mfa.kz.example", organizer=False)
    with app.app_context():
        db.session.add(
            FocalPoint(user_id=user.id, conference_id=ttf9, member_id=member_id(app, "KAZ"))
        )
        db.session.commit()
    client = app.test_client()
    response = client.post(
        "/account/login", data={"email": "focal@mfa.kz.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def test_organiser_assigns_a_new_focal_point_who_sets_a_password_from_the_mail(
    app: Flask, ttf9: int, organizer_client: FlaskClient
) -> None:
    page = organizer_client.get("/manage/conferences/ttf9/registration/focal-points")
    assert page.status_code == 200
    response = organizer_client.post(
        "/manage/conferences/ttf9/registration/focal-points",
        data={"email": "Focal@MFA.kz.example", "name": "Dana", "member": member_id(app, "KAZ")},
        follow_redirects=True,
    )
    assert "focal@mfa.kz.example is now a focal point of Kazakhstan." in response.text
    again = organizer_client.post(
        "/manage/conferences/ttf9/registration/focal-points",
        data={"email": "focal@mfa.kz.example", "member": member_id(app, "KAZ")},
    )
    assert "is already a focal point of Kazakhstan" in again.text
    with app.app_context():
        [row] = db.session.scalars(
            db.select(OutgoingMail).filter_by(recipient="focal@mfa.kz.example")
        ).all()
        assert (row.composer, row.message) == ("signup.focal_point", None), "a worker composes it"
    [mail] = mails(app, to="focal@mfa.kz.example")
    password_path = link_in(mail)
    assert password_path.startswith("/focal-point/password/")
    visitor = app.test_client()
    short = visitor.post(password_path, data={"password": "short"})
    assert "The password must have at least 12 characters." in short.text
    assert short.status_code == 422  # the staff's page, shared (accounts.choose_password_page)
    assert "For the account focal@mfa.kz.example." in short.text
    common = visitor.post(password_path, data={"password": "qwertyuiop123"})
    assert "one of the most common passwords" in common.text
    done = visitor.post(password_path, data={"password": "a long enough secret"})
    assert done.status_code == 302
    assert visitor.get(password_path).status_code == 404  # the link works once
    signed_in = visitor.post(
        "/account/login", data={"email": "focal@mfa.kz.example", "password": "a long enough secret"}
    )
    assert signed_in.status_code == 302
    assert signed_in.location == "/delegation/", "a focal point starts at their delegations"
    assert "kaz1@example.org" in visitor.get("/delegation/ttf9/").text


def test_focal_point_sees_only_their_delegation(app: Flask, kaz_focal_point: FlaskClient) -> None:
    page = kaz_focal_point.get("/delegation/ttf9/").text
    assert "kaz1@example.org" in page
    assert "kaz2@example.org" in page
    assert "chn1@example.org" not in page
    other = registration_id(app, "chn1@example.org")
    assert kaz_focal_point.get(f"/delegation/ttf9/registrations/{other}").status_code == 404
    response = kaz_focal_point.post(
        f"/delegation/ttf9/registrations/{other}", data={"decision": "approve"}
    )
    assert response.status_code == 404
    assert status(app, "chn1@example.org") == "pending:"


def test_focal_point_cannot_reach_management_or_another_conference(
    app: Flask, kaz_focal_point: FlaskClient, make_conference: Callable[..., int]
) -> None:
    make_conference(slug="other")
    assert kaz_focal_point.get("/delegation/other/").status_code == 403
    assert kaz_focal_point.get("/manage/conferences/ttf9/registrations").status_code == 403
    assert kaz_focal_point.get("/manage/conferences/ttf9/registrations.csv").status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client: FlaskClient, ttf9: int) -> None:
    for path in ("/delegation/ttf9/", "/delegation/ttf9/register", "/delegation/"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/account/login" in response.headers["Location"]


def test_focal_point_approves_and_rejects_with_a_reason_and_the_person_is_mailed(
    app: Flask, kaz_focal_point: FlaskClient
) -> None:
    kaz1 = registration_id(app, "kaz1@example.org")
    kaz2 = registration_id(app, "kaz2@example.org")
    approved = kaz_focal_point.post(
        f"/delegation/ttf9/registrations/{kaz1}", data={"decision": "approve"}
    )
    assert approved.status_code == 302
    no_reason = kaz_focal_point.post(
        f"/delegation/ttf9/registrations/{kaz2}", data={"decision": "reject", "reason": " "}
    )
    assert "Give a reason for the rejection" in no_reason.text
    kaz_focal_point.post(
        f"/delegation/ttf9/registrations/{kaz2}",
        data={"decision": "reject", "reason": "The delegation is complete."},
    )
    assert status(app, "kaz1@example.org") == "approved:"
    assert status(app, "kaz2@example.org") == "rejected:The delegation is complete."
    approval = mails(app, to="kaz1@example.org")[-1]
    assert "is approved" in approval["Subject"]
    badges = [
        part for part in approval.iter_attachments() if part.get_content_type() == "image/png"
    ]
    assert len(badges) == 1
    assert badges[0].get_content().startswith(b"\x89PNG")
    rejection = mails(app, to="kaz2@example.org")[-1]
    assert "Reason: The delegation is complete." in rejection.get_body().get_content()
    assert list(rejection.iter_attachments()) == []


def test_focal_point_registers_a_delegate_of_their_own_member_only(
    app: Flask, kaz_focal_point: FlaskClient
) -> None:
    page = kaz_focal_point.get("/delegation/ttf9/register").text
    assert "Kazakhstan (KAZ)" in page
    assert "China (CHN)" not in page
    foreign = kaz_focal_point.post(
        "/delegation/ttf9/register",
        data=form_data(member_id(app, "CHN"), email="spy@example.org"),
    )
    assert "Not a valid choice" in foreign.text
    done = kaz_focal_point.post(
        "/delegation/ttf9/register",
        data=form_data(member_id(app, "KAZ"), email="delegate@example.org", name="Delegate"),
        follow_redirects=True,
    )
    assert "Delegate is registered (approved)." in done.text
    assert status(app, "delegate@example.org") == "approved:"
    assert mails(app, to="delegate@example.org")
    assert mails(app, to="spy@example.org") == []


def test_focal_point_lists_their_conferences_and_loses_access_when_removed(
    app: Flask, kaz_focal_point: FlaskClient, organizer_client: FlaskClient
) -> None:
    listing = kaz_focal_point.get("/delegation/").text
    assert "Ninth Meeting of the CICA Think Tank Forum" in listing
    assert "Kazakhstan" in listing
    with app.app_context():
        point_id = db.session.scalar(db.select(FocalPoint.id))
    page = organizer_client.get("/manage/conferences/ttf9/registration/focal-points").text
    assert "focal@mfa.kz.example" in page
    organizer_client.post(f"/manage/conferences/ttf9/registration/focal-points/{point_id}/remove")
    assert kaz_focal_point.get("/delegation/ttf9/").status_code == 403
