"""The waiting list: raised limits promote in a job (in order, within the quotas, nobody
twice), other edits of the settings start none; a freed place promotes the next in line in
the request, looking at a few only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func

from registration.database import db
from registration.jobs import services as jobs
from registration.jobs.models import Job
from registration.mail.models import OutgoingMail
from registration.signup import promotion, services
from registration.signup.models import Registration, RegistrationStatus
from tests.attendance_support import add_registration
from tests.signup_support import open_registration

pytestmark = pytest.mark.usefixtures("members")
APPROVED, WAITLISTED = RegistrationStatus.APPROVED, RegistrationStatus.WAITLISTED
SETTINGS = "/manage/conferences/ttf9/registration/settings"


@pytest.fixture
def ttf9(app: Flask, make_conference: Callable[..., int]) -> int:
    conference = make_conference(slug="ttf9")
    open_registration(app, conference, in_person_capacity=1, approval_required=False)
    add_registration(app, conference, "Holder", member="KAZ", status=APPROVED)
    for name, member in (("Kaz Two", "KAZ"), ("Kaz Three", "KAZ"), ("Chn One", "CHN")):
        add_registration(app, conference, name, member=member, status=WAITLISTED)
    return conference


def _statuses(app: Flask) -> dict[str, RegistrationStatus]:
    with app.app_context():
        return {r.name: r.status for r in db.session.scalars(db.select(Registration))}


def _promotion_jobs(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(db.select(Job.id).filter_by(kind=promotion.PROMOTE)))


def _mails(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(db.select(func.count()).select_from(OutgoingMail)) or 0


def test_raising_the_capacity_promotes_in_a_job_in_order_within_the_quotas(
    app: Flask, organizer_client: FlaskClient, ttf9: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    response = organizer_client.post(
        SETTINGS,
        data={
            "opens_at": "2020-11-01T09:00",
            "closes_at": "2040-11-01T09:00",
            "approval_required": "",
            "in_person_capacity": "3",
            "delegation_in_person_quota": "2",
        },
        follow_redirects=True,
    )
    assert "Promoting who fits from the 3 people on the waiting list." in response.text
    assert "Promoting from the waiting list (3 waiting)" in response.text
    assert _statuses(app)["Kaz Two"] is WAITLISTED  # not in the request
    [job_id] = _promotion_jobs(app)
    kazakh = organizer_client.get(f"/manage/mail/batches/{job_id}?lang=kk").text
    assert "<h1>Күту тізімінен ауыстыру (3 адам күтуде): " in kazakh
    organizer_client.get(f"/manage/mail/batches/{job_id}?lang=en")
    before = _mails(app)
    monkeypatch.setattr(promotion, "CHUNK", 1)  # one waiting person per locked chunk
    with app.app_context():
        assert jobs.run(job_id) == 2
        assert jobs.progress(job_id).total == 2
    assert _statuses(app) == {
        "Holder": APPROVED,
        "Kaz Two": APPROVED,
        "Kaz Three": WAITLISTED,  # KAZ's in-person quota of 2 is full
        "Chn One": APPROVED,
    }
    assert _mails(app) == before + 2
    with app.app_context():
        assert jobs.again(job_id)
        db.session.commit()
        assert jobs.run(job_id) == 0
    assert _mails(app) == before + 2


def test_a_withdrawal_promotes_the_first_who_fits_without_a_job(app: Flask, ttf9: int) -> None:
    with app.app_context():
        holder = db.session.scalars(db.select(Registration).filter_by(name="Holder")).one()
        services.withdraw(holder)
    assert _statuses(app)["Kaz Two"] is APPROVED
    assert _statuses(app)["Kaz Three"] is WAITLISTED
    assert _promotion_jobs(app) == []


def test_a_withdrawal_looks_at_the_next_few_in_line_and_leaves_the_rest_to_a_job(
    app: Flask, ttf9: int
) -> None:
    open_registration(
        app, ttf9, in_person_capacity=1, delegation_in_person_quota=1, approval_required=False
    )
    assert _promotion_jobs(app) == []  # a quota set where there was none frees no place
    for n in range(promotion.LOOKAHEAD):
        add_registration(app, ttf9, f"Kaz {n + 10}", member="KAZ", status=WAITLISTED)
    add_registration(app, ttf9, "Ind Late", member="IND", status=WAITLISTED)
    with app.app_context():
        holder = db.session.scalars(db.select(Registration).filter_by(name="Holder")).one()
        services.withdraw(holder)
    assert _statuses(app)["Kaz Two"] is APPROVED  # the first who fits, in the request
    [job_id] = _promotion_jobs(app)
    with app.app_context():
        assert jobs.run(job_id) == 0  # the seat is taken: Ind Late waits on
    assert _statuses(app)["Ind Late"] is WAITLISTED


def _save(client: FlaskClient, **changes: str) -> str:
    """Save the settings as the form does: ttf9's values unless `changes` says otherwise."""
    data = {
        "opens_at": "2020-11-01T09:00",
        "closes_at": "2040-11-01T09:00",
        "approval_required": "",
        "in_person_capacity": "1",
        **changes,
    }
    return client.post(SETTINGS, data=data, follow_redirects=True).text


def test_edits_that_free_no_place_start_no_promotion(
    app: Flask, organizer_client: FlaskClient, ttf9: int
) -> None:
    for changes in (
        {"closes_at": "2041-01-01T09:00"},  # a date
        {"approval_required": "y"},
        {"in_person_capacity": "1", "delegation_total_quota": "5"},  # a limit set, none raised
        {"in_person_capacity": "1", "delegation_total_quota": "3"},  # lowered
    ):
        page = _save(organizer_client, **changes)
        assert "Registration settings saved." in page, changes
        assert "Promoting who fits" not in page, changes
    assert _promotion_jobs(app) == []


@pytest.mark.parametrize(
    "changes",
    [
        {"in_person_capacity": "2"},  # raised
        {"in_person_capacity": ""},  # removed: no limit
        {"in_person_capacity": "2", "delegation_total_quota": "3"},  # raised, another set
    ],
)
def test_a_raised_or_removed_limit_starts_the_promotion(
    app: Flask, organizer_client: FlaskClient, ttf9: int, changes: dict[str, str]
) -> None:
    page = _save(organizer_client, **changes)
    assert "Promoting who fits from the 3 people on the waiting list." in page
    assert len(_promotion_jobs(app)) == 1


def test_a_raised_quota_starts_the_promotion(
    app: Flask, organizer_client: FlaskClient, ttf9: int
) -> None:
    _save(organizer_client, in_person_capacity="", delegation_in_person_quota="1")
    with app.app_context():
        db.session.execute(db.delete(Job))
        db.session.commit()
    page = _save(organizer_client, in_person_capacity="", delegation_in_person_quota="2")
    assert "Promoting who fits" in page
    assert len(_promotion_jobs(app)) == 1
