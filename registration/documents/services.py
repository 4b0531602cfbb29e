"""Documents: creating them, their language versions, who may read them, what pages list."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from registration.audit.recorder import record, text_subject
from registration.conferences.models import Conference, Series
from registration.database import db, utcnow
from registration.documents.models import (
    DOCUMENT_LANGUAGES,
    Document,
    DocumentFile,
    DocumentKind,
    DocumentStatus,
    FileFormat,
    Visibility,
)
from registration.i18n import N_, translate
from registration.jobs.events import announce
from registration.uploads import UploadError, read_document

FILENAME_MAX = 200


class DocumentError(Exception):
    """A change refused; `field` names the form field it concerns (or ""); `message` is marked
    (N_) or, for a file we cannot read, the upload's English words, its `upload` kept so the
    page shows it in its language: `translated()`."""

    def __init__(self, field_name: str, message: str, upload: UploadError | None = None) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message
        self.upload = upload

    def translated(self) -> str:
        return self.upload.translated() if self.upload else translate(self.message)


@dataclass(frozen=True)
class DocumentData:
    """What an organiser says about a document (titles by language code)."""

    kind: DocumentKind
    titles: dict[str, str]
    visibility: Visibility


@dataclass(frozen=True)
class Reader:
    """Who is reading: an organiser, a focal point of these conferences, a participant
    registered at these (through their personal link), or anybody."""

    organizer: bool = False
    focal_point_of: frozenset[int] = field(default_factory=frozenset)
    participant_of: frozenset[int] = field(default_factory=frozenset)

    def may_read(self, document: Document) -> bool:
        if self.organizer:
            return True
        if document.status is not DocumentStatus.ISSUED:
            return False
        return document.visibility in self.audience(document)

    def audience(self, document: Document) -> set[Visibility]:
        """The visibilities this reader may see among the documents of its owner."""
        if self.organizer:
            return set(Visibility)
        audience = {Visibility.PUBLIC}
        if _concerns(document, self.focal_point_of):
            audience |= {Visibility.PARTICIPANTS, Visibility.FOCAL_POINTS}
        if _concerns(document, self.participant_of):
            audience.add(Visibility.PARTICIPANTS)
        return audience


def _concerns(document: Document, conference_ids: frozenset[int]) -> bool:
    """The document is of one of these conferences, or of the series of one of them."""
    if document.conference_id is not None:
        return document.conference_id in conference_ids
    series = document.series
    return series is not None and any(c.id in conference_ids for c in series.conferences)


def _checked_titles(titles: dict[str, str]) -> dict[str, str]:
    kept = {code: titles[code].strip() for code in DOCUMENT_LANGUAGES if titles.get(code)}
    if not kept.get("en"):
        raise DocumentError("title_en", N_("Give the document a title in English."))
    return kept


def create_document(
    data: DocumentData, *, conference: Conference | None = None, series: Series | None = None
) -> Document:
    """A draft document of a conference or a series; commits."""
    if (conference is None) == (series is None):
        raise ValueError("a document belongs to one conference or one series")
    document = Document(
        conference=conference,
        series=series,
        kind=data.kind,
        titles=_checked_titles(data.titles),
        visibility=data.visibility,
    )
    db.session.add(document)
    db.session.commit()
    return document


def update_document(document: Document, data: DocumentData) -> None:
    """Change kind, titles and visibility; commits. An issued note verbale stays as issued.
    A refusal (DocumentError) comes before anything is changed, as in every function here,
    so the session stays clean."""
    if document.kind is DocumentKind.NOTE_VERBALE and document.reference:
        raise DocumentError("", N_("An issued note verbale cannot be changed."))
    titles = _checked_titles(data.titles)
    document.kind = data.kind
    document.titles = titles
    document.visibility = data.visibility
    db.session.commit()


def add_file(document: Document, language: str, filename: str, data: bytes) -> DocumentFile:
    """Add or replace a language version after checking its content; commits."""
    if language not in DOCUMENT_LANGUAGES:
        raise DocumentError("language", N_("Choose one of the languages offered."))
    if document.reference and document.kind is DocumentKind.NOTE_VERBALE:
        raise DocumentError("file", N_("An issued note verbale cannot be changed."))
    version = attach_file(document, language, filename, data)
    db.session.commit()
    return version


def attach_file(document: Document, language: str, filename: str, data: bytes) -> DocumentFile:
    """Add or replace a language version in the caller's transaction (content checked)."""
    try:
        check = read_document(data)
    except UploadError as error:
        raise DocumentError("file", str(error), error) from None
    version = document.file(language)
    if version is None:
        version = DocumentFile(language=language)
        document.files.append(version)
    version.format = FileFormat(check.format)
    version.filename = _clean_filename(filename, version.format)
    version.content = data
    version.size = len(data)
    version.pages = check.pages
    version.sha256 = hashlib.sha256(data).hexdigest()
    version.uploaded_at = utcnow()
    document.updated_at = utcnow()
    return version


