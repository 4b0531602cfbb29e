"""A staff member's role in one conference."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registration.accounts.models import User
from registration.database import db, str_enum, utcnow
from registration.staff.roles import Role


class StaffRole(db.Model):
    """One role per account and conference; an administrator needs none (`User`)."""

    __tablename__ = "staff_roles"
    __table_args__ = (UniqueConstraint("user_id", "conference_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    conference_id: Mapped[int] = mapped_column(
        ForeignKey("conferences.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(str_enum(Role))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")


class StaffPolicy(db.Model):
    """One row: what an administrator requires of every staff account."""

    __tablename__ = "staff_policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    two_factor_required: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
