"""Mail about a visa support letter: issued (with the link to it), declined, revoked."""

from __future__ import annotations

from flask import current_app

from registration.delegates.models import VisaLetter
from registration.mail.compose import Mail
from registration.mail.outbox import queue_mail
from registration.signup.links import external_url, manage_token

SUBJECTS = {
    "issued": "Your visa support letter for {title}",
    "declined": "Your request for a visa support letter for {title}",
    "revoked": "Your visa support letter for {title} is revoked",
}


def letter_page_url(letter: VisaLetter) -> str:
    registration = letter.registration
    return external_url(
        "delegates.letter_page",
        slug=registration.conference.slug,
        token=manage_token(registration),
    )


def mail_about_letter(letter: VisaLetter, kind: str) -> None:
    """Queue the mail in the caller's transaction (one per letter and state)."""
    conference = letter.conference
    text = current_app.jinja_env.get_template(f"delegates/mail/letter_{kind}.txt").render(
        letter=letter, conference=conference, link=letter_page_url(letter)
    )
    queue_mail(
        Mail(
            to=letter.registration.email,
            subject=SUBJECTS[kind].format(title=conference.title),
            text=text,
        ),
        key=f"visa-letter-{kind}:{letter.id}",
    )
