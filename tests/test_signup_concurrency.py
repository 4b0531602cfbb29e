"""Many people registering at once never over-allocate seats (PostgreSQL row lock)."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask

from registration.database import db
from registration.signup import errors, services
from registration.signup.models import AttendanceMode, Registration
from tests.api_support import bearer, make_token
from tests.signup_support import form_data, member_id, open_registration

N, SEATS = 40, 10
pytestmark = pytest.mark.postgres


def final_statuses(app: Flask) -> Counter[tuple[str, str]]:
    with app.app_context():
        rows = db.session.scalars(db.select(Registration)).all()
        return Counter((r.status.value, r.mode.value) for r in rows)


def test_parallel_service_calls_fill_exactly_the_seats(
    app: Flask, members: None, make_conference: Callable[..., int]
) -> None:
    conference_id = make_conference(slug="rush")
    open_registration(app, conference_id, in_person_capacity=SEATS, approval_required=False)
    codes = ["KAZ", "CHN", "IND", "RUS", "TUR"]
    member_ids = [member_id(app, code) for code in codes]
    start = threading.Barrier(N)

    def one(i: int) -> str:
        with app.app_context():
            applicant = services.Applicant(
                name=f"Expert {i}",
                email=f"expert{i}@example.org",
                member_id=member_ids[i % len(member_ids)],
                mode=AttendanceMode.IN_PERSON,
            )
            start.wait()
            return services.register(conference_id, applicant).status.value

    with ThreadPoolExecutor(max_workers=N) as pool:
        results = list(pool.map(one, range(N)))
    assert Counter(results) == {"approved": SEATS, "waitlisted": N - SEATS}
    assert final_statuses(app) == {
        ("approved", "in_person"): SEATS,
        ("waitlisted", "in_person"): N - SEATS,
    }


def test_parallel_http_submissions_fill_exactly_the_seats_with_quotas(
    app: Flask, members: None, make_conference: Callable[..., int], csrf_enabled: None
) -> None:
    """Through the real form (GET, CSRF token, POST), each thread its own client."""
    conference_id = make_conference(slug="rush")
    open_registration(
        app,
        conference_id,
        in_person_capacity=SEATS,
        delegation_in_person_quota=3,
        approval_required=True,
    )
    codes = ["KAZ", "CHN", "IND", "RUS", "TUR"]
    member_ids = [member_id(app, code) for code in codes]
    start = threading.Barrier(N)

    def one(i: int) -> int:
        client = app.test_client()
        page = client.get("/conferences/rush/register").text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert token
        data = form_data(
            member_ids[i % len(member_ids)], email=f"expert{i}@example.org", name=f"Expert {i}"
        )
        data["csrf_token"] = token.group(1)
        start.wait()
        return client.post("/conferences/rush/register", data=data).status_code

    with ThreadPoolExecutor(max_workers=N) as pool:
        codes_returned = list(pool.map(one, range(N)))
    assert codes_returned == [302] * N  # every submission accepted, none lost, no 500
    assert final_statuses(app) == {
        ("pending", "in_person"): SEATS,
        ("waitlisted", "in_person"): N - SEATS,
    }
    with app.app_context():
        held = Counter(
            r.member_id for r in db.session.scalars(db.select(Registration)).all() if r.holds_seat
        )
    assert max(held.values()) <= 3


def test_a_double_submit_after_a_withdrawal_registers_once(
    app: Flask, members: None, make_conference: Callable[..., int]
) -> None:
    conference_id = make_conference(slug="rush")
    open_registration(app, conference_id, in_person_capacity=1, approval_required=False)
    applicant = services.Applicant(
        name="Aigerim", email="aigerim@example.org", member_id=member_id(app, "KAZ"),
        mode=AttendanceMode.IN_PERSON,
    )  # fmt: skip
    with app.app_context():
        services.withdraw(services.register(conference_id, applicant))
    start = threading.Barrier(8)

    def again(_: int) -> str:
        with app.app_context():
            start.wait()
            try:
                return services.register(conference_id, applicant).status.value
            except errors.DuplicateRegistrationError:
                return "duplicate"

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = Counter(pool.map(again, range(8)))
    assert results == {"approved": 1, "duplicate": 7}
    assert final_statuses(app) == {("approved", "in_person"): 1}, "not waiting for its own seat"


def test_parallel_api_registrations_fill_exactly_the_seats_with_quotas(
    app: Flask, members: None, make_conference: Callable[..., int], make_organizer
) -> None:
    """The same rush through the API: an organiser's token registers delegates on behalf
    of five states at once, each request its own client; the form's rules hold."""
    conference_id = make_conference(slug="rush")
    open_registration(app, conference_id, in_person_capacity=SEATS, delegation_in_person_quota=3)
    headers = bearer(make_token(app, make_organizer().id))
    codes = ["KAZ", "CHN", "IND", "RUS", "TUR"]
    start = threading.Barrier(N)

    def one(i: int) -> tuple[int, str]:
        client = app.test_client()
        body = {
            "name": f"Expert {i}",
            "email": f"expert{i}@example.org",
            "member": codes[i % len(codes)],
            "mode": "in_person",
        }
        start.wait()
        response = client.post("/api/v1/conferences/rush/registrations", json=body, headers=headers)
        return response.status_code, response.json["status"]

    with ThreadPoolExecutor(max_workers=N) as pool:
        answers = list(pool.map(one, range(N)))
    assert Counter(answers) == {(201, "approved"): SEATS, (201, "waitlisted"): N - SEATS}
    assert final_statuses(app) == {
        ("approved", "in_person"): SEATS,
        ("waitlisted", "in_person"): N - SEATS,
    }
    with app.app_context():
        held = Counter(
            r.member_id for r in db.session.scalars(db.select(Registration)).all() if r.holds_seat
        )
    assert max(held.values()) <= 3
