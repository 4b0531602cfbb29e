"""The note verbale composer: three language versions as PDFs whose text (pdftotext) carries
the number, the formulae and the date in each language's official style; an issued note is
immutable, a correction takes a new number."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.correspondence import formulae, notes, register
from registration.correspondence.models import NoteVerbale
from registration.database import db
from registration.documents.models import Document, DocumentFile
from tests import services
from tests.document_support import new_document, pdf_bytes, upload

EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]  # fmt: skip
RU_MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
             "сентября", "октября", "ноября", "декабря"]  # fmt: skip
KK_MONTHS = ["қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз",
             "қыркүйек", "қазан", "қараша", "желтоқсан"]  # fmt: skip

BODIES = {
    "en": "forward herewith the Summary of the Ninth Meeting of the CICA Think Tank Forum "
    "(TTF), prepared by the Chair of the TTF – Shanghai Institutes for International Studies."
    "\n\nThe outcome documents of the Meeting are available in the open part of the CICA "
    'Secretariat\'s website, section "CICA Think Tank Forum".',
    "ru": "направить отчет 9-го заседания Форума аналитических центров СВМДА (ФАЦ), "
    "подготовленный председателем Форума – Шанхайским институтом международных исследований.",
    "kk": "АӨСШК-тің Талдау орталықтары форумының (ТОФ) төрағасы – Шанхай халықаралық "
    "зерттеулер институты ұсынған 9-отырыстың қорытынды есебін жіберуді",
}
PLACES = {"en": "Astana", "ru": "город Астана", "kk": "Астана қаласы"}


def pdf_text(data: bytes) -> str:
    """The PDF's text as pdftotext (poppler) reads it, whitespace folded."""
    if shutil.which("pdftotext") is None:
        services.missing("needs poppler's pdftotext (apt-get install poppler-utils)")
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    return " ".join(out.stdout.decode("utf-8").split())


def expected_date(day: date, language: str) -> str:
    if language == "ru":
        return f"{day.day} {RU_MONTHS[day.month - 1]} {day.year} г."
    if language == "kk":
        return f"{day.year} жылғы {day.day} {KK_MONTHS[day.month - 1]}"
    return f"{day.day} {EN_MONTHS[day.month - 1]} {day.year}"


def test_the_date_is_written_in_each_language_s_official_style() -> None:
    day = date(2022, 3, 28)
    assert formulae.place_and_date("Nur-Sultan", day, "en") == "Nur-Sultan, 28 March 2022"
    assert (
        formulae.place_and_date("город Нур-Султан", day, "ru")
        == "город Нур-Султан, 28 марта 2022 г."
    )
    assert (
        formulae.place_and_date("Нұр-Сұлтан қаласы", day, "kk")
        == "Нұр-Сұлтан қаласы, 2022 жылғы 28 наурыз"
    )


@pytest.fixture
def ttf9(app: Flask, make_conference, make_series) -> int:  # type: ignore[no-untyped-def]
    series_id = make_series(slug="ttf")
    conference_id = make_conference(slug="ttf9", series_id=series_id)
    with app.app_context():
        register.create_scheme("TTF", "CICA Think Tank Forum", "TTF", "ТТФ", 374)
    return conference_id


def scheme_id(app: Flask) -> int:
    with app.app_context():
        return register.schemes()[0].id


def note_form(app: Flask, enclosure_id: int | None = None, **changes: str) -> dict[str, object]:
    data: dict[str, object] = {
        "scheme": scheme_id(app),
        "languages": ["en", "ru", "kk"],
        "enclosure": str(enclosure_id or ""),
        "enclosure_pages": "",
    }
    for code in ("en", "ru", "kk"):
        defaults = notes.default_texts(code)
        data.update({f"{code}_{name}": value for name, value in defaults.items()})
        data[f"{code}_body"] = BODIES[code]
        data[f"{code}_place"] = PLACES[code]
    data.update(changes)
    return data


def summary_enclosure(client: FlaskClient) -> int:
    document_id = new_document(client, "conferences/ttf9")
    upload(client, document_id, "en", pdf_bytes(pages=8), "summary.pdf")
    return document_id


def compose(app: Flask, client: FlaskClient, **changes: str) -> int:
    enclosure = summary_enclosure(client)
    response = client.post(
        "/manage/conferences/ttf9/notes/new", data=note_form(app, enclosure, **changes)
    )
    assert response.status_code == 302, response.text
    return int(response.headers["Location"].rstrip("/").rpartition("/")[2])


def issue(client: FlaskClient, note_id: int) -> None:
    response = client.post(f"/manage/notes/{note_id}/issue", data={"visibility": "public"})
    assert response.status_code == 302


