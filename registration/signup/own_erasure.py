"""Erasing one's own personal data, offered on the person's registration page.

Retention erases (it reaches invitations, mail and built files, above signup) and registers
its eraser here, as invitations register their lookup in `invited`; signup imports none of
them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import DataRequired

from registration.input_policy import PolicyForm
from registration.signup.models import Registration

Eraser = Callable[[Registration], Any]
_ERASERS: list[Eraser] = []


def erases_own_data(eraser: Eraser) -> Eraser:
    """Decorator: `eraser(registration)` withdraws it and erases the person's data; commits."""
    _ERASERS.append(eraser)
    return eraser


def erase_own_data(registration: Registration) -> None:
    """Withdraw the registration and erase the person's data in this conference; commits."""
    (eraser,) = _ERASERS  # one capability erases: retention
    eraser(registration)


class EraseOwnDataForm(PolicyForm):
    """Shown beside the withdrawal form, so its fields are prefixed ("erase-confirm")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "erase")
        super().__init__(*args, **kwargs)

    confirm = BooleanField(
        _l("Yes, withdraw and erase my personal data"),
        validators=[DataRequired(_l("Tick the box to confirm the erasure."))],
    )
