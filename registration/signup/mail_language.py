"""The registrant changes the language of our messages after registering (the manage link's
page, or /my for all their registrations): later mail, calendar invitations, reminders,
badges and certificates follow it."""

from __future__ import annotations

from flask import current_app

from registration.database import db
from registration.i18n import N_
from registration.signup.errors import SignupError
from registration.signup.models import Registration


def change_mail_language(
    registration: Registration, language: str, *, commit: bool = True
) -> Registration:
    """Write to the person in `language` from now on (one of LANGUAGES); commits unless told
    not to. What was sent already stays as it was."""
    if language not in current_app.config["LANGUAGES"]:
        raise SignupError(N_("Choose one of the languages offered."))
    if registration.mail_language != language:
        registration.mail_language = language
        if commit:
            db.session.commit()
    return registration
