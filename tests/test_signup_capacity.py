"""Seats and delegation quotas: full means the waiting list; a freed place promotes the first."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.database import db
from registration.jobs import services as jobs
from registration.jobs.models import Job
from registration.signup import links, promotion, services
from registration.signup.models import AttendanceMode, Registration, RegistrationStatus
from tests.signup_support import form_data, link_in, mails, member_id, open_registration


def statuses(app: Flask) -> dict[str, tuple[str, str]]:
    """e-mail -> (status, mode)"""
    with app.app_context():
        rows = db.session.scalars(db.select(Registration)).all()
        return {r.email: (r.status.value, r.mode.value) for r in rows}


def register(
    client: FlaskClient, app: Flask, who: str, code: str = "KAZ", mode: str = "in_person"
) -> str:
    """Registers through the public form; returns the confirmation page."""
    response = client.post(
        "/conferences/ttf9/register",
        data=form_data(member_id(app, code), email=f"{who}@example.org", name=who, mode=mode),
        follow_redirects=True,
    )
    assert response.status_code == 200
    return response.text


def manage_path(app: Flask, who: str) -> str:
    """The mailed link's path, without its ?lang= (callers add to the path)."""
    return link_in(mails(app, to=f"{who}@example.org")[0]).partition("?")[0]


@pytest.fixture
def ttf9(app: Flask, members: None, make_conference: Callable[..., int]) -> int:
    return make_conference(slug="ttf9")


def test_full_room_puts_in_person_registrations_on_the_waiting_list_and_offers_online(
    app: Flask, client: FlaskClient, ttf9: int
) -> None:
    open_registration(app, ttf9, in_person_capacity=2, approval_required=False)
    register(client, app, "first")
    register(client, app, "second")
    third = register(client, app, "third")
    assert "You are on the waiting list: All in-person seats are taken." in third
    assert "Attend online instead" in third
    assert "All in-person seats are taken" in client.get("/conferences/ttf9/register").text
    online = register(client, app, "fourth", mode="online")
    assert "Your registration is approved." in online
    assert statuses(app) == {
        "first@example.org": ("approved", "in_person"),
        "second@example.org": ("approved", "in_person"),
        "third@example.org": ("waitlisted", "in_person"),
        "fourth@example.org": ("approved", "online"),
    }
    assert "You are on the waiting list" in mails(app, to="third@example.org")[0].get_content()


def test_waiting_person_may_switch_to_online_from_the_confirmation_page(
    app: Flask, client: FlaskClient, ttf9: int
) -> None:
    open_registration(app, ttf9, in_person_capacity=0, approval_required=False)
    page = register(client, app, "waiting")
    assert 'id="switch-online"' in page
    csrf_free_form = {"mode": "online"}
    with app.app_context():
        registration = db.session.scalar(db.select(Registration))
        assert registration is not None
        token = links.manage_token(registration)
    response = client.post(
        f"/conferences/ttf9/registration/{token}", data=csrf_free_form, follow_redirects=True
    )
    assert "Your registration is updated." in response.text
    assert statuses(app) == {"waiting@example.org": ("approved", "online")}


def test_delegation_in_person_quota_sends_the_next_delegate_to_the_waiting_list(
    app: Flask, client: FlaskClient, ttf9: int
) -> None:
    open_registration(app, ttf9, delegation_in_person_quota=1, approval_required=False)
    register(client, app, "kaz1", "KAZ")
    page = register(client, app, "kaz2", "KAZ")
    assert "The in-person quota for this delegation is full." in page
    register(client, app, "chn1", "CHN")
    register(client, app, "kaz3", "KAZ", mode="online")
    assert statuses(app) == {
        "kaz1@example.org": ("approved", "in_person"),
        "kaz2@example.org": ("waitlisted", "in_person"),
        "chn1@example.org": ("approved", "in_person"),
        "kaz3@example.org": ("approved", "online"),
    }


def test_delegation_total_quota_counts_online_too(
    app: Flask, client: FlaskClient, ttf9: int
) -> None:
    open_registration(app, ttf9, delegation_total_quota=2, approval_required=False)
    register(client, app, "a", "KAZ", mode="online")
    register(client, app, "b", "KAZ")
    page = register(client, app, "c", "KAZ", mode="online")
    assert "The quota of places for this delegation is full." in page
    assert "Attend online instead" not in page
    assert statuses(app)["c@example.org"] == ("waitlisted", "online")


def test_capacity_and_quotas_together_count_each_delegation_apart(
    app: Flask, client: FlaskClient, ttf9: int
) -> None:
    open_registration(
        app,
        ttf9,
        in_person_capacity=3,
        delegation_in_person_quota=2,
        delegation_total_quota=3,
        approval_required=False,
    )
    register(client, app, "kaz1", "KAZ", mode="online")
    register(client, app, "kaz2", "KAZ", mode="online")
    register(client, app, "chn1", "CHN", mode="online")
    register(client, app, "chn2", "CHN", mode="online")
    register(client, app, "kaz3", "KAZ")  # third KAZ place: the total quota is now full
    assert "The quota of places for this delegation is full." in register(
        client, app, "kaz4", "KAZ"
    )
    register(client, app, "chn3", "CHN")  # CHN's own online places do not count for KAZ
    register(client, app, "ind1", "IND")  # the third and last seat
    assert "All in-person seats are taken." in register(client, app, "ind2", "IND")
    assert {who: status for who, (status, _) in statuses(app).items()} == {
        "kaz1@example.org": "approved",
        "kaz2@example.org": "approved",
        "chn1@example.org": "approved",
        "chn2@example.org": "approved",
        "kaz3@example.org": "approved",
        "kaz4@example.org": "waitlisted",
        "chn3@example.org": "approved",
        "ind1@example.org": "approved",
        "ind2@example.org": "waitlisted",
    }


