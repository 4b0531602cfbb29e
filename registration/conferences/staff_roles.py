"""A conference's staff: granting and removing roles (staff invited by e-mail choose their
password by a link), the conferences a user manages, and the slug lookup the access checks use."""

from __future__ import annotations

from typing import Any, NamedTuple

from flask import current_app
from flask_babel import gettext

from registration.accounts import services as accounts
from registration.accounts import sessions
from registration.accounts.links import account_url, password_token
from registration.accounts.models import User
from registration.conferences.models import Conference
from registration.database import db
from registration.i18n import in_language, translate
from registration.mail.compose import Mail
from registration.mail.composers import composes
from registration.mail.outbox import queue_intent
from registration.staff.access import CONFERENCE_ID_BY_SLUG
from registration.staff.models import StaffRole
from registration.staff.roles import Role

GRANT_MAIL = "staff.granted"


class StaffError(ValueError):
    """Why a role cannot be granted, fit to show the person granting it."""


class Visible(NamedTuple):
    """A conference on the management start page, with the viewer's role (None: administrator)."""

    conference: Conference
    role: Role | None


def visible_conferences(user: User) -> list[Visible]:
    """What the management start page lists: every conference for an administrator, else
    those where the user holds a role; newest first."""
    if user.is_administrator:
        query = db.select(Conference).order_by(Conference.starts_at.desc())
        return [Visible(c, None) for c in db.session.scalars(query)]
    rows = db.session.execute(
        db.select(Conference, StaffRole.role)
        .join(StaffRole, StaffRole.conference_id == Conference.id)
        .where(StaffRole.user_id == user.id)
        .order_by(Conference.starts_at.desc())
    ).all()
    return [Visible(conference, role) for conference, role in rows]


def staff_of(conference_id: int) -> list[StaffRole]:
    roles = db.session.scalars(db.select(StaffRole).filter_by(conference_id=conference_id))
    return sorted(roles, key=lambda r: (r.role.value, r.user.email))


def grant(
    conference: Conference, *, email: str, name: str, role: Role, granted_by: int, language: str
) -> StaffRole:
    """Give an account (new, in `language`, or existing) this role in the conference,
    replacing its former role there; a new account gets a link to choose its password. Mails
    them; commits."""
    email = accounts.normalize_email(email)
    user, new_account = accounts.account_for(email, name, language)
    if not new_account and user.is_administrator:
        raise StaffError(
            gettext("%(email)s is an administrator and already holds every role.", email=email)
        )
    held = db.session.scalar(
        db.select(StaffRole).filter_by(user_id=user.id, conference_id=conference.id)
    )
    if held is not None and held.role is role:
        raise StaffError(
            gettext(
                "%(email)s is already %(role)s of this conference.",
                email=email,
                role=translate(role.label).lower(),
            )
        )
    if held is None:
        held = StaffRole(
            user=user, conference_id=conference.id, role=role, granted_by_id=granted_by
        )
        db.session.add(held)
    else:
        held.role, held.granted_by_id = role, granted_by
        sessions.end_all(user.id)  # pages of the former role close at once
    db.session.flush()
    _mail_grant(held, password_link=new_account)
    db.session.commit()
    return held


def _mail_grant(held: StaffRole, *, password_link: bool) -> None:
    """Queue the mail's intent; the worker composes it (`grant_mail`)."""
    queue_intent(
        GRANT_MAIL,
        {"role": held.id, "password_link": password_link},
        key=f"staff-role:{held.id}:{held.role.value}:{held.granted_by_id}",
        recipient=held.user.email,
    )


@composes(GRANT_MAIL)
def grant_mail(intent: dict[str, Any]) -> Mail | None:
    """The mail of an intent {role, password_link} in the account's language (a new
    account's is chosen by who grants the role; English for an older account without one);
    nothing if the role was taken away."""
    held = db.session.get(StaffRole, intent["role"])
    if held is None:
        return None
    user, conference = held.user, db.session.get(Conference, held.conference_id)
    with in_language(user.language) as language:
        title = conference.text_in("title", language)
        text = current_app.jinja_env.get_template("staff/mail/granted.txt").render(
            user=user,
            title=title,
            role=held.role,
            password_link=(
                account_url(user, "accounts.choose_password", token=password_token(user))
                if intent["password_link"]
                else None
            ),
            sign_in_link=account_url(user, "accounts.login"),
        )
        subject = gettext(
            "%(role)s of %(conference)s", role=translate(held.role.label), conference=title
        )
    return Mail(to=user.email, subject=subject, text=text)


def remove(conference_id: int, role_id: int) -> str | None:
    """Take a role away (the account keeps its other roles); the account's e-mail, or None
    when there was no such role. Commits."""
    held = db.session.get(StaffRole, role_id)
    if held is None or held.conference_id != conference_id:
        return None
    email, user_id = held.user.email, held.user_id
    db.session.delete(held)
    sessions.end_all(user_id)  # what the role opened closes at once, on every node
    db.session.commit()
    return email


def conference_id_by_slug(slug: str) -> int | None:
    return db.session.scalar(db.select(Conference.id).filter_by(slug=slug))


def init_app(app: Any) -> None:
    """The access checks (staff.access, below conferences) find a URL's conference here."""
    app.extensions[CONFERENCE_ID_BY_SLUG] = conference_id_by_slug
