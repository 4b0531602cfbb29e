"""Notes verbales: drafts the organiser edits, issued under a register number as one PDF per
language (a document of the conference or series), never changed afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from registration.audit.recorder import record
from registration.conferences.models import Conference, Series
from registration.correspondence import register
from registration.correspondence.formulae import DEFAULTS, NOTE_LANGUAGES
from registration.correspondence.models import NoteStatus, NoteVerbale
from registration.correspondence.note_pdf import NoteLayout, note_pdf
from registration.database import db, utcnow
from registration.documents import services as documents
from registration.documents.models import (
    Document,
    DocumentKind,
    DocumentStatus,
    Visibility,
)
from registration.i18n import N_

TEXT_FIELDS = ("addressee", "body", "place", "addressee_block")
# Kazakh puts the number before the noun ("№ ТТФ/374 нота"), as the catalogue and the
# dispatch mail do; Russian after it ("Нота № ТТФ/374").
TITLES = {"en": "Note verbale No. {}", "ru": "Нота № {}", "kk": "№ {} нота"}


class NoteError(Exception):
    """A change refused; `field` names the form field it concerns (or "")."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class NoteData:
    """What the organiser wrote: the languages, and per language the four texts."""

    scheme_id: int
    languages: list[str]
    texts: dict[str, dict[str, str]]
    enclosure_id: int | None = None
    enclosure_pages: int | None = None


def default_texts(language: str) -> dict[str, str]:
    """A new note's texts in a language: addressed to the member states, empty body."""
    defaults = DEFAULTS[language]
    return {
        "addressee": defaults.addressee,
        "body": "",
        "place": defaults.place,
        "addressee_block": defaults.addressee_block,
    }


def _checked(data: NoteData) -> NoteData:
    languages = [code for code in NOTE_LANGUAGES if code in data.languages]
    if not languages:
        raise NoteError("languages", N_("Choose at least one language."))
    for code in languages:
        for name in TEXT_FIELDS:
            if not (data.texts.get(code, {}).get(name) or "").strip():
                raise NoteError(f"{code}_{name}", N_("Fill this in for every language chosen."))
    texts = {code: {n: data.texts[code][n].strip() for n in TEXT_FIELDS} for code in languages}
    return NoteData(data.scheme_id, languages, texts, data.enclosure_id, data.enclosure_pages)


def _enclosure_pages(data: NoteData) -> int | None:
    """The pages the enclosure line states: as given, else the enclosure's English PDF's."""
    if data.enclosure_id is None or data.enclosure_pages:
        return data.enclosure_pages if data.enclosure_id is not None else None
    enclosure = db.session.get(Document, data.enclosure_id)
    if enclosure is None:
        raise NoteError("enclosure", N_("That document no longer exists."))
    counted = [f.pages for f in enclosure.files_in_order if f.pages]
    return counted[0] if counted else None


def create_note(data: NoteData, owner: Conference | Series) -> NoteVerbale:
    """A draft note of a conference or series; commits."""
    checked = _checked(data)
    note = NoteVerbale(
        conference=owner if isinstance(owner, Conference) else None,
        series=owner if isinstance(owner, Series) else None,
    )
    _fill(note, checked)
    db.session.add(note)
    db.session.commit()
    return note


def update_note(note: NoteVerbale, data: NoteData) -> None:
    """Change a draft; an issued note is immutable (a correction takes a new number). A
    refusal (NoteError), here as in every function of this module, comes before anything is
    changed, so the session stays clean."""
    if note.is_issued:
        raise NoteError("", N_("An issued note cannot be changed: correct it with a new note."))
    _fill(note, _checked(data))
    db.session.commit()


def _fill(note: NoteVerbale, data: NoteData) -> None:
    """Write what the organiser said into the note; a refusal comes before any of it."""
    pages = _enclosure_pages(data)
    note.scheme_id = data.scheme_id
    note.languages = data.languages
    note.texts = data.texts
    note.enclosure_id = data.enclosure_id
    note.enclosure_pages = pages


