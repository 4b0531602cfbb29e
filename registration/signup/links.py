"""The signed link mailed to each registrant: it confirms the address and opens the registration.
Every link mailed to a registrant is built by `registrant_url`, so it opens its page in the
registration's mail language whatever the browser prefers."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from registration.accounts.links import external_url
from registration.database import db
from registration.i18n import N_, offered
from registration.signup.errors import LinkExpiredError, LinkInvalidError
from registration.signup.models import Registration

MANAGE_SALT = "signup-manage"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=MANAGE_SALT)


def manage_token(registration: Registration) -> str:
    return _serializer().dumps({"r": registration.id, "e": registration.email})


def registration_for_token(token: str) -> Registration:
    """The registration a signed link names; raises LinkExpiredError or LinkInvalidError."""
    max_age = int(timedelta(days=current_app.config["SIGNUP_LINK_MAX_AGE_DAYS"]).total_seconds())
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise LinkExpiredError(N_("This link has expired. Ask for a new one below.")) from error
    except BadSignature as error:
        raise LinkInvalidError(N_("This link is not valid. Ask for a new one below.")) from error
    registration = db.session.get(Registration, payload.get("r"))
    if registration is None or registration.email != payload.get("e"):
        raise LinkInvalidError(
            N_("This link does not match a registration. Ask for a new one below.")
        )
    return registration


def registrant_url(registration: Registration, endpoint: str, **values: object) -> str:
    """A link mailed to a registrant, opening the page in their mail language (?lang=; the
    session's pages then keep to it)."""
    return external_url(endpoint, **values, lang=offered(registration.mail_language))


def signed_url(registration: Registration, endpoint: str) -> str:
    """A page of the conference opened by the registration's signed token, mailed to them."""
    return registrant_url(
        registration, endpoint, slug=registration.conference.slug, token=manage_token(registration)
    )


def manage_url(registration: Registration) -> str:
    """The mailed link: opening it confirms the address, then shows the registration."""
    return signed_url(registration, "signup.confirm")


def answers_url(registration: Registration) -> str:
    """The person's answers page (the follow-up questions after approval)."""
    return signed_url(registration, "signup_answers.answers_page")
