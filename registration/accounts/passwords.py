"""Which passwords may be chosen (OWASP ASVS 4.0 V2.1, level 2): length over composition.

At least 12 characters and at most 200 (any characters, spaces too; no rules about digits or
capitals), and not one of the 30,000 most common passwords: the list zxcvbn ships (Dropbox's
password-strength library, taken from leaked password sets), nor the account's e-mail.
"""

from __future__ import annotations

from functools import cache

from flask_babel import gettext
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from registration.i18n import format_number

MIN_LENGTH = 12
MAX_LENGTH = 200


@cache
def _common() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def problem(password: str, email: str = "") -> str | None:
    """Why `password` may not be chosen, in words; None when it may."""
    if len(password) < MIN_LENGTH:
        return gettext(
            "The password must have at least %(num)s characters.", num=format_number(MIN_LENGTH)
        )
    if len(password) > MAX_LENGTH:
        return gettext(
            "The password can have at most %(num)s characters.", num=format_number(MAX_LENGTH)
        )
    folded = password.casefold()
    local_part = email.casefold().partition("@")[0]
    if folded in _common() or folded in {email.casefold(), local_part}:
        return gettext(
            "This is one of the most common passwords, or your e-mail address: choose "
            "another. A few words you remember are best."
        )
    return None
