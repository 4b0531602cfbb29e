"""An audit entry's note is kept as a message and its values and worded in the reader's
language, on the log's page and in its CSV; a note from before stays as it was stored."""

from __future__ import annotations

import csv
import html
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.audit.models import AuditEntry
from registration.conferences.models import Conference
from registration.database import db
from tests.test_audit_log import aigerim, ttf9  # noqa: F401 (the fixture)

NOTES = {
    "ru": (
        "Человек: 1",
        "Energy security (Hall A): Регистрация вручную",
        "Сессия: Energy security (Hall A)",
    ),
    "kk": (
        "Адам саны: 1",
        "Energy security (Hall A): Қолмен тіркеу",
        "Сессия: Energy security (Hall A)",
    ),
}
ENGLISH = ("People: 1", "Manual check-in", "Panel: Energy security (Hall A)")


def _check_in_and_out(app: Flask, client: FlaskClient) -> None:
    """An export, a check-in and its undoing, and an entry written before notes were kept
    as messages (its English text, no values)."""
    assert client.get("/manage/conferences/ttf9/registrations.csv").status_code == 200
    client.post(
        f"/manage/conferences/ttf9/registrations/{aigerim(app)}", data={"decision": "approve"}
    )
    with app.app_context():
        conference = db.session.scalars(db.select(Conference).filter_by(slug="ttf9")).one()
        panel_id, conference_id = conference.panels[0].id, conference.id
        old = AuditEntry(
            actor_kind="organiser",
            actor="Test Organiser",
            action="export.personal_data",
            conference_id=conference_id,
            subject_type="export",
            subject="Registrations (CSV)",
            note="3 people",
        )
        db.session.add(old)
        db.session.commit()
    scan = {"registration_id": aigerim(app), "client_id": "note-0001", "panel_id": panel_id}
    api = "/manage/conferences/ttf9/checkin/api"
    assert client.post(f"{api}/scan", json=scan).status_code == 200
    assert client.post(f"{api}/undo", json={"client_id": "note-0001"}).status_code == 200


@pytest.mark.usefixtures("ttf9")
@pytest.mark.parametrize("language", ["ru", "kk"])
def test_notes_are_worded_in_the_reader_s_language(
    app: Flask,
    organizer_client: FlaskClient,
    language: str,
) -> None:
    _check_in_and_out(app, organizer_client)
    page = html.unescape(
        organizer_client.get(f"/manage/conferences/ttf9/audit?lang={language}").text
    )
    for note in NOTES[language]:
        assert note in page
    for english in ENGLISH:
        assert english not in page
    assert '<small class="hint" lang="en">3 people</small>' in page  # as it was stored

    body = organizer_client.get(f"/manage/conferences/ttf9/audit.csv?lang={language}").data
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    notes = [row[7] for row in rows[1:]]  # the note, eighth in every language
    assert set(NOTES[language]) <= set(notes)
    assert "3 people" in notes
    english = organizer_client.get("/manage/conferences/ttf9/audit?lang=en").text
    assert "Energy security (Hall A): Manual check-in" in english
    assert "People: 1" in english