def test_withdrawal_promotes_the_first_waiting_person_and_mails_them(
    app: Flask, client: FlaskClient, ttf9: int
) -> None:
    open_registration(app, ttf9, in_person_capacity=1, approval_required=True)
    register(client, app, "holder")
    register(client, app, "next")
    register(client, app, "later")
    page = client.get(manage_path(app, "holder"), follow_redirects=True).text
    assert "Withdraw my registration" in page
    response = client.post(
        manage_path(app, "holder").replace("/confirm/", "/registration/") + "/withdraw",
        data={"confirm": "y"},
        follow_redirects=True,
    )
    assert "Your registration is withdrawn." in response.text
    assert statuses(app) == {
        "holder@example.org": ("withdrawn", "in_person"),
        "next@example.org": ("pending", "in_person"),
        "later@example.org": ("waitlisted", "in_person"),
    }
    promoted = mails(app, to="next@example.org")[-1]
    assert "A place is free for you" in promoted["Subject"]
    assert mails(app, to="later@example.org")[-1]["Subject"].strip().startswith("Confirm")


def test_promotion_skips_a_waiting_person_whose_delegation_is_still_full(
    app: Flask, client: FlaskClient, ttf9: int
) -> None:
    open_registration(
        app, ttf9, in_person_capacity=2, delegation_in_person_quota=1, approval_required=False
    )
    register(client, app, "kaz1", "KAZ")
    register(client, app, "chn1", "CHN")
    register(client, app, "kaz2", "KAZ")  # waits: room full (and KAZ quota full)
    register(client, app, "ind1", "IND")  # waits: room full
    with app.app_context():
        chn1 = db.session.scalar(db.select(Registration).filter_by(email="chn1@example.org"))
        assert chn1 is not None
        services.withdraw(chn1)
    result = statuses(app)
    assert result["kaz2@example.org"] == ("waitlisted", "in_person")
    assert result["ind1@example.org"] == ("approved", "in_person")


def test_switching_to_online_frees_the_seat_for_the_waiting_list(
    app: Flask, client: FlaskClient, ttf9: int
) -> None:
    open_registration(app, ttf9, in_person_capacity=1, approval_required=False)
    register(client, app, "holder")
    register(client, app, "waiting")
    path = manage_path(app, "holder").replace("/confirm/", "/registration/")
    response = client.post(path, data={"mode": "online"}, follow_redirects=True)
    assert "Your registration is updated." in response.text
    assert statuses(app) == {
        "holder@example.org": ("approved", "online"),
        "waiting@example.org": ("approved", "in_person"),
    }


def test_switching_to_in_person_when_the_room_is_full_keeps_the_online_place(
    app: Flask, client: FlaskClient, ttf9: int
) -> None:
    open_registration(app, ttf9, in_person_capacity=1, approval_required=False)
    register(client, app, "holder")
    register(client, app, "online", mode="online")
    path = manage_path(app, "online").replace("/confirm/", "/registration/")
    response = client.post(path, data={"mode": "in_person"})
    assert "All in-person seats are taken. Your registration stays online." in response.text
    assert statuses(app)["online@example.org"] == ("approved", "online")


def test_raising_the_capacity_promotes_waiting_people(
    app: Flask, client: FlaskClient, ttf9: int
) -> None:
    open_registration(app, ttf9, in_person_capacity=1, approval_required=False)
    register(client, app, "holder")
    register(client, app, "waiting")
    open_registration(app, ttf9, in_person_capacity=2, approval_required=False)
    assert statuses(app)["waiting@example.org"] == ("waitlisted", "in_person")
    with app.app_context():
        job_id = db.session.scalars(db.select(Job.id).filter_by(kind=promotion.PROMOTE)).one()
        jobs.run(job_id)
    assert statuses(app)["waiting@example.org"] == ("approved", "in_person")


def test_rejection_frees_the_seat(app: Flask, client: FlaskClient, ttf9: int) -> None:
    open_registration(app, ttf9, in_person_capacity=1)
    register(client, app, "holder")
    register(client, app, "waiting")
    with app.app_context():
        holder = db.session.scalar(db.select(Registration).filter_by(email="holder@example.org"))
        assert holder is not None
        services.decide(holder, approve=False, reason="Not an expert of the field.")
    assert statuses(app)["waiting@example.org"] == ("pending", "in_person")


def test_seat_holding_statuses_are_pending_and_approved() -> None:
    registration = Registration(mode=AttendanceMode.IN_PERSON)
    held = set()
    for status in RegistrationStatus:
        registration.status = status
        if registration.holds_seat:
            held.add(status)
    assert held == {RegistrationStatus.PENDING, RegistrationStatus.APPROVED}
