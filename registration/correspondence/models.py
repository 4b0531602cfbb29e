"""The register of outgoing correspondence: numbering schemes and the numbers they gave."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registration.accounts.models import User
from registration.conferences.models import Series
from registration.database import db, str_enum, utcnow

# Languages whose versions write the prefix in Cyrillic (TTF -> ТТФ).
CYRILLIC_LANGUAGES = frozenset({"ru", "kk"})


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

    def reference(self, language: str = "en") -> str:
        """'TTF/374', or 'ТТФ/374' in a Russian or Kazakh version."""
        return f"{self.scheme.prefix_in(language)}/{self.number}"

    def __repr__(self) -> str:
        return f"<RegisterEntry {self.reference()} {self.status}>"
