"""Mail to registrants: confirmation links, decisions, promotions, withdrawals (queued as
intents, composed by the worker that sends them)."""

from __future__ import annotations

import time
from typing import Any

from flask import current_app
from flask_babel import gettext

from registration.accounts.services import normalize_email
from registration.database import db
from registration.i18n import N_, in_language
from registration.mail.compose import Mail
from registration.mail.composers import composes
from registration.mail.outbox import queue_intent
from registration.signup.answers import has_follow_up
from registration.signup.badges import badge_attachment
from registration.signup.links import answers_url, manage_url
from registration.signup.models import (
    AttendanceMode,
    Registration,
    RegistrationStatus,
)

RESEND_WINDOW_SECONDS = 600
REGISTRANT = "signup.registrant"


SUBJECTS = {
    "confirm": N_("Confirm your registration for %(title)s"),
    "link": N_("Your registration for %(title)s"),
    "approved": N_("Your registration for %(title)s is approved"),
    "rejected": N_("Your registration for %(title)s was not accepted"),
    "promoted": N_("A place is free for you at %(title)s"),
    "withdrawn": N_("Your registration for %(title)s is withdrawn"),
    "badge": N_("Your badge for %(title)s"),
}


def render_mail(template: str, **context: object) -> str:
    """A mail body from a template; works outside requests (CLI, workers)."""
    return current_app.jinja_env.get_template(template).render(**context)


def mail_stamp() -> int:
    return time.time_ns() // 1000


def mail_registrant(
    registration: Registration, kind: str, key: str, *, batch: str | None = None
) -> None:
    """Queue a mail to the registrant (no commit): only its intent; a worker composes it
    (`registrant_mail`), so the request that causes it does not pay for it."""
    if registration.id is None:
        db.session.flush()
    queue_intent(
        REGISTRANT,
        {"registration": registration.id, "kind": kind},
        key=key,
        recipient=registration.email,
        batch=batch,
    )


@composes(REGISTRANT)
def registrant_mail(intent: dict[str, Any]) -> Mail | None:
    """The mail of an intent {registration, kind}, with the badge for those who get one, in
    the registrant's language (the conference's texts in it where they exist)."""
    registration = db.session.get(Registration, intent["registration"])
    if registration is None:
        return None
    kind = intent["kind"]
    conference = registration.conference
    with in_language(registration.mail_language) as language:
        title = conference.text_in("title", language)
        text = render_mail(
            f"signup/mail/{kind}.txt",
            registration=registration,
            conference=conference,
            title=title,
            link=manage_url(registration),
            answers_link=_answers_link(registration) if kind == "approved" else "",
        )
        subject = gettext(SUBJECTS[kind], title=title)
    attachments = [badge_attachment(registration)] if gets_badge(registration) else []
    return Mail(to=registration.email, subject=subject, text=text, attachments=attachments)


def _answers_link(registration: Registration) -> str:
    """The link to the follow-up questions, when some are asked of this person."""
    if not has_follow_up(registration.conference_id, registration.mode):
        return ""
    return answers_url(registration)


def gets_badge(registration: Registration) -> bool:
    """Approved in-person participants receive their QR badge with the mail."""
    return (
        registration.status is RegistrationStatus.APPROVED
        and registration.mode is AttendanceMode.IN_PERSON
    )


def resend_link(registration: Registration) -> None:
    """Mail the manage link again, at most once per window per registration; commits."""
    window = int(time.time() // RESEND_WINDOW_SECONDS)
    mail_registrant(registration, "link", f"signup-link:{registration.id}:{window}")
    db.session.commit()


def resend_link_for(conference_id: int, email: str) -> None:
    """Mail the manage link if this address is registered; silent otherwise."""
    registration = db.session.scalar(
        db.select(Registration).filter_by(conference_id=conference_id, email=normalize_email(email))
    )
    if registration is not None:
        resend_link(registration)
