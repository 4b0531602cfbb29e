"""Demo documents and correspondence: the Summary of the Ninth Meeting of the CICA Think Tank
Forum, issued and public on the meeting's documents page (the enclosure of note verbale
No. TTF/374), and the TTF numbering scheme of the register."""

from __future__ import annotations

from pathlib import Path

from registration.conferences.models import Conference
from registration.correspondence import register
from registration.correspondence.models import NumberingScheme
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
        (d for d in services.documents_of(conference) if d.title("en") == SUMMARY_TITLES["en"]),
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
