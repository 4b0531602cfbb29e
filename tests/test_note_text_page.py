"""A note verbale's text as a web page beside each language's PDF (the PDFs are not tagged):
whoever may read the PDF reads the page, in the note's language, nobody else."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from registration.correspondence.models import NoteVerbale
from registration.database import db
from tests.correspondence_support import issued_note


def _file_ids(app: Flask, note_id: int) -> dict[str, int]:
    with app.app_context():
        note = db.session.get(NoteVerbale, note_id)
        assert note is not None
        assert note.document is not None
        enclosure = note.enclosure
        assert enclosure is not None
        files = {f.language: f.id for f in note.document.files}
        return {**files, "enclosure": enclosure.files[0].id}


def test_the_text_of_each_language_version_is_a_page(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    files = _file_ids(app, issued_note(app, make_conference(slug="ttf9")))

    russian = organizer_client.get(f"/documents/files/{files['ru']}/text").text
    assert '<article class="note-text" id="note-text" lang="ru">' in russian
    assert "направить отчет." in russian
    assert "№ТТФ/374" in russian
    assert f'href="/documents/files/{files["ru"]}"' in russian, "the PDF beside it"
    english = organizer_client.get(f"/documents/files/{files['en']}/text?lang=kk").text
    assert '<html lang="kk">' in english
    assert 'lang="en">' in english
    assert "forward herewith the Summary." in english

    enclosure = organizer_client.get(f"/documents/files/{files['enclosure']}/text")
    assert enclosure.status_code == 404, "only a note verbale has its text here"
    assert organizer_client.get("/documents/files/999999/text").status_code == 404


def test_a_visitor_is_asked_to_sign_in_for_a_note_kept_for_focal_points(
    app: Flask, client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    files = _file_ids(app, issued_note(app, make_conference(slug="ttf9")))
    response = client.get(f"/documents/files/{files['en']}/text")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]
