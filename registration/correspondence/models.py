"""The register of outgoing correspondence (numbering schemes and the numbers they gave) and
notes verbales."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registration.accounts.models import User
from registration.conferences.models import Conference, Series
from registration.database import db, str_enum, utcnow
from registration.documents.models import Document
from registration.i18n import N_, in_languages
from registration.stored_text import TEXT_LANGUAGES

# Languages whose versions write the prefix in Cyrillic (TTF -> ТТФ).
CYRILLIC_LANGUAGES = frozenset({"ru", "kk"})

# Entry and note statuses as management pages show them (`|translate`).
STATUS_LABELS = (N_("Draft"), N_("Issued"), N_("Cancelled"))


class NumberingScheme(db.Model):
    """A running number per series or office, e.g. TTF/374 (ТТФ/374 in ru and kk)."""

    __tablename__ = "numbering_schemes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(20))
    prefix_cyrillic: Mapped[str] = mapped_column(String(20))
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id", ondelete="SET NULL"))
    # The counter row: read and raised under SELECT ... FOR UPDATE (registration.register).
    next_number: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    series: Mapped[Series | None] = relationship()
    entries: Mapped[list[RegisterEntry]] = relationship(
        back_populates="scheme", order_by="RegisterEntry.number.desc()"
    )

    def prefix_in(self, language: str) -> str:
        return self.prefix_cyrillic if language in CYRILLIC_LANGUAGES else self.prefix


class EntryStatus(enum.StrEnum):
    ISSUED = "issued"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class RegisterEntry(db.Model):
    """One number given out; a cancelled number stays here, marked as cancelled."""

    __tablename__ = "register_entries"
    __table_args__ = (UniqueConstraint("scheme_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("numbering_schemes.id"))
    number: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(300))
    status: Mapped[EntryStatus] = mapped_column(str_enum(EntryStatus), default=EntryStatus.ISSUED)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str] = mapped_column(Text, default="")

    scheme: Mapped[NumberingScheme] = relationship(back_populates="entries")
    issued_by: Mapped[User | None] = relationship()
    # The note verbale this number was taken for, if any (its subject in every language).
    note: Mapped[NoteVerbale | None] = relationship(viewonly=True)

    def reference(self, language: str = "en") -> str:
        """'TTF/374', or 'ТТФ/374' in a Russian or Kazakh version."""
        return f"{self.scheme.prefix_in(language)}/{self.number}"

    def references(self) -> dict[str, object]:
        """The number as each language writes it, a value of a message kept as data (an
        audit subject's, `i18n.worded`)."""
        return in_languages({code: self.reference(code) for code in TEXT_LANGUAGES}, "en")

    def __repr__(self) -> str:
        return f"<RegisterEntry {self.reference()} {self.status}>"


class NoteStatus(enum.StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class NoteVerbale(db.Model):
    """A note verbale in one to three languages: a draft the organiser edits, then issued
    under a number of the register (immutable; a correction is a new note)."""

    __tablename__ = "notes_verbales"
    __table_args__ = (
        CheckConstraint(
            "(conference_id IS NULL) <> (series_id IS NULL)", name="one_conference_or_series"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("numbering_schemes.id"))
    conference_id: Mapped[int | None] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("series.id", ondelete="CASCADE"), index=True
    )
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    # {"en": {"addressee": ..., "body": ..., "place": ..., "addressee_block": ...}, ...}
    texts: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)
    enclosure_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL")
    )
    enclosure_pages: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[NoteStatus] = mapped_column(str_enum(NoteStatus), default=NoteStatus.DRAFT)
    note_date: Mapped[date | None]
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("register_entries.id"), unique=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), unique=True)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("notes_verbales.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    issued_at: Mapped[datetime | None]

    scheme: Mapped[NumberingScheme] = relationship()
    conference: Mapped[Conference | None] = relationship()
    series: Mapped[Series | None] = relationship()
    enclosure: Mapped[Document | None] = relationship(foreign_keys=[enclosure_id])
    document: Mapped[Document | None] = relationship(foreign_keys=[document_id])
    entry: Mapped[RegisterEntry | None] = relationship()
    corrects: Mapped[NoteVerbale | None] = relationship(remote_side=[id])

    def text(self, language: str) -> dict[str, Any]:
        return dict((self.texts or {}).get(language, {}))

    @property
    def is_issued(self) -> bool:
        return self.status is not NoteStatus.DRAFT

    @property
    def subject(self) -> str:
        """A line for lists: the English body's first words."""
        return _first_line(self.text(self.subject_language).get("body", ""))

    def subjects(self) -> dict[str, object]:
        """Each version's body's first words, a value of a message kept as data (an audit
        subject's, `i18n.worded`)."""
        firsts = {code: _first_line(text.get("body", "")) for code, text in self.texts.items()}
        return in_languages(firsts, self.subject_language)

    @property
    def subject_language(self) -> str:
        """The language `subject` is written in."""
        return "en" if self.text("en").get("body") else next(iter(self.texts), "en")

    @property
    def owner(self) -> Conference | Series | None:
        return self.conference or self.series


def _first_line(body: str) -> str:
    first = body.strip().split("\n")[0]
    return first if len(first) <= 120 else first[:119] + "…"
