"""A person's registration for a conference, on behalf of a member state or observer."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registration.accounts.models import User
from registration.conferences.models import Conference, Panel
from registration.database import db, str_enum, utcnow
from registration.directory.models import Member
from registration.i18n import N_
from registration.signup.typed_institution import TypedInstitution
from registration.stored_text import Translated, Translations, language_column, translations_column


class RegistrationStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class AttendanceMode(enum.StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"

    @property
    def label(self) -> str:
        return "In person" if self is AttendanceMode.IN_PERSON else "Online"


class ParticipantRole(enum.StrEnum):
    SPEAKER = "speaker"
    PARTICIPANT = "participant"
    OBSERVER = "observer"

    @property
    def label(self) -> str:
        return self.value.capitalize()


# The labels public pages show, for the catalogue (templates translate them: `_(x.label)`).
PUBLIC_LABELS = (
    N_("Pending"),
    N_("Approved"),
    N_("Waitlisted"),
    N_("Rejected"),
    N_("Withdrawn"),
    N_("In person"),
    N_("Online"),
    N_("Speaker"),
    N_("Participant"),
    N_("Observer"),
)


def new_token() -> str:
    return secrets.token_urlsafe(24)


# Registrations that hold a place (SEAT_HOLDING), in SQL: the partial index below counts them.
HOLDS_PLACE = text("status IN ('pending', 'approved')")


class Registration(TypedInstitution, db.Model):
    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("conference_id", "email"),
        # Seats and quotas are counted over the conference's place-holding registrations
        # only, from the index alone, instead of reading every registration's row.
        Index(
            "ix_registrations_places",
            "conference_id",
            "mode",
            "member_id",
            postgresql_where=HOLDS_PLACE,
            sqlite_where=HOLDS_PLACE,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(300), default="")
    institution: Mapped[str] = mapped_column(String(300), default="")  # as typed
    mode: Mapped[AttendanceMode] = mapped_column(str_enum(AttendanceMode))
    role: Mapped[ParticipantRole] = mapped_column(
        str_enum(ParticipantRole), default=ParticipantRole.PARTICIPANT
    )
    language: Mapped[str] = mapped_column(String(8), default="en")  # of interpretation
    # The language the person reads our mail in (chosen on the form; the page's by default).
    mail_language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    consent_to_list: Mapped[bool] = mapped_column(default=False)
    status: Mapped[RegistrationStatus] = mapped_column(
        str_enum(RegistrationStatus), default=RegistrationStatus.PENDING, index=True
    )
    status_reason: Mapped[str] = mapped_column(Text, default="")
    email_confirmed_at: Mapped[datetime | None]
    feed_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    registered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    personal_data_erased_at: Mapped[datetime | None]

    conference: Mapped[Conference] = relationship()
    member: Mapped[Member] = relationship(lazy="joined")
    registered_by: Mapped[User | None] = relationship()
    panel_links: Mapped[list[RegistrationPanel]] = relationship(
        back_populates="registration", cascade="all, delete-orphan"
    )

    @property
    def panels(self) -> list[Panel]:
        return sorted((link.panel for link in self.panel_links), key=lambda p: p.starts_at)

    @property
    def panel_ids(self) -> list[int]:
        return sorted(link.panel_id for link in self.panel_links)

    @property
    def holds_seat(self) -> bool:
        return self.mode is AttendanceMode.IN_PERSON and self.status in SEAT_HOLDING

    @property
    def is_active(self) -> bool:
        """Still expected to attend (not rejected or withdrawn)."""
        return self.status not in {RegistrationStatus.REJECTED, RegistrationStatus.WITHDRAWN}

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.email} {self.status}>"


class RegistrationPanel(db.Model):
    """A panel a registered person will attend."""

    __tablename__ = "registration_panels"

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True
    )
    panel_id: Mapped[int] = mapped_column(
        ForeignKey("panels.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    registration: Mapped[Registration] = relationship(back_populates="panel_links")
    panel: Mapped[Panel] = relationship()


SEAT_HOLDING = frozenset({RegistrationStatus.PENDING, RegistrationStatus.APPROVED})
"""Statuses that hold a place: an in-person one of these holds a seat in the room."""


class RegistrationSettings(db.Model):
    """When and how people may register for one conference; its row is the seat lock."""

    __tablename__ = "registration_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), unique=True
    )
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    approval_required: Mapped[bool] = mapped_column(default=True)
    in_person_capacity: Mapped[int | None]
    delegation_in_person_quota: Mapped[int | None]
    delegation_total_quota: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    conference: Mapped[Conference] = relationship()
    panel_links: Mapped[list[SignupPanel]] = relationship(
        back_populates="settings", cascade="all, delete-orphan"
    )

    @property
    def panel_ids(self) -> set[int]:
        return {link.panel_id for link in self.panel_links}

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at


class SignupPanel(db.Model):
    """A panel that accepts sign-ups."""

    __tablename__ = "signup_panels"

    settings_id: Mapped[int] = mapped_column(
        ForeignKey("registration_settings.id", ondelete="CASCADE"), primary_key=True
    )
    panel_id: Mapped[int] = mapped_column(
        ForeignKey("panels.id", ondelete="CASCADE"), primary_key=True
    )

    settings: Mapped[RegistrationSettings] = relationship(back_populates="panel_links")
    panel: Mapped[Panel] = relationship()


class FocalPoint(db.Model):
    """An account that reviews one member's delegation to one conference."""

    __tablename__ = "focal_points"
    __table_args__ = (UniqueConstraint("conference_id", "member_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")
    conference: Mapped[Conference] = relationship()
    member: Mapped[Member] = relationship(lazy="joined")


# --- questions an organiser adds to a conference's registration -----------------------


class QuestionKind(enum.StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    DATE = "date"
    COUNTRY = "country"
    YES_NO = "yes_no"
    FILE = "file"

    @property
    def label(self) -> str:
        return QUESTION_KIND_LABELS[self]

    @property
    def has_options(self) -> bool:
        return self in {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE}

    @property
    def filterable(self) -> bool:
        """Answers from a closed list, which the registrations list can filter by."""
        return self in {
            QuestionKind.SINGLE_CHOICE,
            QuestionKind.MULTIPLE_CHOICE,
            QuestionKind.COUNTRY,
            QuestionKind.YES_NO,
        }


QUESTION_KIND_LABELS = {
    QuestionKind.SHORT_TEXT: N_("Short text"),
    QuestionKind.LONG_TEXT: N_("Long text"),
    QuestionKind.SINGLE_CHOICE: N_("One choice from a list"),
    QuestionKind.MULTIPLE_CHOICE: N_("Several choices from a list"),
    QuestionKind.DATE: N_("Date"),
    QuestionKind.COUNTRY: N_("Country"),
    QuestionKind.YES_NO: N_("Yes or no"),
    QuestionKind.FILE: N_("File (image or PDF)"),
}


class QuestionAudience(enum.StrEnum):
    ALL = "all"
    IN_PERSON = "in_person"
    ONLINE = "online"

    @property
    def label(self) -> str:
        labels = {
            "all": N_("Everyone"),
            "in_person": N_("In-person only"),
            "online": N_("Online only"),
        }
        return labels[self.value]

    def includes(self, mode: AttendanceMode) -> bool:
        return self is QuestionAudience.ALL or self.value == mode.value


class QuestionStage(enum.StrEnum):
    REGISTRATION = "registration"
    FOLLOW_UP = "follow_up"

    @property
    def label(self) -> str:
        return (
            N_("On the registration form") if self.value == "registration" else N_("After approval")
        )


class Question(Translated, db.Model):
    """A question of one conference's registration, asked of some registrants; its texts in
    its main language and translations (choices by position: signup/question_texts.py)."""

    __tablename__ = "registration_questions"
    TRANSLATED = ("label", "help_text", "options")

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(300))
    help_text: Mapped[str] = mapped_column(String(500), default="")
    kind: Mapped[QuestionKind] = mapped_column(str_enum(QuestionKind))
    options: Mapped[str] = mapped_column(Text, default="")  # one choice per line
    required: Mapped[bool] = mapped_column(default=False)
    audience: Mapped[QuestionAudience] = mapped_column(
        str_enum(QuestionAudience), default=QuestionAudience.ALL
    )
    stage: Mapped[QuestionStage] = mapped_column(
        str_enum(QuestionStage), default=QuestionStage.REGISTRATION
    )
    # Passport data and the like: organisers only, never focal points, exported only when
    # asked for; erased by the retention rule with the rest of the person's data.
    sensitive: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str] = language_column()
    translations: Mapped[Translations] = translations_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def text_language(self) -> str:
        return self.language

    @property
    def choices(self) -> list[str]:
        """The choices' stable values (an answer's): their text in the main language."""
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    @property
    def field_name(self) -> str:
        return f"question_{self.id}"

    def asked_of(self, mode: AttendanceMode) -> bool:
        return self.audience.includes(mode)


class PersonalFile(db.Model):
    """A file a registrant gave (an answer, a photo), kept under FILES_FOLDER (registration/
    files.py); the row and the file go together (erase_personal_file)."""

    __tablename__ = "personal_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(80), unique=True)
    purpose: Mapped[str] = mapped_column(String(16), default="answer")  # or "photo"
    filename: Mapped[str] = mapped_column(String(255), default="")
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Answer(db.Model):
    """A registrant's answer to one question (a file answer names its PersonalFile)."""

    __tablename__ = "registration_answers"
    __table_args__ = (UniqueConstraint("registration_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("registration_questions.id", ondelete="CASCADE"), index=True
    )
    # Text as given; a choice as its text; several choices one per line; a date as
    # YYYY-MM-DD; a country as its ISO alpha-2 code; yes/no as "yes" or "no"; a file as its name.
    value: Mapped[str] = mapped_column(Text, default="")
    file_id: Mapped[int | None] = mapped_column(
        ForeignKey("personal_files.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    question: Mapped[Question] = relationship(lazy="joined")
    file: Mapped[PersonalFile | None] = relationship()
