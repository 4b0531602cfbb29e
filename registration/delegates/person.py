"""One page per person: their e-mail address gets a signed, expiring sign-in link (no
password) to a page of all their registrations across conferences."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from registration.accounts.services import normalize_email
from registration.conferences.models import Conference
from registration.database import db
from registration.delegates.letters import current_letter
from registration.delegates.models import LetterStatus, VisaLetter
from registration.i18n import N_, in_language
from registration.mail.compose import Mail
from registration.mail.composers import composes
from registration.mail.outbox import queue_intent
from registration.signup.links import registrant_url
from registration.signup.mail_language import change_mail_language as change_mail_language_of
from registration.signup.mailing import gets_badge
from registration.signup.models import Registration

SALT = "delegates.person.v1"
EXPIRED = N_("This sign-in link has expired. Ask for a new one below.")
INVALID = N_("This sign-in link is not valid. Ask for a new one below.")
RESEND_WINDOW_SECONDS = 600
PERSON_LINK = "delegates.person_link"


class PersonLinkError(ValueError):
    """An expired or forged sign-in link; the message (marked N_) says which."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def person_token(email: str) -> str:
    return _serializer().dumps({"e": normalize_email(email)})


def email_for_token(token: str) -> str:
    """The address a sign-in link was sent to; PersonLinkError when it expired or is forged."""
    max_age = current_app.config["PERSON_LINK_MAX_AGE_HOURS"] * 3600
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise PersonLinkError(
            N_("This sign-in link has expired. Ask for a new one below.")
        ) from error
    except BadSignature as error:
        raise PersonLinkError(
            N_("This sign-in link is not valid. Ask for a new one below.")
        ) from error
    email = payload.get("e") if isinstance(payload, dict) else None
    if not isinstance(email, str) or not email:
        raise PersonLinkError(INVALID)
    return email


def registrations_of(email: str) -> list[Registration]:
    """Every registration of this address, the latest conference first."""
    return list(
        db.session.scalars(
            db.select(Registration)
            .join(Registration.conference)
            .where(Registration.email == normalize_email(email))
            .order_by(Conference.starts_at.desc(), Registration.id)
        )
    )


def send_link(email: str) -> bool:
    """Mail the sign-in link if the address has a registration (at most once per window);
    commits; the worker composes it (`person_link_mail`). Whether it was sent is not for the
    visitor to know (the page says the same)."""
    address = normalize_email(email)
    registrations = registrations_of(address)
    if not registrations:
        return False
    window = int(time.time() // RESEND_WINDOW_SECONDS)
    queue_intent(
        PERSON_LINK, {"address": address}, key=f"person-link:{address}:{window}", recipient=address
    )
    db.session.commit()
    return True


@composes(PERSON_LINK)
def person_link_mail(intent: dict[str, Any]) -> Mail | None:
    """The sign-in link of an intent {address}, in the language of the person's latest
    registration; nothing if the address has none any more."""
    address = intent["address"]
    registrations = registrations_of(address)
    if not registrations:
        return None
    latest = registrations[0]
    with in_language(latest.mail_language):
        text = current_app.jinja_env.get_template("delegates/mail/person_link.txt").render(
            link=registrant_url(latest, "person.page", token=person_token(address)),
            hours=current_app.config["PERSON_LINK_MAX_AGE_HOURS"],
        )
        subject = gettext("Your registrations with the CICA Secretariat")
    return Mail(to=address, subject=subject, text=text)


@dataclass(frozen=True)
class Entry:
    """One registration as the person's page shows it."""

    registration: Registration
    has_badge: bool
    letter: VisaLetter | None


def entries(email: str) -> list[Entry]:
    found = []
    for registration in registrations_of(email):
        letter = current_letter(registration.id)
        issued = letter if letter is not None and letter.status is LetterStatus.ISSUED else None
        found.append(Entry(registration, gets_badge(registration), issued))
    return found


def change_mail_language(email: str, language: str) -> int:
    """Write to this address in `language` from now on, about every registration it has;
    how many changed. Commits."""
    changed = 0
    for registration in registrations_of(email):
        if registration.mail_language != language:
            change_mail_language_of(registration, language, commit=False)
            changed += 1
    db.session.commit()
    return changed
