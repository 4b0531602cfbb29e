"""The form that makes a personal access token."""

from __future__ import annotations

from collections.abc import Sequence

from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from registration.conferences.models import Conference
from registration.input_policy import PolicyForm, column_length
from registration.signup.forms import CheckboxesField
from registration.tokens.models import ApiToken, TokenScope

LIFETIMES = [
    SelectChoice(7, "7 days"),
    SelectChoice(30, "30 days"),
    SelectChoice(90, "90 days"),
    SelectChoice(365, "One year"),
]


class TokenForm(PolicyForm):
    name = StringField(
        "Name",
        description="What the token is for, e.g. 'Ministry registration system'.",
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            DataRequired("Give the token a name."),
            Length(max=column_length(ApiToken.name)),
        ],
    )
    scope = RadioField(
        "What it may do",
        choices=[SelectChoice(s.value, s.label) for s in TokenScope],
        validators=[InputRequired("Choose read only, or read and write.")],
    )
    days = SelectField(
        "Expires after", coerce=int, choices=LIFETIMES, default=90, validate_choice=True
    )
    reach = RadioField(
        "Conferences",
        choices=[
            SelectChoice("all", "All the conferences I may see"),
            SelectChoice("some", "Only those chosen below"),
        ],
        default="all",
        validators=[InputRequired("Choose all conferences or some.")],
    )
    conferences = CheckboxesField("Chosen conferences", coerce=int, validate_choice=True)

    def offer(self, conferences: Sequence[Conference]) -> None:
        self.conferences.choices = [SelectChoice(c.id, c.title) for c in conferences]

    def validate_conferences(self, field: CheckboxesField) -> None:
        if self.reach.data == "some" and not field.data:
            raise ValidationError("Choose at least one conference, or all of them.")
