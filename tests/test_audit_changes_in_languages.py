"""An audit entry's change lines in the reader's language: the field's label translated, a text
in another language named by its language ("Атауы (Қазақ тілі)"), times kept as UTC instants
and written in the page's language in the conference's zone with its label, on the log's
page, in its CSV and in a registration's history; lines stored before in words still read
so. And the register names a note verbale's kind in the page's language."""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.audit.models import AuditEntry
from registration.conferences.models import Conference, ConferenceStatus
from registration.correspondence import register
from registration.database import db
from registration.signup.models import Registration
from tests.conftest import at
from tests.test_audit_log import aigerim, entries, ttf9  # noqa: F401 (the fixture)
from tests.test_conference_management import conference_form

NNBSP = "\u202f"  # CLDR's narrow no-break space between a year and its abbreviation
SHANGHAI = "(Asia/Shanghai, UTC+08:00)"
LINES = {
    "ru": (
        "Название (Казахский): — → Тоғызыншы отырыс",
        f"Начало: 28 декабря 2030{NNBSP}г., 09:00 {SHANGHAI}"
        f" → 28 декабря 2030{NNBSP}г., 10:30 {SHANGHAI}",
        "Название (Казахский): — → Ескі атау",  # stored before, in words
        f"Открытие: 1 декабря 2030{NNBSP}г., 12:00 {SHANGHAI} → —",
    ),
    "kk": (
        "Атауы (Қазақ тілі): — → Тоғызыншы отырыс",
        f"Басталуы: 2030{NNBSP}ж. 28 желтоқсан, 09:00 {SHANGHAI}"
        f" → 2030{NNBSP}ж. 28 желтоқсан, 10:30 {SHANGHAI}",
        "Атауы (Қазақ тілі): — → Ескі атау",
        f"Ашылуы: 2030{NNBSP}ж. 1 желтоқсан, 12:00 {SHANGHAI} → —",
    ),
}


def _edit_and_an_old_entry(app: Flask, client: FlaskClient, conference_id: int) -> None:
    """A Kazakh title and a later start through the edit form, and an entry written before
    lines kept the language and times apart."""
    client.post(
        "/manage/conferences/ttf-9/edit",
        data=conference_form(
            slug="ttf-9", title_kk="Тоғызыншы отырыс", starts_at="2030-12-28T10:30"
        ),
    )
    with app.app_context():
        db.session.add(
            AuditEntry(
                actor_kind="organiser",
                actor="Test Organiser",
                action="conference.edited",
                conference_id=conference_id,
                subject_type="conference",
                subject="Ninth Meeting",
                changes=[
                    {"field": "Title (kk)", "before": None, "after": "Ескі атау"},
                    {"field": "Opens", "before": "2030-12-01 04:00 UTC", "after": None},
                ],
            )
        )
        db.session.commit()


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_change_lines_are_in_the_reader_s_language(
    app: Flask,
    organizer_client: FlaskClient,
    make_conference: Callable[..., int],
    language: str,
) -> None:
    conference_id = make_conference(slug="ttf-9", status=ConferenceStatus.DRAFT)
    _edit_and_an_old_entry(app, organizer_client, conference_id)

    edited = entries(app, action="conference.edited")[0]
    assert {"field": "Title", "language": "kk", "before": None,
            "after": "Тоғызыншы отырыс"} in edited.changes  # fmt: skip
    assert {"field": "Starts", "before": "2030-12-28T01:00+00:00",
            "after": "2030-12-28T02:30+00:00", "kind": "time"} in edited.changes  # fmt: skip

    page = html.unescape(
        organizer_client.get(f"/manage/conferences/ttf-9/audit?lang={language}").text
    )
    for line in LINES[language]:
        assert f"<li>{line}</li>" in page
    for english in ("Title (kk)", "04:00 UTC", "Starts", "Opens"):
        assert english not in page

    body = organizer_client.get(f"/manage/conferences/ttf-9/audit.csv?lang={language}").data
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    changes = "\n".join(row[6] for row in rows[1:])  # the changes, seventh in every language
    for line in LINES[language]:
        assert line.replace(" → ", " -> ") in changes


@pytest.mark.usefixtures("ttf9")
def test_a_registration_s_history_writes_its_times_in_the_page_s_language(
    app: Flask, organizer_client: FlaskClient
) -> None:
    registration_id = aigerim(app)
    with app.app_context():
        db.session.get(Registration, registration_id).email_confirmed_at = at("2030-12-20 06:15")
        db.session.commit()
        shanghai = db.session.scalars(db.select(Conference.timezone)).one()
    assert shanghai == "Asia/Shanghai"

    path = f"/manage/conferences/ttf9/registrations/{registration_id}?lang=kk"
    page = html.unescape(organizer_client.get(path).text)
    confirmed = f"Мекенжай расталды: — → 2030{NNBSP}ж. 20 желтоқсан, 14:15 {SHANGHAI}"
    assert f"<li>{confirmed}</li>" in page


@pytest.mark.parametrize(
    ("language", "kind"),
    [("en", "Note verbale"), ("ru", "Вербальная нота"), ("kk", "Вербалдық нота")],
)
def test_the_register_names_a_note_verbale_in_the_page_s_language(
    app: Flask, organizer_client: FlaskClient, language: str, kind: str
) -> None:
    """The register keeps a note's subject in English words ("Note verbale: ..."), as every
    entry before: the page says the kind in its language; a letter's subject stays as typed."""
    with app.app_context():
        scheme_id = register.create_scheme("TTF", "CICA Think Tank Forum", "TTF", "ТТФ", 374).id
        note = register.take_number(scheme_id, "Note verbale: Summary of the Ninth Meeting")
        register.take_number(scheme_id, "Letter to the Ministry")
        db.session.commit()
        note_id = note.id

    page = html.unescape(organizer_client.get(f"/manage/register/{scheme_id}?lang={language}").text)
    assert f"<td>{kind}: Summary of the Ninth Meeting</td>" in page
    assert "<td>Letter to the Ministry</td>" in page
    cancel = organizer_client.get(f"/manage/register/entries/{note_id}/cancel?lang={language}")
    assert f"<p>{kind}: Summary of the Ninth Meeting</p>" in html.unescape(cancel.text)
