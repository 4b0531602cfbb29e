"""An invitation: a personal link to the registration form, bound to one e-mail address."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registration.conferences.models import Conference, Panel
from registration.database import db, str_enum, utcnow
from registration.directory.models import Member
from registration.i18n import N_
from registration.signup.models import ParticipantRole

# Invitation statuses as the organiser's page shows them (`|translate`).
STATUS_LABELS = (N_("Pending"), N_("Accepted"), N_("Declined"))


class InvitationStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return self.value.capitalize()


invitation_panels = Table(
    "invitation_panels",
    db.metadata,
    Column("invitation_id", ForeignKey("invitations.id", ondelete="CASCADE"), primary_key=True),
    Column("panel_id", ForeignKey("panels.id", ondelete="CASCADE"), primary_key=True),
)


def new_invitation_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(db.Model):
    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("conference_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    role: Mapped[ParticipantRole] = mapped_column(
        str_enum(ParticipantRole), default=ParticipantRole.PARTICIPANT
    )
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_invitation_token)
    status: Mapped[InvitationStatus] = mapped_column(
        str_enum(InvitationStatus), default=InvitationStatus.PENDING, index=True
    )
    batch: Mapped[str | None] = mapped_column(String(80), index=True)
    sent_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    personal_data_erased_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    conference: Mapped[Conference] = relationship()
    member: Mapped[Member | None] = relationship(lazy="joined")
    panels: Mapped[list[Panel]] = relationship(
        secondary=invitation_panels, order_by=Panel.starts_at
    )

    def __repr__(self) -> str:
        return f"<Invitation {self.id} {self.email} {self.status}>"
