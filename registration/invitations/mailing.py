"""An invitation's mail, in the invitee's language: the one they chose for their latest
registration with us if they have one, else the conference's. The fan-out job queues its
intent; the worker that sends it composes it (`invitation_intent_mail`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app
from flask_babel import gettext
from sqlalchemy import func, select

from registration.conferences.models import Conference
from registration.database import db
from registration.i18n import format_day, in_language
from registration.invitations.models import Invitation
from registration.mail.compose import Mail, render_mail
from registration.mail.composers import composes
from registration.signup.models import Registration

INVITATION_MAIL = "invitations.invitation"


def known_languages(emails: Iterable[str]) -> dict[str, str]:
    """{lower-case address: mail language of its latest registration} for these addresses."""
    wanted = {email.lower() for email in emails}
    if not wanted:
        return {}
    rows = db.session.execute(
        select(func.lower(Registration.email), Registration.mail_language)
        .where(func.lower(Registration.email).in_(wanted))
        .order_by(Registration.id)
    )
    return dict(rows.all())  # the latest registration last: it wins


def links(invitation: Invitation, conference: Conference, language: str) -> dict[str, str]:
    """The personal links, opening the pages in the mail's language."""
    base = current_app.config["BASE_URL"]
    register = f"{base}/conferences/{conference.slug}/register?invitation={invitation.token}"
    return {
        "register": f"{register}&lang={language}",
        "decline": f"{base}/invitations/{invitation.token}/decline?lang={language}",
    }


def invitation_mail(
    invitation: Invitation, conference: Conference, reminder: bool, language: str
) -> Mail:
    """The invitation (or its reminder) in `language`, the register page in it too."""
    with in_language(language) as code:
        context = {
            "invitation": invitation,
            "conference": conference,
            "language": code,
            "reminder": reminder,
            "links": links(invitation, conference, code),
            "when": format_day(conference.local(conference.starts_at)),
        }
        title = conference.text_in("title", code)
        if reminder:
            subject = gettext("Reminder: invitation to %(title)s", title=title)
        else:
            subject = gettext("Invitation to %(title)s", title=title)
        return Mail(
            to=invitation.email,
            subject=subject,
            text=render_mail("invitations/mail.txt", **context),
            html=render_mail("invitations/mail.html", **context),
        )


@composes(INVITATION_MAIL)
def invitation_intent_mail(intent: dict[str, Any]) -> Mail | None:
    """The mail of an intent {invitation, reminder, language}; nothing if it was erased."""
    invitation = db.session.get(Invitation, intent["invitation"])
    if invitation is None:
        return None
    conference = db.session.get(Conference, invitation.conference_id)
    if conference is None:
        return None
    return invitation_mail(invitation, conference, intent["reminder"], intent["language"])
