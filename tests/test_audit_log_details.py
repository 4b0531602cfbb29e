"""The audit log's finer lines: speakers and moderators, texts per language, series edits, and
one person's certificate and badge images as exports of personal data."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from registration.conferences.models import Conference, ConferenceStatus
from registration.database import db
from tests.test_audit_log import aigerim, entries, ttf9  # noqa: F401 (a fixture)
from tests.test_conference_management import conference_form, panel_form


def test_speakers_and_moderators_are_logged_before_and_after(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    make_conference(slug="ttf-9", status=ConferenceStatus.DRAFT)
    organizer_client.post("/manage/conferences/ttf-9/panels/new", data=panel_form())
    panel_id = entries(app, action="panel.created")[0].subject_id
    organizer_client.post(
        f"/manage/conferences/ttf-9/panels/{panel_id}/edit",
        data=panel_form(speakers="Kairat Sarybay — Executive Director, CICA Secretariat"),
    )

    logged = entries(app, action="panel.people_changed")
    assert len(logged) == 2
    created, edited = logged
    assert {"field": "Moderators", "before": None,
            "after": "Chen Dongxiao — President, Shanghai Institutes for International Studies"
            } in created.changes  # fmt: skip
    assert edited.changes == [
        {
            "field": "Speakers",
            "before": "Kairat Sarybay — Executive Director, CICA Secretariat; Bolat Nurgaliyev",
            "after": "Kairat Sarybay — Executive Director, CICA Secretariat",
        }
    ]
    assert (edited.subject_id, edited.actor) == (panel_id, "Test Organiser")
    page = organizer_client.get("/manage/conferences/ttf-9/audit").text
    assert "Speakers or moderators changed" in page
    assert "Bolat Nurgaliyev → Kairat Sarybay" in page


def test_texts_in_other_languages_are_logged_per_language(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    make_conference(slug="ttf-9", status=ConferenceStatus.DRAFT)
    organizer_client.post(
        "/manage/conferences/ttf-9/edit",
        data=conference_form(slug="ttf-9", title_ru="Девятое заседание", city_kk="Шанхай"),
    )
    organizer_client.post(
        "/manage/conferences/ttf-9/edit",
        data=conference_form(slug="ttf-9", title_ru="Девятая встреча", city_kk="Шанхай"),
    )

    first, second = entries(app, action="conference.edited")
    assert {"field": "Title", "language": "ru", "before": None,
            "after": "Девятое заседание"} in first.changes  # fmt: skip
    assert {"field": "City", "language": "kk", "before": None, "after": "Шанхай"} in first.changes
    assert second.changes == [
        {
            "field": "Title",
            "language": "ru",
            "before": "Девятое заседание",
            "after": "Девятая встреча",
        }
    ]
    with app.app_context():
        assert db.session.scalar(db.select(Conference.translations)) == {
            "ru": {"title": "Девятая встреча"},
            "kk": {"city": "Шанхай"},
        }


def test_series_edits_are_logged(app: Flask, organizer_client: FlaskClient) -> None:
    organizer_client.post(
        "/manage/series/new",
        data={"name": "CICA Think Tank Forum", "short_name": "TTF", "slug": "ttf"},
    )
    organizer_client.post(
        "/manage/series/ttf/edit",
        data={
            "name": "CICA Think Tank Forum",
            "name_ru": "Форум аналитических центров СВМДА",
            "short_name": "TTF",
            "slug": "cica-ttf",
        },
    )
    logged = entries(app, subject_type="series")
    assert [e.action for e in logged] == ["series.created", "series.edited"]
    assert {"field": "Address", "before": "ttf", "after": "cica-ttf"} in logged[1].changes
    assert {"field": "Name", "language": "ru", "before": None,
            "after": "Форум аналитических центров СВМДА"} in logged[1].changes  # fmt: skip
    assert logged[1].actor == "Test Organiser"
    assert "Series edited" in organizer_client.get("/manage/audit?group=conference").text


def test_one_person_s_certificate_and_badge_images_are_exports(
    app: Flask,
    ttf9: int,  # noqa: F811 (the fixture)
    organizer_client: FlaskClient,
) -> None:
    registration_id = aigerim(app)
    base = f"/manage/conferences/ttf9/registrations/{registration_id}"
    organizer_client.post(base, data={"decision": "approve"})
    with app.app_context():
        panel_id = db.session.get(Conference, ttf9).panels[0].id
    scan = {"registration_id": registration_id, "client_id": "cert-0001", "panel_id": panel_id}
    assert (
        organizer_client.post("/manage/conferences/ttf9/checkin/api/scan", json=scan).status_code
        == 200
    )
    for path in ("certificate.pdf", "badge.png", "badge.svg", "badge"):
        assert organizer_client.get(f"{base}/{path}").status_code == 200, path

    logged = entries(app, action="export.personal_data")
    assert [(e.subject, e.registration_id, e.note_words()) for e in logged] == [
        ("Certificate (PDF)", registration_id, "People: 1"),
        ("Badge image (PNG)", registration_id, "People: 1"),
        ("Badge image (SVG)", registration_id, "People: 1"),
        ("Badge (page to print)", registration_id, "People: 1"),
    ]
    assert "Personal data exported" in organizer_client.get(base).text