def layout(note: NoteVerbale, language: str, day: date | None = None) -> NoteLayout:
    """What the language version shows (a draft: no number, today's date)."""
    text = note.text(language)
    return NoteLayout(
        language=language,
        reference=note.entry.reference(language) if note.entry else None,
        addressee=text["addressee"],
        body=text["body"],
        place=text["place"],
        addressee_block=text["addressee_block"],
        day=day or note.note_date or office_today(),
        enclosure_pages=note.enclosure_pages,
    )


def office_today(now: datetime | None = None) -> date:
    """The day in the Secretariat's office (OFFICE_TIMEZONE): the date of a note issued now."""
    return (now or utcnow()).astimezone(ZoneInfo(current_app.config["OFFICE_TIMEZONE"])).date()


def issue(
    note: NoteVerbale, issued_by_id: int | None, visibility: Visibility, day: date | None = None
) -> NoteVerbale:
    """Number the note, write one PDF per language as an issued document; one transaction.
    Dated today in the office's zone unless `day` says otherwise (a note entered late)."""
    if note.is_issued:
        raise NoteError("", N_("This note is issued already."))
    note.note_date = day or office_today()
    note.entry = register.take_number(
        note.scheme_id,
        N_("Note verbale: %(subject)s"),
        issued_by_id,
        subject_values={"subject": note.subjects()},
        conference_id=note.conference_id,
    )
    reference = note.entry.reference("en")
    document = Document(
        conference=note.conference,
        series=note.series,
        kind=DocumentKind.NOTE_VERBALE,
        titles={code: TITLES[code].format(note.entry.reference(code)) for code in note.languages},
        visibility=visibility,
        status=DocumentStatus.ISSUED,
        reference=reference,
        issued_at=utcnow(),
    )
    db.session.add(document)
    for code in note.languages:
        pdf = note_pdf(layout(note, code))
        documents.attach_file(document, code, f"{reference.replace('/', '-')}-{code}.pdf", pdf)
    note.document = document
    note.status = NoteStatus.ISSUED
    note.issued_at = utcnow()
    record(
        "correspondence.note_issued",
        subject_type="note_verbale",
        subject_id=note.id,
        subject=N_("No. %(number)s (%(languages)s)"),
        subject_values={
            "number": note.entry.references(),
            "languages": {"languages": list(note.languages)},
        },
        conference_id=note.conference_id,
    )
    db.session.flush()
    documents.announce_issued(document)
    db.session.commit()
    return note


def correct(note: NoteVerbale) -> NoteVerbale:
    """A new draft with the issued note's texts; the issued note stays as it was."""
    if not note.is_issued:
        raise NoteError("", N_("Only an issued note is corrected; edit this draft instead."))
    copy = NoteVerbale(
        scheme_id=note.scheme_id,
        conference_id=note.conference_id,
        series_id=note.series_id,
        languages=list(note.languages),
        texts={code: dict(texts) for code, texts in note.texts.items()},
        enclosure_id=note.enclosure_id,
        enclosure_pages=note.enclosure_pages,
        corrects_id=note.id,
    )
    db.session.add(copy)
    db.session.commit()
    return copy


def cancel(note: NoteVerbale, reason: str) -> None:
    """Cancel an issued note's number (it stays in the register) and withdraw its PDFs."""
    if note.entry is None:
        raise NoteError("", N_("Only an issued note has a number to cancel."))
    try:
        register.cancel(note.entry, reason, conference_id=note.conference_id)
    except register.RegisterError as error:
        raise NoteError("reason", str(error)) from None
    note.status = NoteStatus.CANCELLED
    if note.document is not None:
        note.document.status = DocumentStatus.WITHDRAWN
    db.session.commit()


def notes() -> list[NoteVerbale]:
    return list(db.session.scalars(db.select(NoteVerbale).order_by(NoteVerbale.id.desc())))
