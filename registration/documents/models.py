"""A document of a conference or series, and its language versions as files."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registration.conferences.models import Conference, Series
from registration.database import db, str_enum, utcnow
from registration.i18n import N_
from registration.stored_text import (
    Translated,
    Translations,
    language_column,
    pack,
    translations_column,
)

# The languages a document or a note verbale is written in, in the order they are listed.
DOCUMENT_LANGUAGES = ("en", "ru", "kk")


class DocumentKind(enum.StrEnum):
    NOTE_VERBALE = "note_verbale"
    SUMMARY = "summary"
    CHAIRS_STATEMENT = "chairs_statement"
    CONCEPT_NOTE = "concept_note"
    PROGRAMME = "programme"
    LIST_OF_PARTICIPANTS = "list_of_participants"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    DocumentKind.NOTE_VERBALE: N_("Note verbale"),
    DocumentKind.SUMMARY: N_("Summary or outcome report"),
    DocumentKind.CHAIRS_STATEMENT: N_("Chair's statement"),
    DocumentKind.CONCEPT_NOTE: N_("Concept note"),
    DocumentKind.PROGRAMME: N_("Programme"),
    DocumentKind.LIST_OF_PARTICIPANTS: N_("List of participants"),
}


class Visibility(enum.StrEnum):
    """Who may read a document: anybody, registered participants, member states' focal
    points, or the secretariat only."""

    PUBLIC = "public"
    PARTICIPANTS = "participants"
    FOCAL_POINTS = "focal_points"
    INTERNAL = "internal"

    @property
    def label(self) -> str:
        return {
            "public": N_("Public"),
            "participants": N_("Registered participants"),
            "focal_points": N_("Member states' focal points"),
            "internal": N_("Internal (secretariat only)"),
        }[self.value]


# Document statuses as management pages show them (`|translate`).
STATUS_LABELS = (N_("Draft"), N_("Issued"), N_("Withdrawn"))


class DocumentStatus(enum.StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class FileFormat(enum.StrEnum):
    PDF = "pdf"
    DOCX = "docx"

    @property
    def mimetype(self) -> str:
        if self is FileFormat.PDF:
            return "application/pdf"
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class Document(Translated, db.Model):
    """A document of exactly one conference or one series."""

    __tablename__ = "documents"
    TRANSLATED = ("title",)
    __table_args__ = (
        CheckConstraint(
            "(conference_id IS NULL) <> (series_id IS NULL)", name="one_conference_or_series"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int | None] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("series.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[DocumentKind] = mapped_column(str_enum(DocumentKind))
    # The title as a stored text (registration/stored_text.py): in the main language (English
    # when it has an English title) and the others in `translations`.
    title: Mapped[str] = mapped_column(String(300), default="")
    language: Mapped[str] = language_column()
    translations: Mapped[Translations] = translations_column()
    visibility: Mapped[Visibility] = mapped_column(
        str_enum(Visibility), default=Visibility.INTERNAL
    )
    status: Mapped[DocumentStatus] = mapped_column(
        str_enum(DocumentStatus), default=DocumentStatus.DRAFT
    )
    reference: Mapped[str] = mapped_column(String(40), default="")  # e.g. "TTF/374"
    issued_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    conference: Mapped[Conference | None] = relationship()
    series: Mapped[Series | None] = relationship()
    files: Mapped[list[DocumentFile]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="DocumentFile.id"
    )

    @property
    def text_language(self) -> str:
        return self.language

    @property
    def titles(self) -> dict[str, str]:
        """{language: title} of the languages it has a title in."""
        found = {code: self.translation("title", code) for code in DOCUMENT_LANGUAGES}
        return {code: title for code, title in found.items() if title}

    @titles.setter
    def titles(self, titles: dict[str, str]) -> None:
        """Store {language: title}: English is the main language when given."""
        given = {code: title for code, title in titles.items() if title}
        self.language = "en" if "en" in given or not given else next(iter(given))
        self.title = given.get(self.language, "")
        self.translations = pack({"title": given}, self.language)

    def file(self, language: str) -> DocumentFile | None:
        return next((f for f in self.files if f.language == language), None)

    @property
    def files_in_order(self) -> list[DocumentFile]:
        order = {code: index for index, code in enumerate(DOCUMENT_LANGUAGES)}
        return sorted(self.files, key=lambda f: order.get(f.language, len(order)))

    @property
    def owner_name(self) -> str:
        if self.conference is not None:
            return self.conference.title
        return self.series.name if self.series is not None else ""

    def __repr__(self) -> str:
        return f"<Document {self.id} {self.kind}>"


class DocumentFile(db.Model):
    """One language version of a document: a PDF or DOCX file, checked by its content."""

    __tablename__ = "document_files"
    __table_args__ = (UniqueConstraint("document_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8))
    format: Mapped[FileFormat] = mapped_column(str_enum(FileFormat))
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int | None] = mapped_column(Integer)  # PDFs only
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    document: Mapped[Document] = relationship(back_populates="files")
