"""An administrator's actions on staff accounts: deactivate, reactivate, invite again; each
in the audit log, in the same transaction."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext

from registration.accounts import sessions
from registration.accounts.links import account_url, password_token
from registration.accounts.models import User
from registration.audit.recorder import record
from registration.database import db, utcnow
from registration.i18n import in_language
from registration.mail.compose import Mail
from registration.mail.composers import composes
from registration.mail.outbox import queue_intent
from registration.staff.models import StaffRole

INVITATION_MAIL = "staff.invitation"


class AccountAdminError(ValueError):
    """Why the action does not apply to this account, fit to show the administrator."""


def staff_accounts() -> list[User]:
    """Administrators and holders of a role, active ones first, each by e-mail."""
    holders = db.select(StaffRole.user_id)
    return list(
        db.session.scalars(
            db.select(User)
            .where(User.is_administrator | User.id.in_(holders))
            .order_by(User.is_active_account.desc(), User.email)
        )
    )


def awaits_password(user: User) -> bool:
    """Invited, and no password chosen yet (a new account's hash is a random placeholder)."""
    return user.password_hash.startswith("!")


def _account(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def _log(action: str, user: User) -> None:
    record(action, subject_type="account", subject_id=user.id, subject=user.email)


def deactivate(user_id: int) -> str | None:
    """The account can no longer sign in; its sign-ins end at once. Its e-mail, or None
    when there is no such account. Commits."""
    user = _account(user_id)
    if user is None:
        return None
    if not user.is_active_account:
        raise AccountAdminError(gettext("%(email)s is already deactivated.", email=user.email))
    user.is_active_account = False
    sessions.end_all(user.id)
    _log("staff_account.deactivated", user)
    db.session.commit()
    return user.email


def reactivate(user_id: int) -> str | None:
    """The account may sign in again (with its roles as they are). Commits."""
    user = _account(user_id)
    if user is None:
        return None
    if user.is_active_account:
        raise AccountAdminError(gettext("%(email)s is active.", email=user.email))
    user.is_active_account = True
    _log("staff_account.reactivated", user)
    db.session.commit()
    return user.email


def invite_again(user_id: int) -> str | None:
    """Mail a fresh link to choose a password to an account that has none yet (the first
    link lasts 7 days). Twice within a minute mails once. Commits."""
    user = _account(user_id)
    if user is None:
        return None
    if not user.is_active_account:
        raise AccountAdminError(
            gettext("%(email)s is deactivated: reactivate it first.", email=user.email)
        )
    if not awaits_password(user):
        raise AccountAdminError(
            gettext("%(email)s has chosen a password already.", email=user.email)
        )
    queue_intent(
        INVITATION_MAIL,
        {"user": user.id},
        key=f"staff-invitation:{user.id}:{utcnow():%Y%m%d%H%M}",
        recipient=user.email,
    )
    _log("staff_account.invited_again", user)
    db.session.commit()
    return user.email


@composes(INVITATION_MAIL)
def invitation_mail(intent: dict[str, Any]) -> Mail | None:
    """The invitation of an intent {user}, in the account's language; nothing once the
    password is chosen or the account deactivated."""
    user = _account(intent["user"])
    if user is None or not user.is_active_account or not awaits_password(user):
        return None
    with in_language(user.language):
        text = current_app.jinja_env.get_template("staff/mail/invitation.txt").render(
            user=user,
            password_link=account_url(user, "accounts.choose_password", token=password_token(user)),
            sign_in_link=account_url(user, "accounts.login"),
        )
        subject = gettext("Choose your password: CICA Secretariat")
    return Mail(to=user.email, subject=subject, text=text)
