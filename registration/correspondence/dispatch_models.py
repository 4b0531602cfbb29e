"""A dispatch of an issued note and its enclosures, and its register per address."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registration.accounts.models import User
from registration.correspondence.models import NoteVerbale
from registration.database import db, utcnow
from registration.directory.models import Contact, Member


class Dispatch(db.Model):
    """Sending one issued note to all member states, or to a chosen set."""

    __tablename__ = "dispatches"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes_verbales.id"), index=True)
    member_ids: Mapped[list[int] | None] = mapped_column(JSON)  # None: every member state
    job_id: Mapped[str | None] = mapped_column(String(80))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When every address was sent or refused (document.dispatched announced then).
    finished_at: Mapped[datetime | None]

    note: Mapped[NoteVerbale] = relationship()
    created_by: Mapped[User | None] = relationship()
    deliveries: Mapped[list[DispatchDelivery]] = relationship(
        back_populates="dispatch", order_by="DispatchDelivery.id"
    )


class DispatchDelivery(db.Model):
    """One address of a dispatch: the message the outbox holds for it (its status, time and
    the server's answer are the outbox row's), and how often it was sent again."""

    __tablename__ = "dispatch_deliveries"
    __table_args__ = (UniqueConstraint("dispatch_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dispatch_id: Mapped[int] = mapped_column(ForeignKey("dispatches.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    email: Mapped[str] = mapped_column(String(254))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    outbox_id: Mapped[int | None] = mapped_column(index=True)
    resends: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    dispatch: Mapped[Dispatch] = relationship(back_populates="deliveries")
    member: Mapped[Member] = relationship()
    contact: Mapped[Contact | None] = relationship()
