"""An administrator deactivates and reactivates a staff account and sends an invitation
again to one that has not chosen its password; each step is in the audit log, and only an
administrator may do it."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from registration.accounts.models import User
from registration.audit.models import AuditEntry
from registration.database import db
from registration.staff.roles import Role
from tests.conftest import PASSWORD
from tests.signup_support import link_in, mails
from tests.staff_support import make_staff

STAFF = "/manage/staff/"


def logged(app: Flask) -> list[tuple[str, str, str]]:
    with app.app_context():
        rows = db.session.execute(
            db.select(AuditEntry.action, AuditEntry.subject, AuditEntry.actor)
            .where(AuditEntry.action.like("staff_account.%"))
            .order_by(AuditEntry.id)
        ).all()
    return [tuple(row) for row in rows]


def test_deactivate_and_reactivate_a_staff_account(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    user_id = make_staff(app, "door@cica.example", Role.CHECK_IN, make_conference(slug="ttf9"))
    door = app.test_client()
    door.post("/account/login", data={"email": "door@cica.example", "password": PASSWORD})
    assert door.get("/manage/conferences/ttf9/checkin").status_code == 200

    organizer_client.post(f"{STAFF}{user_id}/deactivate")
    assert door.get("/manage/conferences/ttf9/checkin").status_code == 302  # signed out
    page = organizer_client.get(STAFF).text
    assert "Deactivated" in page
    assert 'aria-label="Reactivate: door@cica.example"' in page
    again = organizer_client.post(f"{STAFF}{user_id}/deactivate", follow_redirects=True)
    assert "door@cica.example is already deactivated." in again.text

    done = organizer_client.post(f"{STAFF}{user_id}/reactivate", follow_redirects=True)
    assert "door@cica.example can sign in again." in done.text
    door.post("/account/login", data={"email": "door@cica.example", "password": PASSWORD})
    assert door.get("/manage/conferences/ttf9/checkin").status_code == 200  # role kept
    assert logged(app) == [
        ("staff_account.deactivated", "door@cica.example", "Test Organiser"),
        ("staff_account.reactivated", "door@cica.example", "Test Organiser"),
    ]
    assert "Staff account reactivated" in organizer_client.get("/manage/audit").text
    assert organizer_client.post(f"{STAFF}{2**31 - 1}/reactivate").status_code == 404


def test_the_invitation_sent_again_gives_a_link_that_sets_the_password(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    conference_id = make_conference(slug="ttf9")
    with app.app_context():
        user_id = make_staff(app, "new@cica.example", Role.OBSERVER, conference_id)
        user = db.session.get(User, user_id)
        user.password_hash = "!never-chosen"
        db.session.commit()
    page = organizer_client.get(STAFF).text
    assert "Invited, no password yet" in page
    sent = organizer_client.post(f"{STAFF}{user_id}/invite", follow_redirects=True)
    assert "A new link to choose a password is on its way to new@cica.example." in sent.text
    organizer_client.post(f"{STAFF}{user_id}/invite")  # within the minute: mailed once
    [mail] = mails(app, to="new@cica.example")
    visitor = app.test_client()
    chosen = visitor.post(link_in(mail), data={"password": "a long enough secret"})
    assert chosen.status_code == 302
    refused = organizer_client.post(f"{STAFF}{user_id}/invite", follow_redirects=True)
    assert "new@cica.example has chosen a password already." in refused.text
    assert [action for action, _, _ in logged(app)] == ["staff_account.invited_again"] * 2


def test_only_administrators_manage_staff_accounts(
    app: Flask, client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    conference_id = make_conference(slug="ttf9")
    target = make_staff(app, "door@cica.example", Role.CHECK_IN, conference_id)
    make_staff(app, "officer@cica.example", Role.ORGANISER, conference_id)
    client.post("/account/login", data={"email": "officer@cica.example", "password": PASSWORD})
    for action in ("deactivate", "reactivate", "invite"):
        assert client.post(f"{STAFF}{target}/{action}").status_code == 403
    assert logged(app) == []
