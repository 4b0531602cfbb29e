"""Mail about a visa support letter: issued (with the link to it), declined, revoked; queued
as intents, composed by the worker that sends them."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext

from registration.database import db
from registration.delegates.models import VisaLetter
from registration.i18n import N_, in_language
from registration.mail.compose import Mail
from registration.mail.composers import composes
from registration.mail.outbox import queue_intent
from registration.signup.links import signed_url

LETTER_MAIL = "delegates.letter"
SUBJECTS = {
    "issued": N_("Your visa support letter for %(title)s"),
    "declined": N_("Your request for a visa support letter for %(title)s"),
    "revoked": N_("Your visa support letter for %(title)s is revoked"),
}


def mail_about_letter(letter: VisaLetter, kind: str) -> None:
    """Queue the mail's intent in the caller's transaction (one per letter and state); the
    worker composes it (`letter_mail`)."""
    queue_intent(
        LETTER_MAIL,
        {"letter": letter.id, "kind": kind},
        key=f"visa-letter-{kind}:{letter.id}",
        recipient=letter.registration.email,
    )


@composes(LETTER_MAIL)
def letter_mail(intent: dict[str, Any]) -> Mail | None:
    """The mail of an intent {letter, kind}, in the registrant's mail language."""
    letter = db.session.get(VisaLetter, intent["letter"])
    if letter is None:
        return None
    kind, conference = intent["kind"], letter.conference
    with in_language(letter.registration.mail_language) as language:
        title = conference.text_in("title", language)
        text = current_app.jinja_env.get_template(f"delegates/mail/letter_{kind}.txt").render(
            letter=letter,
            conference=conference,
            title=title,
            link=signed_url(letter.registration, "delegates.letter_page"),
        )
        subject = gettext(SUBJECTS[kind], title=title)
    return Mail(to=letter.registration.email, subject=subject, text=text)