def issued_pdfs(app: Flask, note_id: int) -> dict[str, bytes]:
    with app.app_context():
        note = db.session.get(NoteVerbale, note_id)
        assert note is not None
        assert note.document is not None
        return {f.language: f.content for f in note.document.files}


def test_an_issued_note_has_one_pdf_per_language_with_number_formulae_and_date(
    app: Flask, organizer_client: FlaskClient, ttf9: int
) -> None:
    note_id = compose(app, organizer_client)
    issue(organizer_client, note_id)
    pdfs = issued_pdfs(app, note_id)
    assert set(pdfs) == {"en", "ru", "kk"}
    with app.app_context():
        today = notes.office_today()
    en, ru, kk = (pdf_text(pdfs[code]) for code in ("en", "ru", "kk"))
    for text in (en, ru, kk):  # the bilingual letterhead
        assert "SECRETARIAT OF THE CONFERENCE ON INTERACTION AND CONFIDENCE BUILDING" in text
        assert "MEASURES IN ASIA" in text
        assert "СЕКРЕТАРИАТ СОВЕЩАНИЯ ПО ВЗАИМОДЕЙСТВИЮ И МЕРАМ ДОВЕРИЯ В АЗИИ" in text
    assert "№TTF/374" in en
    assert "presents its compliments to the CICA Member States and has the honour to forward" in en
    assert (
        "avails itself of this opportunity to renew to the CICA Member States the assurances" in en
    )
    assert "the assurances of its highest consideration." in en
    assert "Enclosure: as stated, on 8 p." in en
    assert f"Astana, {expected_date(today, 'en')}" in en
    assert "№ТТФ/374" in ru
    assert "свидетельствует свое уважение государствам-членам СВМДА и имеет честь" in ru
    assert "пользуется случаем, чтобы возобновить государствам-членам СВМДА уверения" in ru
    assert "в своем весьма высоком уважении." in ru
    assert "Приложение: упомянутое, на 8 л." in ru
    assert f"город Астана, {expected_date(today, 'ru')}" in ru
    assert "№ТТФ/374" in kk
    assert "АӨСШК мүше мемлекеттеріне өзінің зор ілтипатын білдіре отырып," in kk
    assert "есебін жіберуді өзіне мәртебе санайды." in kk
    assert "осы мүмкіндікті пайдалана отырып, АӨСШК мүше мемлекеттеріне өзінің зор" in kk
    assert "ілтипатын тағы да растайды." in kk
    assert "Қосымша: аталған 8 п" in kk
    assert f"Астана қаласы, {expected_date(today, 'kk')}" in kk
    assert "МҮШЕ МЕМЛЕКЕТТЕРІ" in kk


def test_the_issued_note_s_title_orders_the_number_as_its_language_does(
    app: Flask, organizer_client: FlaskClient, ttf9: int
) -> None:
    """Kazakh puts the number before the noun, as the dispatch mail's subject and the pages
    do ("№ ТТФ/374 нота"); Russian after it."""
    note_id = compose(app, organizer_client)
    issue(organizer_client, note_id)
    with app.app_context():
        document = db.session.get(NoteVerbale, note_id).document
        titles = {code: document.shown("title", code).text for code in ("en", "ru", "kk")}
    assert titles == {
        "en": "Note verbale No. TTF/374",
        "ru": "Нота № ТТФ/374",
        "kk": "№ ТТФ/374 нота",
    }


def test_an_issued_note_is_immutable_and_a_correction_takes_a_new_number(
    app: Flask, organizer_client: FlaskClient, ttf9: int
) -> None:
    note_id = compose(app, organizer_client)
    issue(organizer_client, note_id)
    before = issued_pdfs(app, note_id)
    edited = organizer_client.post(
        f"/manage/notes/{note_id}", data=note_form(app, en_body="say something else.")
    )
    assert edited.status_code == 200
    assert issued_pdfs(app, note_id) == before
    with app.app_context():
        note = db.session.get(NoteVerbale, note_id)
        assert note is not None
        with pytest.raises(notes.NoteError):
            notes.update_note(
                note, notes.NoteData(note.scheme_id, ["en"], {"en": notes.default_texts("en")})
            )
    corrected = organizer_client.post(f"/manage/notes/{note_id}/correct")
    assert corrected.status_code == 302
    correction_id = int(corrected.headers["Location"].rpartition("/")[2])
    organizer_client.post(
        f"/manage/notes/{correction_id}",
        data=note_form(app, en_body="forward herewith the corrected Summary."),
    )
    issue(organizer_client, correction_id)
    assert "№TTF/375" in pdf_text(issued_pdfs(app, correction_id)["en"])
    assert "the corrected Summary" in pdf_text(issued_pdfs(app, correction_id)["en"])
    assert issued_pdfs(app, note_id) == before
    page = organizer_client.get(f"/manage/notes/{correction_id}").text
    assert "corrects No. TTF/374" in page


