"""Members (states and organisations represented at meetings), institutions, and the
contacts the Secretariat writes to per member."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registration.database import db, str_enum, utcnow
from registration.i18n import N_
from registration.stored_text import Translated, Translations, language_column, translations_column


class MemberKind(enum.StrEnum):
    MEMBER_STATE = "member_state"
    OBSERVER_STATE = "observer_state"
    OBSERVER_ORGANIZATION = "observer_organization"
    PARTNER_ORGANIZATION = "partner_organization"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Member(db.Model):
    """A state or organisation that a participant can represent."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    alpha_2: Mapped[str | None] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[MemberKind] = mapped_column(str_enum(MemberKind))

    @property
    def is_state(self) -> bool:
        return self.kind in {MemberKind.MEMBER_STATE, MemberKind.OBSERVER_STATE}

    @property
    def flag(self) -> str:
        """The flag emoji for a state, empty for an organisation."""
        if not self.alpha_2:
            return ""
        return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in self.alpha_2.upper())

    def __repr__(self) -> str:
        return f"<Member {self.code}>"


class Institution(Translated, db.Model):
    """A think tank, ministry or university that hosts, co-organises or sends experts. Its
    name is in its main language (`language`), found by it; the others are in `translations`
    (registration/stored_text.py)."""

    __tablename__ = "institutions"
    TRANSLATED = ("name",)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    short_name: Mapped[str | None] = mapped_column(String(40))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    url: Mapped[str | None] = mapped_column(String(500))
    language: Mapped[str] = language_column()
    translations: Mapped[Translations] = translations_column()

    member: Mapped[Member | None] = relationship()

    @property
    def text_language(self) -> str:
        return self.language

    def __repr__(self) -> str:
        return f"<Institution {self.short_name or self.name}>"


class InstitutionName(db.Model):
    """One of an institution's names as the lookup compares it: its main name (`main`) or
    its name in one other language, `normalised` by registration/directory/
    institution_names.py, which alone writes these rows whenever an institution is saved."""

    __tablename__ = "institution_names"

    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    main: Mapped[bool]
    normalised: Mapped[str] = mapped_column(Text, index=True)


class ContactKind(enum.StrEnum):
    """Whom the Secretariat writes to in a member state."""

    MFA = "mfa"
    EMBASSY = "embassy"
    PERMANENT_MISSION = "permanent_mission"
    FOCAL_POINT = "focal_point"

    @property
    def label(self) -> str:
        return {
            "mfa": N_("Ministry of Foreign Affairs"),
            "embassy": N_("Embassy"),
            "permanent_mission": N_("Permanent mission"),
            "focal_point": N_("Focal point"),
        }[self.value]


class Contact(db.Model):
    """An address the Secretariat writes to on behalf of a member, with the languages in
    which the member reads its correspondence."""

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("member_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ContactKind] = mapped_column(str_enum(ContactKind))
    name: Mapped[str] = mapped_column(String(300))
    email: Mapped[str] = mapped_column(String(254))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)  # e.g. ["en", "ru"]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    member: Mapped[Member] = relationship()

    def __repr__(self) -> str:
        return f"<Contact {self.member_id} {self.kind} {self.email}>"
