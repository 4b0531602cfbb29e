"""An audit entry's subject is kept as a message and its values and worded in the reader's
language, on the log's page and in its CSV (register numbers in the language's script, the
conference's title and a note's first words in that language); a subject from before stays
as it was stored. "Registered" as an action and as a count of people are two messages."""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, pgettext

from registration.audit.models import AuditEntry
from registration.correspondence import register
from registration.database import db
from registration.delegates.models import VisaLetter
from tests.correspondence_support import issued_note
from tests.test_visa_letter_register import _issue

pytestmark = pytest.mark.usefixtures("members")
TITLES = {
    "en": "Ninth Meeting of the CICA Think Tank Forum",
    "ru": "Девятое заседание Форума аналитических центров СВМДА",
    "kk": "АӨСШК Сараптамалық орталықтар форумының тоғызыншы отырысы",
}
OLD_SUBJECT = "No. TTF/1: Note verbale: an entry written before subjects were messages"


def _subjects(letter: int) -> dict[str, tuple[str, ...]]:
    """What the log says about the letter's number, its revocation and the note, per language."""
    return {
        "ru": (
            f"№ ВЛ/1: Визовое письмо поддержки № {letter}: {TITLES['ru']}",
            "№ ВЛ/1",
            f"Визовое письмо поддержки № {letter} отозвано.",
            "№ ТТФ/374: Вербальная нота: направить отчет.",
            "№ ТТФ/374 (Английский, Русский, Казахский)",
        ),
        "kk": (
            f"№ ВЛ/1: № {letter} визалық қолдау хаты: {TITLES['kk']}",
            "№ ВЛ/1",
            f"№ {letter} визалық қолдау хаты кері қайтарылды.",
            "№ ТТФ/374: Вербалдық нота: қорытынды есебін жіберуді",
            "№ ТТФ/374 (Ағылшын тілі, Орыс тілі, Қазақ тілі)",
        ),
        "en": (
            f"No. VL/1: Visa support letter #{letter}: {TITLES['en']}",
            "No. VL/1",
            f"Visa support letter #{letter} revoked.",
            "No. TTF/374: Note verbale: forward herewith the Summary.",
            "No. TTF/374 (English, Russian, Kazakh)",
        ),
    }


@pytest.fixture
def logged(
    app: Flask,
    client: FlaskClient,
    organizer_client: FlaskClient,
    make_conference: Callable[..., int],
) -> int:
    """A visa letter numbered from a scheme, then revoked; a note verbale issued in three
    languages; an entry from before. Returns the letter's id."""
    translations = {code: {"title": TITLES[code]} for code in ("ru", "kk")}
    conference_id = make_conference(slug="ttf9", title=TITLES["en"], translations=translations)
    with app.app_context():
        scheme_id = register.create_scheme("VL", "Visa letters", "VL", "ВЛ", 1).id
    numbering = "/manage/conferences/ttf9/visa-letters/numbering"
    assert organizer_client.post(numbering, data={"scheme": str(scheme_id)}).status_code == 302
    _issue(app, client, organizer_client, "ttf9", "Aigerim Nurlanovna")
    with app.app_context():
        letter_id = db.session.scalars(db.select(VisaLetter.id)).one()
    revoke = f"/manage/conferences/ttf9/visa-letters/{letter_id}/revoke"
    assert organizer_client.post(revoke, data={"reason": "Wrong passport."}).status_code == 302
    issued_note(app, conference_id)
    with app.app_context():
        db.session.add(
            AuditEntry(
                actor_kind="organiser",
                actor="Test Organiser",
                action="correspondence.number_taken",
                conference_id=conference_id,
                subject_type="register_entry",
                subject=OLD_SUBJECT,
            )
        )
        db.session.commit()
    return letter_id


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_subjects_are_worded_in_the_reader_s_language(
    app: Flask, organizer_client: FlaskClient, logged: int, language: str
) -> None:
    said = _subjects(logged)
    page = html.unescape(
        organizer_client.get(f"/manage/conferences/ttf9/audit?lang={language}").text
    )
    for subject in said[language]:
        assert f">{subject}<" in page
    assert f">{OLD_SUBJECT}<" in page, "a subject from before is shown as stored"
    if language != "en":
        for english in said["en"]:
            assert english not in page

    body = organizer_client.get(f"/manage/conferences/ttf9/audit.csv?lang={language}").data
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    subjects = {row[5] for row in rows[1:]}  # the subject, sixth in every language
    notes = {row[7] for row in rows[1:]}
    assert {said[language][0], said[language][1], *said[language][3:]} <= subjects
    assert said[language][2] in notes
    assert OLD_SUBJECT in subjects


def test_entries_before_are_untouched_and_values_are_searched(
    app: Flask, organizer_client: FlaskClient, logged: int
) -> None:
    with app.app_context():
        old = db.session.scalars(db.select(AuditEntry).filter_by(subject=OLD_SUBJECT)).one()
        assert old.subject_values is None
        new = db.session.scalars(
            db.select(AuditEntry).filter_by(action="correspondence.note_issued")
        ).one()
        assert new.subject == "No. %(number)s (%(languages)s)"
        assert new.subject_values["languages"] == {"languages": ["en", "ru", "kk"]}
    found = html.unescape(
        organizer_client.get("/manage/conferences/ttf9/audit?lang=ru&text=TTF/374").text
    )
    assert "№ ТТФ/374 (Английский, Русский, Казахский)" in found
    assert "№ ВЛ/1" not in found


def test_registered_as_an_action_and_as_a_count_differ_in_kazakh(
    app: Flask, organizer_client: FlaskClient, logged: int
) -> None:
    with app.test_request_context(), force_locale("kk"):
        action = pgettext("audit action: a registration was made", "Registered")
        count = pgettext("statistics: people registered", "Registered")
    assert (action, count) == ("Тіркелді", "Тіркелгендер")
    log = organizer_client.get("/manage/conferences/ttf9/audit?lang=kk").text
    assert "Тіркелді" in log  # the letter's registration
    assert "Тіркелгендер" not in log
    figures = organizer_client.get("/manage/conferences/ttf9/attendance?lang=kk").text
    assert "Тіркелгендер" in figures
