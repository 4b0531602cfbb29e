"""One audit entry: an append-only row (PostgreSQL refuses UPDATE and DELETE by trigger)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from registration.database import db, utcnow
from registration.i18n import N_, translate, worded

# Said instead of erased personal data (retention, or a participant's own erasure): stored
# as this marker, shown translated.
ERASED = N_("(erased)")


class AuditEntry(db.Model):
    """A state change or a personal-data export.

    Ids of conferences, registrations and accounts are plain numbers, not foreign keys: an
    entry outlives what it names, and no cascade may ever update or delete it.
    `changes` is a list of {"field", "before", "after"} in words, as the secretariat reads them.
    `note` is a message id (marked, English) filled with `note_values` where it is shown, in
    the reader's language (as bulk outcomes keep their refusals); with `note_values` None it
    is text shown as stored: what an organiser typed, and every note from before 2026-12-06.
    `subject` likewise with `subject_values`: with them None it is text shown as stored (a
    name, an address, a marked word such as "(erased)" translated), as every subject from
    before 2026-12-06 08:00 (a register number's then read "No. TTF/374: Note verbale: ...").
    """

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_conference_at", "conference_id", "at"),
        Index("ix_audit_entries_registration_id", "registration_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None]
    actor: Mapped[str] = mapped_column(String(300))
    action: Mapped[str] = mapped_column(String(60), index=True)
    conference_id: Mapped[int | None]
    registration_id: Mapped[int | None]
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None]
    subject: Mapped[str] = mapped_column(String(300), default="")
    subject_values: Mapped[dict[str, Any] | None] = mapped_column(
        JSON().with_variant(JSONB(), "postgresql")
    )
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    note_values: Mapped[dict[str, Any] | None] = mapped_column(
        JSON().with_variant(JSONB(), "postgresql")
    )
    personal_data_erased_at: Mapped[datetime | None]

    def subject_words(self) -> str:
        """The subject in the current language (stored text as it is, a marked word such as
        ERASED translated)."""
        if self.subject_values is None:
            return translate(self.subject)
        return worded(self.subject, self.subject_values)

    def note_words(self) -> str:
        """The note in the current language (stored text as it is, ERASED translated)."""
        if self.note_values is None:
            return translate(self.note)
        return worded(self.note, self.note_values)

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.action} {self.subject_type}:{self.subject_id}>"
