"""The form that makes a personal access token."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from markupsafe import escape
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from registration.conferences.models import Conference
from registration.input_policy import PolicyForm, column_length
from registration.signup.forms import CheckboxesField
from registration.tokens.models import ApiToken, TokenScope

LIFETIMES = [
    SelectChoice(7, _l("7 days")),
    SelectChoice(30, _l("30 days")),
    SelectChoice(90, _l("90 days")),
    SelectChoice(365, _l("One year")),
]


class TokenForm(PolicyForm):
    name = StringField(
        _l("Token name"),
        description=_l("What the token is for, e.g. 'Ministry registration system'."),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            DataRequired(_l("Give the token a name.")),
            Length(max=column_length(ApiToken.name)),
        ],
    )
    scope = RadioField(
        _l("What it may do"),
        choices=[SelectChoice(s.value, _l(s.label)) for s in TokenScope],
        validators=[InputRequired(_l("Choose read only, or read and write."))],
    )
    days = SelectField(
        _l("Expires after"), coerce=int, choices=LIFETIMES, default=90, validate_choice=True
    )
    reach = RadioField(
        _l("Conferences"),
        choices=[
            SelectChoice("all", _l("All the conferences I may see")),
            SelectChoice("some", _l("Only those chosen below")),
        ],
        default="all",
        validators=[InputRequired(_l("Choose all conferences or some."))],
    )
    conferences = CheckboxesField(_l("Chosen conferences"), coerce=int, validate_choice=True)

    def offer(self, conferences: Sequence[Conference]) -> None:
        # a title in another language than the page's carries its lang (WCAG 3.1.2)
        titles = [(c.id, escape(c.shown("title"))) for c in conferences]
        self.conferences.choices = [SelectChoice(i, t) for i, t in titles]  # type: ignore[arg-type]

    def validate_conferences(self, field: CheckboxesField) -> None:
        if self.reach.data == "some" and not field.data:
            raise ValidationError(_l("Choose at least one conference, or all of them."))
