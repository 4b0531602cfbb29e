"""An issued note verbale with its enclosure, and member states' contacts, for the dispatch
tests."""

from __future__ import annotations

from flask import Flask

from registration.conferences.models import Conference
from registration.correspondence import notes, register
from registration.database import db
from registration.directory.models import Contact, ContactKind, Member
from registration.documents import services as documents
from registration.documents.models import DocumentKind, Visibility
from tests.document_support import pdf_bytes


def issued_note(app: Flask, conference_id: int) -> int:
    """Note No. TTF/374 in en/ru/kk enclosing an 8-page summary (en and ru versions)."""
    with app.app_context():
        conference = db.session.get(Conference, conference_id)
        assert conference is not None
        scheme = register.create_scheme("TTF", "CICA Think Tank Forum", "TTF", "ТТФ", 374)
        summary = documents.create_document(
            documents.DocumentData(
                DocumentKind.SUMMARY, {"en": "Summary of the Ninth Meeting"}, Visibility.PUBLIC
            ),
            conference=conference,
        )
        documents.add_file(summary, "en", "summary-en.pdf", pdf_bytes(pages=8))
        documents.add_file(summary, "ru", "summary-ru.pdf", pdf_bytes("Отчет", pages=8))
        texts = {}
        for code in ("en", "ru", "kk"):
            texts[code] = notes.default_texts(code)
            texts[code]["body"] = {"en": "forward herewith the Summary.", "ru": "направить отчет.",
                                   "kk": "қорытынды есебін жіберуді"}[code]  # fmt: skip
        data = notes.NoteData(scheme.id, ["en", "ru", "kk"], texts, summary.id)
        note = notes.create_note(data, conference)
        notes.issue(note, None, Visibility.FOCAL_POINTS)
        return note.id


def add_contact(app: Flask, code: str, email: str, languages: list[str]) -> None:
    with app.app_context():
        member = db.session.scalar(db.select(Member).filter_by(code=code))
        assert member is not None
        db.session.add(
            Contact(
                member=member,
                kind=ContactKind.MFA,
                name=f"Ministry of Foreign Affairs of {member.name}",
                email=email,
                languages=languages,
            )
        )
        db.session.commit()
