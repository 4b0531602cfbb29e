"""Visa support letters: asked for by a registrant, issued (numbered) or declined by an
organiser, revocable; a public page verifies one by the code in its QR code."""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registration.accounts.models import User
from registration.conferences.models import Conference
from registration.correspondence.models import NumberingScheme, RegisterEntry
from registration.database import db, str_enum, utcnow
from registration.i18n import N_
from registration.signup.models import Registration


class LetterStatus(enum.StrEnum):
    REQUESTED = "requested"
    ISSUED = "issued"
    DECLINED = "declined"
    REVOKED = "revoked"

    @property
    def label(self) -> str:
        return self.value.capitalize()


# The statuses management pages show (`|translate`).
STATUS_LABELS = (N_("Requested"), N_("Issued"), N_("Declined"), N_("Revoked"))


def new_code() -> str:
    return secrets.token_urlsafe(16)


class VisaLetter(db.Model):
    """One request for a visa support letter and, once issued, the letter (made as a PDF
    from these fields whenever asked for: it never changes after issue)."""

    __tablename__ = "visa_letters"
    __table_args__ = (UniqueConstraint("conference_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    # Passport data: organisers and the person only; erased by the retention rule
    # (registration/delegates/letters.py `erase_passport_data`).
    passport_name: Mapped[str] = mapped_column(String(200))
    passport_number: Mapped[str] = mapped_column(String(40))
    nationality: Mapped[str] = mapped_column(String(2))
    arrival: Mapped[date]
    departure: Mapped[date]
    consulate_city: Mapped[str] = mapped_column(String(120))
    status: Mapped[LetterStatus] = mapped_column(
        str_enum(LetterStatus), default=LetterStatus.REQUESTED
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    number: Mapped[int | None]  # per conference, given at issue, never reused
    # Or, when a register scheme numbers the conference's letters, its entry (number None).
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("register_entries.id"), unique=True)
    code: Mapped[str] = mapped_column(String(40), unique=True, default=new_code)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    registration: Mapped[Registration] = relationship()
    conference: Mapped[Conference] = relationship()
    issued_by: Mapped[User | None] = relationship()
    entry: Mapped[RegisterEntry | None] = relationship()

    @property
    def reference(self) -> str:
        return self.reference_in("en")

    def reference_in(self, language: str) -> str:
        """The letter's number as printed: the register's ('TTF/375', 'ТТФ/375' in ru and kk)
        or the conference's '<meeting>/V/<number>', e.g. 'TTF-10/V/007'."""
        if self.entry is not None:
            return self.entry.reference(language)
        if self.number is None:
            return ""
        conference = self.conference
        series = conference.series.short_name if conference.series else None
        meeting = f"{series}-{conference.number}" if series and conference.number else None
        return f"{meeting or conference.slug.upper()}/V/{self.number:03d}"


class LetterNumbering(db.Model):
    """The register scheme that numbers visa letters: of one conference, or of every
    conference of a series (a conference's own choice comes first). A conference's choice
    without a scheme is its own numbering, whatever its series chose; no choice at all is
    per-conference numbering too."""

    __tablename__ = "visa_letter_numbering"
    __table_args__ = (
        CheckConstraint(
            "(conference_id IS NULL) <> (series_id IS NULL)", name="one_conference_or_series"
        ),
        CheckConstraint("series_id IS NULL OR scheme_id IS NOT NULL", name="series_has_scheme"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int | None] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), unique=True
    )
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("series.id", ondelete="CASCADE"), unique=True
    )
    scheme_id: Mapped[int | None] = mapped_column(
        ForeignKey("numbering_schemes.id", ondelete="CASCADE")
    )

    scheme: Mapped[NumberingScheme | None] = relationship()
