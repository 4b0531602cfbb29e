"""Series, conferences, panels and the people who speak at or moderate them."""

from __future__ import annotations

import enum
from datetime import datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup
from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registration.database import db, str_enum, utcnow
from registration.directory.models import Institution, Member
from registration.directory.services import member_name
from registration.i18n import N_, page_language
from registration.stored_text import (
    Shown,
    Translated,
    Translations,
    language_column,
    translations_column,
)


class LabelledEnum(enum.StrEnum):
    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class ConferenceFormat(LabelledEnum):
    ONLINE = "online"
    IN_PERSON = "in_person"
    HYBRID = "hybrid"


class ConferenceStatus(LabelledEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class PanelKind(LabelledEnum):
    PANEL = "panel"
    KEYNOTE = "keynote"
    WELCOME_REMARKS = "welcome_remarks"
    DISCUSSION = "discussion"
    BREAK = "break"


# The labels public pages show, for the catalogue (templates translate them: `_(x.label)`).
PUBLIC_LABELS = (
    N_("Online"),
    N_("In person"),
    N_("Hybrid"),
    N_("Panel"),
    N_("Keynote"),
    N_("Welcome remarks"),
    N_("Discussion"),
    N_("Break"),
)
# and those management pages show (`|translate`).
MANAGEMENT_LABELS = (N_("Draft"), N_("Published"), N_("Cancelled"), N_("Scheduled"))


class PanelStatus(LabelledEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class OrganizerRole(LabelledEnum):
    HOST = "host"
    CO_ORGANIZER = "co_organizer"
    SUPPORTER = "supporter"


class PanelRole(LabelledEnum):
    MODERATOR = "moderator"
    SPEAKER = "speaker"


class Series(Translated, db.Model):
    """A recurring event, such as the CICA Think Tank Forum with its numbered meetings."""

    __tablename__ = "series"
    TRANSLATED = ("name", "description")

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str | None] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = language_column()
    translations: Mapped[Translations] = translations_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    conferences: Mapped[list[Conference]] = relationship(
        back_populates="series", order_by="Conference.starts_at"
    )

    @property
    def text_language(self) -> str:
        return self.language


class Conference(Translated, db.Model):
    __tablename__ = "conferences"
    TRANSLATED = ("title", "theme", "description", "venue", "city")

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    theme: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id"))
    number: Mapped[int | None] = mapped_column(Integer)
    venue: Mapped[str] = mapped_column(String(300), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    format: Mapped[ConferenceFormat] = mapped_column(str_enum(ConferenceFormat))
    status: Mapped[ConferenceStatus] = mapped_column(
        str_enum(ConferenceStatus), default=ConferenceStatus.DRAFT
    )
    online_url: Mapped[str] = mapped_column(String(500), default="")
    # The language of the texts in the columns above; the others are in `translations`.
    language: Mapped[str] = language_column()
    translations: Mapped[Translations] = translations_column()
    sequence: Mapped[int] = mapped_column(default=0)
    # Months after the end when participants' personal data is erased: None follows the
    # setting PERSONAL_DATA_RETENTION_MONTHS, 0 never (registration/retention).
    erase_personal_data_months: Mapped[int | None]
    personal_data_erased_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    series: Mapped[Series | None] = relationship(back_populates="conferences")
    organizers: Mapped[list[ConferenceOrganizer]] = relationship(
        back_populates="conference",
        cascade="all, delete-orphan",
        order_by="ConferenceOrganizer.position",
    )
    panels: Mapped[list[Panel]] = relationship(
        back_populates="conference",
        cascade="all, delete-orphan",
        order_by="(Panel.starts_at, Panel.position)",
    )

    @property
    def text_language(self) -> str:
        return self.language

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local(self, instant: datetime) -> datetime:
        """An instant shown in the conference's time zone."""
        return instant.astimezone(self.zone)

    @property
    def is_published(self) -> bool:
        return self.status == ConferenceStatus.PUBLISHED

    @property
    def is_over(self) -> bool:
        return self.ends_at < utcnow()

    @property
    def has_venue(self) -> bool:
        return self.format in {ConferenceFormat.IN_PERSON, ConferenceFormat.HYBRID}

    @property
    def has_online(self) -> bool:
        return self.format in {ConferenceFormat.ONLINE, ConferenceFormat.HYBRID}

    @property
    def host(self) -> Institution | None:
        hosts = [o.institution for o in self.organizers if o.role == OrganizerRole.HOST]
        return hosts[0] if hosts else None

    def __repr__(self) -> str:
        return f"<Conference {self.slug}>"


class ConferenceOrganizer(db.Model):
    """An institution that hosts, co-organises or supports a conference."""

    __tablename__ = "conference_organizers"
    __table_args__ = (UniqueConstraint("conference_id", "institution_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("conferences.id", ondelete="CASCADE"))
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"))
    role: Mapped[OrganizerRole] = mapped_column(str_enum(OrganizerRole))
    position: Mapped[int] = mapped_column(default=0)

    conference: Mapped[Conference] = relationship(back_populates="organizers")
    institution: Mapped[Institution] = relationship(lazy="joined")


class Person(db.Model):
    """A speaker or moderator as the programme names them."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    honorific: Mapped[str] = mapped_column(String(80), default="")
    position: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str | None] = mapped_column(String(254))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))

    institution: Mapped[Institution | None] = relationship()
    member: Mapped[Member | None] = relationship()

    @property
    def display_name(self) -> str:
        return f"{self.honorific} {self.name}".strip()

    @property
    def affiliation(self) -> str:
        parts = [self.position, self.institution.name if self.institution else ""]
        if self.member and not self.institution:
            parts.append(self.member.name)
        return ", ".join(p for p in parts if p)

    @property
    def shown_affiliation(self) -> Markup:
        """`affiliation` for a page: the institution's name in the page's language (with
        its `lang` when it is in another), else the member's name in it."""
        parts: list[str | Shown] = [self.position]
        if self.institution:
            parts.append(self.institution.shown("name"))
        elif self.member:
            parts.append(member_name(self.member, page_language()))
        return Markup(", ").join(p for p in parts if p)


class Panel(Translated, db.Model):
    """A session of a conference: a panel, keynote, welcome remarks or discussion; its texts
    are in the conference's language, with translations beside them."""

    __tablename__ = "panels"
    TRANSLATED = ("title", "theme", "room")

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300))
    theme: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[PanelKind] = mapped_column(str_enum(PanelKind), default=PanelKind.PANEL)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    room: Mapped[str] = mapped_column(String(200), default="")
    join_url: Mapped[str] = mapped_column(String(500), default="")
    translations: Mapped[Translations] = translations_column()
    status: Mapped[PanelStatus] = mapped_column(
        str_enum(PanelStatus), default=PanelStatus.SCHEDULED
    )
    sequence: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    conference: Mapped[Conference] = relationship(back_populates="panels")
    roles: Mapped[list[PanelPerson]] = relationship(
        back_populates="panel", cascade="all, delete-orphan", order_by="PanelPerson.position"
    )

    @property
    def text_language(self) -> str:
        return self.conference.language

    @property
    def is_cancelled(self) -> bool:
        return self.status == PanelStatus.CANCELLED

    @property
    def speakers(self) -> list[Person]:
        return [r.person for r in self.roles if r.role == PanelRole.SPEAKER]

    @property
    def moderators(self) -> list[Person]:
        return [r.person for r in self.roles if r.role == PanelRole.MODERATOR]

    def __repr__(self) -> str:
        return f"<Panel {self.id} {self.title!r}>"


class PanelPerson(db.Model):
    __tablename__ = "panel_people"
    __table_args__ = (UniqueConstraint("panel_id", "person_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    panel_id: Mapped[int] = mapped_column(ForeignKey("panels.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    role: Mapped[PanelRole] = mapped_column(str_enum(PanelRole))
    position: Mapped[int] = mapped_column(default=0)

    panel: Mapped[Panel] = relationship(back_populates="roles")
    person: Mapped[Person] = relationship(lazy="joined")