def test_a_language_chosen_needs_its_body(
    app: Flask, organizer_client: FlaskClient, ttf9: int
) -> None:
    response = organizer_client.post(
        "/manage/conferences/ttf9/notes/new",
        data=note_form(app, kk_body="", en_body="keep this text"),
    )
    assert response.status_code == 200
    assert 'class="error-summary"' in response.text
    assert "keep this text" in response.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(NoteVerbale)) == 0


def test_a_refused_edit_of_a_draft_changes_nothing_of_it(
    app: Flask, organizer_client: FlaskClient, ttf9: int
) -> None:
    created = organizer_client.post("/manage/conferences/ttf9/notes/new", data=note_form(app))
    assert created.status_code == 302
    with app.app_context():
        note = db.session.scalars(db.select(NoteVerbale)).one()
        texts = note.texts
        gone = notes.NoteData(note.scheme_id, ["en"], {"en": texts["en"]}, enclosure_id=10**9)
        with pytest.raises(notes.NoteError, match="no longer exists"):
            notes.update_note(note, gone)  # the enclosure was deleted meanwhile
        assert not db.session.dirty  # the service leaves nothing for its caller to roll back
        assert (note.languages, note.texts, note.enclosure_id) == (["en", "ru", "kk"], texts, None)


def test_a_cancelled_note_keeps_its_number_and_its_pdfs_leave_the_public_page(
    app: Flask, organizer_client: FlaskClient, ttf9: int
) -> None:
    note_id = compose(app, organizer_client)
    issue(organizer_client, note_id)
    assert "TTF/374" in app.test_client().get("/conferences/ttf9/documents").text
    response = organizer_client.post(
        f"/manage/notes/{note_id}/cancel", data={"reason": "Wrong enclosure"}
    )
    assert response.status_code == 302
    assert "TTF/374" not in app.test_client().get("/conferences/ttf9/documents").text
    register_page = organizer_client.get(f"/manage/register/{scheme_id(app)}").text
    assert "Wrong enclosure" in register_page
    with app.app_context():
        assert (
            db.session.scalar(db.select(Document.status).filter_by(reference="TTF/374")).value
            == "withdrawn"
        )


def test_a_draft_preview_is_a_pdf_without_a_number(
    app: Flask, organizer_client: FlaskClient, ttf9: int
) -> None:
    note_id = compose(app, organizer_client)
    preview = organizer_client.get(f"/manage/notes/{note_id}/ru.pdf")
    assert preview.mimetype == "application/pdf"
    text = pdf_text(preview.data)
    assert "№…" in text
    assert "ТТФ/374" not in text
    with app.app_context():
        assert (
            db.session.scalar(
                db.select(db.func.count())
                .select_from(DocumentFile)
                .join(Document)
                .filter(Document.kind == "note_verbale")
            )
            == 0
        )


def test_the_office_time_zone_is_a_setting(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """A note is dated with the day in the office (OFFICE_TIMEZONE, Asia/Almaty by default)."""
    from datetime import UTC, datetime

    from registration import config

    evening = datetime(2026, 12, 5, 21, 0, tzinfo=UTC)
    with app.app_context():
        assert app.config["OFFICE_TIMEZONE"] == "Asia/Almaty"
        assert notes.office_today(evening) == date(2026, 12, 6)
        monkeypatch.setitem(app.config, "OFFICE_TIMEZONE", "Europe/Lisbon")
        assert notes.office_today(evening) == date(2026, 12, 5)
    monkeypatch.setenv("OFFICE_TIMEZONE", "America/New_York")
    assert config.load(app.instance_path)["OFFICE_TIMEZONE"] == "America/New_York"
    monkeypatch.setenv("OFFICE_TIMEZONE", "Astana")
    with pytest.raises(ValueError, match="OFFICE_TIMEZONE='Astana' is not an IANA time zone"):
        config.load(app.instance_path)


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_register_names_an_issued_note_s_subject_in_the_page_s_language(
    app: Flask, organizer_client: FlaskClient, ttf9: int, language: str
) -> None:
    note_id = compose(app, organizer_client)
    issue(organizer_client, note_id)
    page = organizer_client.get(f"/manage/register/{scheme_id(app)}?lang={language}").text
    first_words = BODIES[language].split("\n")[0][:60]
    assert first_words in page.replace("&#39;", "'")
    others = {code: BODIES[code][:60] for code in BODIES if code != language}
    assert not [code for code, words in others.items() if words in page]
