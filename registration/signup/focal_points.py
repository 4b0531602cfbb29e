"""Focal points: accounts that review one member's delegation to a conference.

A new focal point gets an account without a usable password and a mailed, signed,
one-use link (valid 7 days) to choose one; an existing account is told by mail. The request
queues the mail's intent; the worker that sends it composes it (`focal_point_mail`).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext

from registration.accounts import services as accounts
from registration.accounts.links import account_url, password_token
from registration.accounts.models import User
from registration.conferences.models import Conference
from registration.database import db
from registration.directory.models import Member
from registration.directory.services import member_key, member_name
from registration.i18n import N_, in_language, page_language
from registration.mail.compose import Mail
from registration.mail.composers import composes
from registration.mail.outbox import queue_intent
from registration.signup.errors import SignupError
from registration.signup.mailing import render_mail
from registration.signup.models import FocalPoint

FOCAL_POINT = "signup.focal_point"


def set_password(user: User, password: str) -> None:
    accounts.set_password(user, password)


def focal_points(conference_id: int, language: str) -> list[FocalPoint]:
    """The conference's focal points by member (its name in `language`), then address."""
    points = db.session.scalars(db.select(FocalPoint).filter_by(conference_id=conference_id)).all()
    return sorted(points, key=lambda p: (member_key(p.member, language), p.user.email))


def assign(
    conference: Conference, *, email: str, name: str, member: Member, language: str
) -> FocalPoint:
    """Make an account (new, in `language`, or existing) a focal point of `member`; mails
    them; commits."""
    email = accounts.normalize_email(email)
    user, new_account = accounts.account_for(email, name, language)
    if not new_account and db.session.scalar(
        db.select(FocalPoint.id).filter_by(
            user_id=user.id, conference_id=conference.id, member_id=member.id
        )
    ):
        raise SignupError(
            N_("%(email)s is already a focal point of %(member)s."),
            email=email,
            member=member_name(member, page_language()),
        )
    point = FocalPoint(user=user, conference=conference, member=member)
    db.session.add(point)
    db.session.flush()
    queue_intent(
        FOCAL_POINT,
        {"point": point.id, "new_account": new_account},
        key=f"focal-point:{point.id}",
        recipient=email,
    )
    db.session.commit()
    return point


@composes(FOCAL_POINT)
def focal_point_mail(intent: dict[str, Any]) -> Mail | None:
    """The mail of an intent {point, new_account}, in the account's language: a new
    account's link to choose a password, and the way to the delegation; nothing if the focal
    point was removed."""
    point = db.session.get(FocalPoint, intent["point"])
    if point is None:
        return None
    user, conference, member = point.user, point.conference, point.member
    with in_language(user.language) as language:
        title = conference.text_in("title", language)
        state = member_name(member, language)
        text = render_mail(
            "signup/mail/focal_point.txt",
            user=user,
            title=title,
            member_name=state,
            password_link=(
                account_url(user, "signup.focal_point_password", token=password_token(user))
                if intent["new_account"]
                else None
            ),
            delegation_link=account_url(
                user, "accounts.login", next=f"/delegation/{conference.slug}/"
            ),
        )
        subject = gettext(
            "Focal point of %(member)s for %(conference)s", member=state, conference=title
        )
    return Mail(to=user.email, subject=subject, text=text)


def remove(conference_id: int, point_id: int) -> None:
    point = db.session.get(FocalPoint, point_id)
    if point is not None and point.conference_id == conference_id:
        db.session.delete(point)
        db.session.commit()
