"""The retention period of one conference."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField
from wtforms.validators import NumberRange, Optional

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
