"""The retention period of one conference; a participant erasing their own data."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField
from wtforms.validators import DataRequired, NumberRange, Optional

from registration.input_policy import PolicyForm
from registration.retention.services import MAX_MONTHS


class RetentionForm(PolicyForm):
    months = IntegerField(
        _l("Erase participants' personal data this many months after the end"),
        validators=[
            Optional(),
            NumberRange(min=0, max=MAX_MONTHS, message=_l("Enter 0 to %(max)s months.")),
        ],
    )


class EraseOwnDataForm(PolicyForm):
    """Shown beside the withdrawal form, so its fields are prefixed ("erase-confirm")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "erase")
        super().__init__(*args, **kwargs)

    confirm = BooleanField(
        _l("Yes, withdraw and erase my personal data"),
        validators=[DataRequired(_l("Tick the box to confirm the erasure."))],
    )
