"""The badges PDF is built by a worker: the request answers with the job's page, which
offers the file once it is there; a job run again builds nothing twice."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.database import db
from registration.jobs import services as jobs
from registration.jobs.models import Job
from registration.signup.models import AttendanceMode
from tests.attendance_support import add_registration

pytestmark = pytest.mark.usefixtures("members")


def test_the_badges_pdf_is_offered_on_its_jobs_page_when_built(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    conference = make_conference(slug="ttf-9")
    add_registration(app, conference, "Aigerim Sadykova", member="KAZ")
    add_registration(app, conference, "Li Wei", member="CHN", mode=AttendanceMode.ONLINE)
    sheet = organizer_client.get("/manage/conferences/ttf-9/badges?member=KAZ")
    assert '<input type="hidden" name="member" value="KAZ">' in sheet.text
    asked = organizer_client.post("/manage/conferences/ttf-9/badges.pdf", data={"mode": "all"})
    page_path = asked.headers["Location"]
    job_id = page_path.rsplit("/", 1)[-1]
    page = organizer_client.get(page_path).text
    assert "Badges (PDF, 2): " in page
    russian = organizer_client.get(f"{page_path}?lang=ru").text
    assert "<h1>Бейджи (PDF, 2): " in russian, "the job's name in the page's language"
    organizer_client.get(f"{page_path}?lang=en")
    assert "<p data-download hidden>" in page
    counts = organizer_client.get(f"{page_path}/progress.json").json
    assert (counts["finished"], "download" in counts) == (False, False)
    download = f"/manage/mail/batches/{job_id}/download"
    assert organizer_client.get(download).status_code == 404

    with app.app_context():
        assert jobs.run(job_id) == 1
        assert jobs.again(job_id)
        db.session.commit()
        assert jobs.run(job_id) == 0  # the file is there: nothing built twice
        stored = db.session.get(Job, job_id).subject["file"]
    counts = organizer_client.get(f"{page_path}/progress.json").json
    assert (counts["finished"], counts["download"]) == (True, download)
    page = organizer_client.get(page_path).text
    assert "<p data-download>" in page
    assert "Download badges-ttf-9.pdf" in page
    response = organizer_client.get(download)
    assert response.data.startswith(b"%PDF")
    assert "badges-ttf-9.pdf" in response.headers["Content-Disposition"]
    with app.app_context():
        assert db.session.get(Job, job_id).subject["file"] == stored


def test_a_delegation_s_badges_and_an_unknown_delegation(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    make_conference(slug="ttf-9")
    unknown = organizer_client.post("/manage/conferences/ttf-9/badges.pdf", data={"member": "XX"})
    assert unknown.status_code == 404
    asked = organizer_client.post("/manage/conferences/ttf-9/badges.pdf", data={"member": "KAZ"})
    page = organizer_client.get(asked.headers["Location"]).text
    assert "Badges (PDF, 0): " in page
