"""The job progress page speaks of each kind of job as its reader expects: mail sent ("Sent 0
of 5,000."), a file built ("Built."), people promoted, decisions, reminders; a job that
failed says so, why, and what to do (run it again), in English, Russian and Kazakh."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.database import db
from registration.jobs import services as jobs
from registration.jobs.models import Job, JobState
from registration.signup.models import RegistrationStatus
from tests.attendance_support import add_registration
from tests.signup_support import open_registration

pytestmark = pytest.mark.usefixtures("members")
PAGE = "/manage/mail/batches/{}"


def a_job(app: Flask, conference: int, kind: str, **fields: object) -> str:
    with app.app_context():
        job = jobs.start(kind, "A job", conference_id=conference)
        for name, value in fields.items():
            setattr(job, name, value)
        db.session.commit()
        return job.id


def test_mail_sent_counts_in_the_reader_s_words_and_numbers(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    conference = make_conference(slug="ttf-9")
    moved = a_job(app, conference, "calendars.panels_changed", total=5000)
    reminders = a_job(app, conference, "calendars.reminders", total=120)
    page = organizer_client.get(PAGE.format(moved)).text
    assert "Sent 0 of 5,000." in page
    assert "Sending in the background; this page updates itself." in page
    assert organizer_client.get(PAGE.format(moved) + "/progress.json").json["summary"] == (
        "Sent 0 of 5,000."
    )
    assert "Sent 0 of 120 reminders." in organizer_client.get(PAGE.format(reminders)).text
    russian = organizer_client.get(PAGE.format(moved) + "?lang=ru").text
    assert "Отправлено: 0 из 5\xa0000." in russian
    kazakh = organizer_client.get(PAGE.format(reminders) + "?lang=kk").text
    assert "Жіберілген еске салулар: 120 ішінен 0." in kazakh


def test_a_built_file_and_people_promoted(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    conference = make_conference(slug="ttf-9")
    open_registration(app, conference, in_person_capacity=1, approval_required=False)
    add_registration(app, conference, "Holder", member="KAZ")
    for name in ("Kaz Two", "Chn One"):
        add_registration(app, conference, name, status=RegistrationStatus.WAITLISTED)
    asked = organizer_client.post("/manage/conferences/ttf-9/badges.pdf", data={"mode": "all"})
    badges = asked.headers["Location"].rsplit("/", 1)[-1]
    assert "Working in the background" in organizer_client.get(PAGE.format(badges)).text
    with app.app_context():
        jobs.run(badges)
    page = organizer_client.get(PAGE.format(badges)).text
    assert "Built." in page
    assert "Finished." in page
    assert "Outbox and dead letters" not in page, "a file job sends no mail"

    saved = organizer_client.post(
        "/manage/conferences/ttf-9/registration/settings",
        data={
            "opens_at": "2020-11-01T09:00",
            "closes_at": "2040-11-01T09:00",
            "in_person_capacity": "3",
        },
    )
    promoting = saved.headers["Location"].rsplit("/", 1)[-1]
    with app.app_context():
        assert jobs.run(promoting) == 2
    page = organizer_client.get(PAGE.format(promoting)).text
    assert "Promoted 2 people from the waiting list; told 0 of them." in page
    kazakh = organizer_client.get(PAGE.format(promoting) + "?lang=kk").text
    assert "Күту тізімінен 2 адам ауыстырылды; хабарланғаны: 0." in kazakh


def test_a_failed_job_says_why_and_what_to_do(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    conference = make_conference(slug="ttf-9")
    broken = a_job(
        app,
        conference,
        "attendance.badges",
        state=JobState.FAILED,
        attempts=5,
        last_error="OSError: [Errno 28] No space left on device",
    )
    page = organizer_client.get(PAGE.format(broken)).text
    assert "This job failed." in page
    assert "No space left on device" in page
    assert "give the reason above to the service&#39;s administrators" in page
    assert "Download" not in page
    counts = organizer_client.get(PAGE.format(broken) + "/progress.json").json
    assert (counts["finished"], counts["job_failed"], counts["failed"]) == (True, True, 1)

    swept = a_job(
        app, conference, "invitations.invite", state=JobState.FAILED, attempts=5,
        last_error="out of attempts",
    )  # fmt: skip
    russian = organizer_client.get(PAGE.format(swept) + "?lang=ru").text
    assert "Эта задача не выполнена." in russian
    assert "Попыток: 5, ни одна не завершилась" in russian
    assert "Запустить снова" in russian

    again = organizer_client.post(PAGE.format(swept) + "/again?lang=en", follow_redirects=True)
    assert "The job runs again." in again.text
    with app.app_context():
        assert db.session.get(Job, swept).state is JobState.QUEUED


def test_a_job_is_named_in_the_page_language_with_its_title(
    app: Flask,
    organizer_client: FlaskClient,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
) -> None:
    from registration.conferences.changes import tell_attendees

    conference = make_conference(slug="ttf-9")
    panel = make_panel(conference, title="Opening", translations={"kk": {"title": "Ашылу"}})
    with app.app_context():
        moved = tell_attendees(conference, "Calendar updates: Opening", [panel], panel_id=panel)
        cancelled = tell_attendees(conference, "Cancellation: the meeting", [panel], cancelled=True)
        db.session.commit()
    kazakh = organizer_client.get(PAGE.format(moved) + "?lang=kk").text
    assert "<h1>Күнтізбе жаңартулары: Ашылу</h1>" in kazakh
    russian = organizer_client.get(PAGE.format(cancelled) + "?lang=ru").text
    assert '<h1>Отмена: <span lang="en">' in russian, "the conference's title, in English only"
    english = organizer_client.get(PAGE.format(moved) + "?lang=en").text
    assert "<h1>Calendar updates: Opening</h1>" in english
