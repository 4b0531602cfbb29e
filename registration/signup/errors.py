"""Why a registration change cannot be made: messages fit to show the person."""

from __future__ import annotations


class SignupError(ValueError):
    """A reason a registration change cannot be made, fit to show the person."""


class RegistrationClosedError(SignupError):
    pass


class DuplicateRegistrationError(SignupError):
    """This e-mail is already registered; the manage link has been mailed again."""


class LinkInvalidError(SignupError):
    pass


class LinkExpiredError(LinkInvalidError):
    pass
