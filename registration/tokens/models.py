"""A personal access token: its owner's rights, narrowed to a scope and some conferences."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registration.accounts.models import User
from registration.conferences.models import Conference
from registration.database import db, str_enum, utcnow
from registration.i18n import N_


class TokenScope(enum.StrEnum):
    READ = "read"
    WRITE = "write"

    @property
    def label(self) -> str:
        return N_("Read only") if self is TokenScope.READ else N_("Read and write")


token_conferences = Table(
    "api_token_conferences",
    db.metadata,
    Column("token_id", ForeignKey("api_tokens.id", ondelete="CASCADE"), primary_key=True),
    Column("conference_id", ForeignKey("conferences.id", ondelete="CASCADE"), primary_key=True),
)


class ApiToken(db.Model):
    """Only the SHA-256 of the secret is kept; `prefix` lets the owner tell tokens apart."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[TokenScope] = mapped_column(str_enum(TokenScope))
    all_conferences: Mapped[bool] = mapped_column(default=True)
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")
    conferences: Mapped[list[Conference]] = relationship(
        secondary=token_conferences, order_by="Conference.starts_at"
    )

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at and self.user.is_active

    def covers(self, conference_id: int) -> bool:
        return self.all_conferences or any(c.id == conference_id for c in self.conferences)

    @property
    def conference_ids(self) -> set[int]:
        return {c.id for c in self.conferences}
