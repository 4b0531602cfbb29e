"""User accounts of the secretariat and of member-state focal points."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from registration.accounts import totp_keys
from registration.database import db, utcnow


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    # Secretariat-wide: every permission in every conference (registration/staff/roles.py).
    is_administrator: Mapped[bool] = mapped_column(default=False)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Two-factor sign-in (registration/accounts/two_factor.py): the TOTP key, sealed
    # (registration/accounts/totp_keys.py; `totp_secret` reads and writes it), and the last
    # time step whose code was used (a code works once).
    sealed_totp_secret: Mapped[str | None] = mapped_column("totp_secret", String(400))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # The language of the pages once signed in (en, ru, kk); None: the browser's choice.
    language: Mapped[str | None] = mapped_column(String(8))

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    @property
    def has_two_factor(self) -> bool:
        """Two-factor sign-in is on (asks nothing of the key's seal)."""
        return self.sealed_totp_secret is not None

    @property
    def totp_secret(self) -> str | None:
        """The TOTP key, unsealed (UnreadableTotpKeyError if its sealing key is gone)."""
        sealed = self.sealed_totp_secret
        return totp_keys.unseal(sealed) if sealed is not None else None

    @totp_secret.setter
    def totp_secret(self, value: str | None) -> None:
        self.sealed_totp_secret = totp_keys.seal(value) if value else None


class AccountSession(db.Model):
    """One signed-in browser of an account: listed, ended by sign-out or on the server side.

    The browser's cookie names a server-side session (Flask-Session); that session holds a
    random key whose SHA-256 is `key_hash`. Deleting the row ends the sign-in on every node.
    """

    __tablename__ = "account_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    address: Mapped[str] = mapped_column(String(64), default="")


class RecoveryCode(db.Model):
    """A one-use code that stands in for the authenticator app (SHA-256 of it)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column()