def _clean_filename(filename: str, file_format: FileFormat) -> str:
    """The uploaded name without folders or control characters, ending as its format."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable() and c not in '"<>|:*?').strip() or "document"
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem[: FILENAME_MAX - 6]}.{file_format.value}"


def remove_file(document: Document, language: str) -> None:
    version = document.file(language)
    if version is None:
        return
    if document.reference and document.kind is DocumentKind.NOTE_VERBALE:
        raise DocumentError("", N_("An issued note verbale cannot be changed."))
    document.files.remove(version)
    document.updated_at = utcnow()
    db.session.commit()


def set_status(document: Document, status: DocumentStatus) -> None:
    """Issue (needs at least one language version), withdraw, or return to draft; commits."""
    if status is DocumentStatus.ISSUED and not document.files:
        raise DocumentError("", N_("Upload at least one language version before issuing."))
    if status is DocumentStatus.DRAFT and document.reference:
        raise DocumentError("", N_("An issued note verbale cannot return to draft."))
    document.status = status
    if status is DocumentStatus.ISSUED and document.issued_at is None:
        document.issued_at = utcnow()
    record(
        f"documents.{status.value}",
        subject_type="document",
        subject_id=document.id,
        **text_subject(document.in_languages("title")),
        conference_id=document.conference_id,
    )
    if status is DocumentStatus.ISSUED:
        announce_issued(document)
    db.session.commit()


def announce_issued(document: Document) -> None:
    """Tell listeners above documents (webhooks) that a document was issued."""
    announce(
        "document.issued",
        conference_id=document.conference_id,
        document={
            "id": document.id,
            "kind": str(document.kind),
            "reference": document.reference,
            "series_id": document.series_id,
            "languages": sorted(f.language for f in document.files),
        },
    )


def documents_of(owner: Conference | Series) -> list[Document]:
    """Every document of a conference or series, newest first (management)."""
    column = Document.conference_id if isinstance(owner, Conference) else Document.series_id
    return list(
        db.session.scalars(
            db.select(Document).where(column == owner.id).order_by(Document.created_at.desc())
        )
    )


def readable_documents(owner: Conference | Series, reader: Reader) -> list[Document]:
    """The issued documents of a conference or series this reader may see, by kind then
    date issued."""
    order = list(DocumentKind)
    found = [
        d for d in documents_of(owner) if d.status is DocumentStatus.ISSUED and reader.may_read(d)
    ]
    return sorted(found, key=lambda d: (order.index(d.kind), d.issued_at or d.created_at))


def listing_tag(documents: list[Document], *parts: object) -> str:
    """An ETag for a page listing these documents as shown to one reader in one language."""
    digest = hashlib.sha256(repr(parts).encode())
    for document in documents:
        digest.update(f"{document.id}:{document.updated_at.isoformat()};".encode())
    return digest.hexdigest()[:32]


def public_count(owner: Conference | Series) -> int:
    """How many public issued documents the owner has (for the link to its page)."""
    return len(readable_documents(owner, Reader()))
