"""The message a dispatch sends: a subject and a short covering text in the address's
languages, the note's text in them (the PDFs are not tagged, so a screen reader may read them
out of order: the message's own text is their accessible version), the note's PDFs in those
languages and the enclosure's versions in them; composed by the worker that sends it, from the
intent the dispatch queued for the address (`delivery_mail`)."""

from __future__ import annotations

from typing import Any

from registration.correspondence.dispatch_models import DispatchDelivery
from registration.correspondence.formulae import official_date
from registration.correspondence.models import NoteVerbale
from registration.correspondence.note_pdf import note_lines
from registration.correspondence.notes import layout
from registration.database import db
from registration.documents.models import Document, DocumentFile
from registration.mail.compose import Attachment, Mail
from registration.mail.composers import composes

DISPATCH_MAIL = "correspondence.dispatch"

COVER = {
    "en": "The Secretariat of the Conference on Interaction and Confidence Building Measures in "
    "Asia (CICA) transmits herewith note verbale No. {number} of {date}{enclosed}.",
    "ru": "Секретариат СВМДА направляет ноту № {number} от {date}{enclosed}.",
    "kk": "АӨСШК Хатшылығы {date} № {number} нотаны{enclosed} жібереді.",
}
SEPARATOR = "* * *"  # between the cover and each language's text of the note
ENCLOSED = {"en": " with its enclosure", "ru": " с приложением", "kk": " қосымшасымен"}
# The subject in the same languages as the cover, joined by " / " (the sender's names as the
# cover words them: CICA is СВМДА in Russian and АӨСШК in Kazakh).
SUBJECT = {
    "en": "Note verbale No. {number} · CICA Secretariat",
    "ru": "Нота № {number} · Секретариат СВМДА",
    "kk": "№ {number} нота · АӨСШК Хатшылығы",
}


def _versions(document: Document | None, languages: list[str]) -> list[DocumentFile]:
    """The document's files in these languages; the English (or any) one if none of them."""
    if document is None or not document.files:
        return []
    chosen = [f for f in document.files_in_order if f.language in languages]
    return chosen or [document.file("en") or document.files_in_order[0]]


def _attachment(version: DocumentFile) -> Attachment:
    maintype, subtype = version.format.mimetype.split("/", 1)
    return Attachment(version.filename, version.content, maintype, subtype)


def dispatch_mail(note: NoteVerbale, to: str, languages: list[str]) -> Mail:
    """The note to one address; languages the note lacks fall back to English."""
    assert note.entry is not None
    assert note.note_date is not None
    spoken = [code for code in languages if code in note.languages] or ["en"]
    lines = []
    for code in spoken:
        enclosed = ENCLOSED[code] if note.enclosure is not None else ""
        lines.append(
            COVER[code].format(
                number=note.entry.reference(code),
                date=official_date(note.note_date, code),
                enclosed=enclosed,
            )
        )
    texts = ["\n\n".join(text for _, text in note_lines(layout(note, code))) for code in spoken]
    files = _versions(note.document, spoken) + _versions(note.enclosure, spoken)
    return Mail(
        to=to,
        subject=" / ".join(
            SUBJECT[code].format(number=note.entry.reference(code)) for code in spoken
        ),
        text=f"\n\n{SEPARATOR}\n\n".join(["\n\n".join(lines), *texts]) + "\n",
        attachments=[_attachment(version) for version in files],
    )


@composes(DISPATCH_MAIL)
def delivery_mail(intent: dict[str, Any]) -> Mail | None:
    """The message of an intent {delivery}: the note to that address in its languages."""
    delivery = db.session.get(DispatchDelivery, intent["delivery"])
    if delivery is None:
        return None
    return dispatch_mail(delivery.dispatch.note, delivery.email, list(delivery.languages))
