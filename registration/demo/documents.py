"""Demo documents and correspondence: the Summary of the Ninth Meeting of the CICA Think Tank
Forum, issued and public on the meeting's documents page (the enclosure of note verbale
No. TTF/374), the TTF numbering scheme of the register, and that note itself, issued and dispatched
to the member states' demo contacts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from registration.conferences.models import Conference
from registration.correspondence import dispatch as dispatching
from registration.correspondence import notes, register
from registration.correspondence.dispatch_models import Dispatch
from registration.correspondence.formulae import NOTE_LANGUAGES
from registration.correspondence.models import NoteVerbale, NumberingScheme, RegisterEntry
from registration.database import db
from registration.documents import services
from registration.documents.models import Document, DocumentKind, DocumentStatus, Visibility
from registration.documents.typeset import text_pdf

MEETING = "cica-ttf-9"
SUMMARY_TITLES = {
    "en": "Summary of the Ninth Meeting of the CICA Think Tank Forum",
    "ru": "Отчет 9-го заседания Форума аналитических центров СВМДА",
    "kk": "АӨСШК Талдау орталықтары форумының 9-отырысының қорытынды есебі",
}
SUMMARY_TEXT = Path(__file__).with_name("ttf9_summary.txt")


def seed_summary() -> Document:
    """The summary as an issued public document with its English version (upserted by its
    English title)."""
    conference = db.session.scalar(db.select(Conference).filter_by(slug=MEETING))
    if conference is None:
        raise LookupError(f"the demo conference {MEETING} is missing")
    document = next(
        (d for d in services.documents_of(conference) if d.title == SUMMARY_TITLES["en"]),
        None,
    )
    if document is None:
        data = services.DocumentData(DocumentKind.SUMMARY, SUMMARY_TITLES, Visibility.PUBLIC)
        document = services.create_document(data, conference=conference)
    if document.file("en") is None:
        paragraphs = SUMMARY_TEXT.read_text(encoding="utf-8").split("\n\n")
        pdf = text_pdf(SUMMARY_TITLES["en"], paragraphs, "en")
        services.add_file(document, "en", "ttf9-summary-en.pdf", pdf)
    if document.status is not DocumentStatus.ISSUED:
        services.set_status(document, DocumentStatus.ISSUED)
    return document


def seed_register() -> NumberingScheme:
    """The Think Tank Forum's numbering scheme, TTF/ТТФ, going on from No. 374."""
    scheme = db.session.scalar(db.select(NumberingScheme).filter_by(code="TTF"))
    if scheme is None:
        scheme = register.create_scheme("TTF", "CICA Think Tank Forum", "TTF", "ТТФ", 374)
    return scheme


NOTE_BODIES = {
    "en": "forward herewith the Summary of the Ninth Meeting of the CICA Think Tank Forum (TTF), "
    "prepared by the Chair of the TTF – Shanghai Institutes for International Studies.\n\n"
    "The outcome documents of the Meeting are available in the open part of the CICA "
    "Secretariat's website, section “CICA Think Tank Forum”.",
    "ru": "направить отчет 9-го заседания Форума аналитических центров СВМДА (ФАЦ), "
    "подготовленный председателем Форума – Шанхайским институтом международных исследований."
    "\n\nИтоговые документы заседания также доступны для ознакомления в открытой части "
    "веб-сайта Секретариата СВМДА в разделе «Форум аналитических центров СВМДА».",
    "kk": "АӨСШК-тің Талдау орталықтары форумының (ТОФ) төрағасы – Шанхай халықаралық "
    "зерттеулер институты ұсынған 9-отырыстың қорытынды есебін жіберуді\n\n"
    "Қорытынды құжаттар АӨСШК Хатшылығы веб-сайтының ашық бөлімінде «АӨСШК-тің талдау "
    "орталықтарының форумы» тарауында қолжетімді болады.",
}
NOTE_PLACES = {"en": "Nur-Sultan", "ru": "город Нур-Султан", "kk": "Нұр-Сұлтан қаласы"}
NOTE_DATE = date(2022, 3, 28)


def seed_note(scheme: NumberingScheme, summary: Document) -> NoteVerbale:
    """Note verbale No. TTF/374 of 28 March 2022 in three languages, the summary enclosed,
    issued to the member states' focal points (once: an issued note is never changed)."""
    existing = db.session.scalar(
        db.select(NoteVerbale).join(NoteVerbale.entry).where(RegisterEntry.number == 374)
    )
    if existing is not None:
        return existing
    texts = {}
    for code in NOTE_LANGUAGES:
        texts[code] = notes.default_texts(code)
        texts[code].update(body=NOTE_BODIES[code], place=NOTE_PLACES[code])
    data = notes.NoteData(scheme.id, list(NOTE_LANGUAGES), texts, summary.id)
    note = notes.create_note(data, summary.conference or scheme.series)  # type: ignore[arg-type]
    return notes.issue(note, None, Visibility.FOCAL_POINTS, day=NOTE_DATE)


def seed_dispatch(note: NoteVerbale) -> Dispatch:
    """The note dispatched to every member state's demo contacts (once)."""
    existing = db.session.scalar(db.select(Dispatch).filter_by(note_id=note.id))
    return existing or dispatching.start(note, None, None)
