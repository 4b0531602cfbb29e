"""Bulk actions on the organiser's registration list: the request writes one job and answers;
the worker decides each registration through the single decision's service (same rules,
audit entries and mails), reports who could not be decided and why, and a job run again
decides and sends nothing twice. Focal points act on their delegation only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, update

from registration.audit.models import AuditEntry
from registration.database import db
from registration.jobs import services as jobs
from registration.jobs.models import Job, JobState
from registration.mail.models import OutgoingMail
from registration.signup.bulk import BULK
from registration.signup.models import FocalPoint, Registration, RegistrationStatus
from registration.staff.roles import Role
from tests.attendance_support import add_registration
from tests.conftest import PASSWORD
from tests.signup_support import body, mails, member_id, open_registration
from tests.staff_support import make_staff

pytestmark = pytest.mark.usefixtures("members")
LIST = "/manage/conferences/ttf9/registrations"
PENDING, WAITLISTED, APPROVED = (
    RegistrationStatus.PENDING,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.APPROVED,
)


@pytest.fixture
def people(app: Flask, make_conference: Callable[..., int]) -> dict[str, int]:
    conference = make_conference(slug="ttf9")
    open_registration(app, conference)
    return {
        name: add_registration(app, conference, name, member=member, status=status)
        for name, member, status in (
            ("Aigerim Nurlanovna", "KAZ", PENDING),
            ("Li Wei", "CHN", PENDING),
            ("Anna Ivanova", "KAZ", PENDING),
            ("Omar Haddad", "KAZ", WAITLISTED),
            ("Sara Khan", "KAZ", APPROVED),
        )
    }


def _statuses(app: Flask) -> dict[str, RegistrationStatus]:
    with app.app_context():
        return {r.name: r.status for r in db.session.scalars(db.select(Registration))}


def _job(app: Flask) -> str:
    with app.app_context():
        return db.session.scalars(db.select(Job.id).filter_by(kind=BULK)).one()


def _run(app: Flask, job_id: str) -> int:
    with app.app_context():
        return jobs.run(job_id)


def _run_again(app: Flask, job_id: str) -> int:
    """The job published once more (a lost acknowledgement, the sweeper) and run again."""
    with app.app_context():
        db.session.execute(update(Job).where(Job.id == job_id).values(state=JobState.QUEUED))
        db.session.commit()
        return jobs.run(job_id)


def _counts(app: Flask) -> tuple[int, int]:
    with app.app_context():
        mail = db.session.scalar(db.select(func.count()).select_from(OutgoingMail))
        audit = db.session.scalar(db.select(func.count()).select_from(AuditEntry))
        return mail or 0, audit or 0


def test_approve_many_reports_who_could_not_and_a_rerun_changes_and_sends_nothing(
    app: Flask, organizer_client: FlaskClient, people: dict[str, int]
) -> None:
    ticked = [str(i) for i in people.values()]
    asked = organizer_client.post(
        LIST, data={"scope": "selected", "action": "approve", "registration": ticked}
    )
    assert asked.status_code == 303
    assert _statuses(app)["Li Wei"] is PENDING, "the request only writes the job"
    page = organizer_client.get(asked.location)
    assert page.status_code == 200
    assert "Working in the background" in page.text

    assert _run(app, _job(app)) == 3
    statuses = _statuses(app)
    assert [statuses[n] for n in ("Aigerim Nurlanovna", "Li Wei", "Anna Ivanova")] == [APPROVED] * 3
    assert statuses["Omar Haddad"] is WAITLISTED
    page = organizer_client.get(asked.location).text
    assert "3 approved." in page
    refused = "1 could not be approved: Only pending registrations can be approved; this one is"
    assert f'{refused} waitlisted. <span class="hint">(Omar Haddad)' in page
    assert f'{refused} approved. <span class="hint">(Sara Khan)' in page
    progress = organizer_client.get(f"{asked.location}/progress.json").json
    assert progress["finished"] is True
    assert (progress["done"], progress["failed"], progress["total"]) == (3, 2, 5)
    assert progress["summary"] == "3 approved, 2 could not be approved."

    approved = mails(app, "li.wei@example.org")
    assert [m["Subject"].strip() for m in approved] == [
        "Your registration for Ninth Meeting of the CICA Think Tank Forum is approved"
    ]
    with app.app_context():
        entries = db.session.scalars(
            db.select(AuditEntry).filter_by(action="registration.approved")
        ).all()
        assert len(entries) == 3
        assert {(e.actor_kind, e.actor) for e in entries} == {("organiser", "Test Organiser")}
        started = db.session.scalars(db.select(AuditEntry).filter_by(action="registration.bulk"))
        assert [e.subject_words() for e in started] == [
            "Approve the chosen registrations (5): Ninth Meeting of the CICA Think Tank Forum"
        ]

    before = _counts(app)
    assert _run_again(app, _job(app)) == 0
    assert _counts(app) == before, "a job run again decides, mails and records nothing twice"


def test_reject_all_matching_the_filter_with_one_reason(
    app: Flask, organizer_client: FlaskClient, people: dict[str, int]
) -> None:
    asked = organizer_client.post(
        f"{LIST}?status=pending&member={member_id(app, 'KAZ')}",
        data={"scope": "filter", "action": "reject", "reason": "The room is full."},
    )
    assert asked.status_code == 303
    with app.app_context():
        conference_id = db.session.scalar(db.select(Registration.conference_id).limit(1))
    late = add_registration(app, conference_id, "Late Comer", status=PENDING)
    assert _run(app, _job(app)) == 2
    statuses = _statuses(app)
    assert statuses["Aigerim Nurlanovna"] is statuses["Anna Ivanova"] is RegistrationStatus.REJECTED
    assert statuses["Li Wei"] is PENDING, "another member: outside the filter"
    assert statuses["Late Comer"] is PENDING, "registered after the organiser asked"
    assert late
    rejected = mails(app, "anna.ivanova@example.org")[-1]
    assert "The room is full." in body(rejected)
    assert "2 rejected." in organizer_client.get(asked.location).text


def test_the_general_progress_page_counts_the_registrations_decided(
    app: Flask, organizer_client: FlaskClient, people: dict[str, int]
) -> None:
    ticked = [str(i) for i in people.values()]
    organizer_client.post(
        LIST, data={"scope": "selected", "action": "approve", "registration": ticked}
    )
    general = f"/manage/mail/batches/{_job(app)}"
    waiting = organizer_client.get(f"{general}/progress.json").json
    assert (waiting["total"], waiting["done"], waiting["finished"]) == (5, 0, False)
    _run(app, _job(app))
    finished = organizer_client.get(f"{general}/progress.json").json
    assert (finished["total"], finished["done"], finished["failed"]) == (5, 3, 2)
    assert finished["finished"] is True
    assert "5 of 5" in organizer_client.get(general).text


def test_write_to_the_ticked_people(
    app: Flask, organizer_client: FlaskClient, people: dict[str, int]
) -> None:
    ticked = [str(people["Li Wei"]), str(people["Sara Khan"])]
    asked = organizer_client.post(
        LIST,
        data={
            "scope": "selected",
            "action": "write",
            "message_subject": "Shuttle from the airport",
            "body": "A shuttle leaves at 9:00 from Terminal 2.",
            "registration": ticked,
        },
    )
    assert asked.status_code == 303
    job_id = _job(app)
    assert _run(app, job_id) == 2
    message = mails(app, "sara.khan@example.org")[-1]
    assert message["Subject"] == "Shuttle from the airport"
    assert "A shuttle leaves at 9:00 from Terminal 2." in body(message)
    assert "http://localhost/conferences/ttf9/" in body(message)
    assert mails(app, "anna.ivanova@example.org") == []
    with app.app_context():
        assert jobs.progress(job_id).total == 2, "the general progress counts its messages"
    before = _counts(app)
    assert _run_again(app, job_id) == 0
    assert _counts(app) == before
    assert "2 written to." in organizer_client.get(asked.location).text


def test_a_form_with_mistakes_comes_back_with_the_ticks_kept_and_no_job(
    app: Flask, organizer_client: FlaskClient, people: dict[str, int]
) -> None:
    ticked = str(people["Li Wei"])
    refused = organizer_client.post(
        LIST, data={"scope": "selected", "action": "reject", "registration": [ticked]}
    )
    assert refused.status_code == 422
    assert "Give a reason for the rejection" in refused.text
    assert f'value="{ticked}" id="select-{ticked}" form="bulk-form" checked' in refused.text
    nothing = organizer_client.post(LIST, data={"scope": "selected", "action": "approve"})
    assert nothing.status_code == 422
    assert "Choose at least one registration" in nothing.text
    with app.app_context():
        assert db.session.scalar(db.select(func.count()).select_from(Job)) == 0


def _signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    signed = client.post("/account/login", data={"email": email, "password": PASSWORD})
    assert signed.status_code == 302
    return client


def test_roles_and_focal_points_act_only_where_they_may(
    app: Flask, people: dict[str, int], make_organizer: Callable[..., object]
) -> None:
    with app.app_context():
        conference_id = db.session.scalar(db.select(Registration.conference_id).limit(1))
    make_staff(app, "observer@cica.example", Role.OBSERVER, conference_id)
    make_staff(app, "reviewer@cica.example", Role.REVIEWER, conference_id)
    ids = [str(i) for i in people.values()]
    everyone = {"scope": "selected", "action": "approve", "registration": ids}
    observer = _signed_in(app, "observer@cica.example")
    assert 'id="bulk-form"' not in observer.get(LIST).text
    assert observer.post(LIST, data=everyone).status_code == 403
    reviewer = _signed_in(app, "reviewer@cica.example")
    assert 'id="bulk-form"' in reviewer.get(LIST).text

    user = make_organizer("focal@mfa.kz.example", organizer=False)
    with app.app_context():
        kaz = member_id(app, "KAZ")
        db.session.add(FocalPoint(user_id=user.id, conference_id=conference_id, member_id=kaz))
        db.session.commit()
    focal = _signed_in(app, "focal@mfa.kz.example")
    assert focal.post(LIST, data=everyone).status_code == 403
    asked = focal.post("/delegation/ttf9/", data=everyone)
    assert asked.status_code == 303
    assert _run(app, _job(app)) == 2
    statuses = _statuses(app)
    assert statuses["Aigerim Nurlanovna"] is statuses["Anna Ivanova"] is APPROVED
    assert statuses["Li Wei"] is PENDING, "another delegation's registration is left alone"
    assert "2 approved." in focal.get(asked.location).text
    assert reviewer.get(asked.location).status_code == 403, "a focal point's page is their own"
    job_id = _job(app)
    assert focal.get(f"/manage/conferences/ttf9/registrations/bulk/{job_id}").status_code == 403
    with app.app_context():
        actors = db.session.scalars(
            db.select(AuditEntry.actor_kind).filter_by(action="registration.approved")
        ).all()
        assert set(actors) == {"focal point"}


def test_the_outcome_page_words_the_job_and_its_refusals_in_the_page_language(
    app: Flask, organizer_client: FlaskClient, people: dict[str, int]
) -> None:
    """The label, the outcome lines and the refusals are stored as messages and values, and
    worded when shown: the same job reads in Russian and in Kazakh."""
    ticked = [str(i) for i in people.values()]
    asked = organizer_client.post(
        LIST, data={"scope": "selected", "action": "approve", "registration": ticked}
    )
    _run(app, _job(app))
    russian = organizer_client.get(f"{asked.location}?lang=ru").text
    assert "<h1>Утвердить 5 регистраций: " in russian
    assert "3 регистрации утверждены." in russian
    refused = "1 регистрацию не удалось утвердить: Утвердить можно только регистрацию на"
    assert f"{refused} рассмотрении; эта находится в листе ожидания." in russian
    progress = organizer_client.get(f"{asked.location}/progress.json?lang=kk").json
    assert progress["summary"] == "3 тіркеу бекітілді, 2 тіркеуді бекіту мүмкін болмады."
    general = organizer_client.get(f"/manage/mail/batches/{_job(app)}?lang=kk").text
    assert "<h1>5 тіркеуді бекіту: " in general
    with app.app_context():
        assert db.session.scalars(db.select(Job.label)).one() == (
            "Approve 5 registrations: Ninth Meeting of the CICA Think Tank Forum"
        ), "the stored label stays English, for the audit log"
