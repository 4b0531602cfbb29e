"""Why a registration change cannot be made: messages fit to show the person.

Each error keeps its English message (str(error), for logs, mail and management pages) and
the message id with its values, so a public page shows it in the visitor's language:
`error.translated()`.
"""

from __future__ import annotations

from registration.i18n import N_, worded
from registration.signup.models import RegistrationStatus


class SignupError(ValueError):
    """A reason a registration change cannot be made, fit to show the person."""

    def __init__(self, message: str, **values: str) -> None:
        super().__init__(message % values if values else message)
        self.message = message
        self.values = values

    def translated(self) -> str:
        """The message in the page's language; values that are messages themselves (a quota
        reason) are translated too, the others (an address) come back unchanged."""
        return worded(self.message, self.values)


class RegistrationClosedError(SignupError):
    pass


class DuplicateRegistrationError(SignupError):
    """This e-mail is already registered; the manage link has been mailed again."""


class LinkInvalidError(SignupError):
    pass


class LinkExpiredError(LinkInvalidError):
    pass


# Why a registration cannot be approved, or rejected, by its status: whole sentences, so
# each language words them (a bulk action stores the message and shows it translated).
NOT_APPROVABLE = {
    RegistrationStatus.APPROVED: N_(
        "Only pending registrations can be approved; this one is approved."
    ),
    RegistrationStatus.WAITLISTED: N_(
        "Only pending registrations can be approved; this one is waitlisted."
    ),
    RegistrationStatus.REJECTED: N_(
        "Only pending registrations can be approved; this one is rejected."
    ),
    RegistrationStatus.WITHDRAWN: N_(
        "Only pending registrations can be approved; this one is withdrawn."
    ),
}
NOT_REJECTABLE = {
    RegistrationStatus.REJECTED: N_("This registration is already rejected."),
    RegistrationStatus.WITHDRAWN: N_("This registration is already withdrawn."),
}
