"""Creating accounts and checking passwords (argon2id)."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext

from registration.accounts import passwords, sessions
from registration.accounts.models import User
from registration.database import db
from registration.i18n import N_

_hasher = PasswordHasher()


class AccountError(ValueError):
    """A reason an account cannot be created, fit to show the user."""


def normalize_email(email: str) -> str:
    return email.strip().lower()


def check_password(password: str, email: str = "") -> None:
    """Raise AccountError when `password` may not be chosen (accounts/passwords.py)."""
    reason = passwords.problem(password, email)
    if reason is not None:
        raise AccountError(reason)


def create_user(email: str, password: str, *, name: str = "", administrator: bool = False) -> User:
    email = normalize_email(email)
    check_password(password, email)
    if db.session.scalar(db.select(User).filter_by(email=email)) is not None:
        raise AccountError(gettext("An account for %(email)s already exists.", email=email))
    user = User(
        email=email, name=name, password_hash=_hasher.hash(password), is_administrator=administrator
    )
    db.session.add(user)
    db.session.commit()
    return user


def account_for(email: str, name: str, language: str) -> tuple[User, bool]:
    """The account of `email` (already normalised), or a new one in `language` (its first
    mail and its pages) without a usable password (its owner chooses one through a mailed
    link), added and flushed; and whether it is new. An existing account keeps its language."""
    user = db.session.scalar(db.select(User).filter_by(email=email))
    if user is not None:
        return user, False
    user = User(
        email=email,
        name=name.strip(),
        language=language,
        password_hash="!" + secrets.token_hex(16),
    )
    db.session.add(user)
    db.session.flush()
    return user, True


def set_password(user: User, password: str, *, keep_session: int | None = None) -> int:
    """A new password ends every sign-in of the account but `keep_session` (ASVS V3.3);
    how many ended. Commits."""
    check_password(password, user.email)
    user.password_hash = _hasher.hash(password)
    ended = sessions.end_all(user.id, keep=keep_session)
    db.session.commit()
    return ended


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    user = db.session.scalar(db.select(User).filter_by(email=normalize_email(email)))
    if user is None:
        _hasher.hash(password)  # spend the same time as a real check
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
        db.session.commit()
    return user if user.is_active else None


def change_password(user: User, current: str, new: str, *, keep_session: int | None) -> int:
    """`set_password` after checking the current one."""
    try:
        _hasher.verify(user.password_hash, current)
    except (VerificationError, InvalidHashError) as error:
        raise AccountError(N_("The current password is not right.")) from error
    return set_password(user, new, keep_session=keep_session)


def deactivate(user: User) -> None:
    """The account can no longer sign in; its sign-ins end at once. Commits."""
    user.is_active_account = False
    sessions.end_all(user.id)
    db.session.commit()


def set_language(user: User, language: str) -> None:
    """The language of the account's pages, in every sign-in from now on. Commits."""
    user.language = language
    db.session.commit()


def end_every_sign_in(user: User) -> None:
    """End all of the account's sign-ins, on every node. Commits."""
    sessions.end_all(user.id)
    db.session.commit()
