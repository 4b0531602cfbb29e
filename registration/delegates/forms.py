"""Forms of visa support letters: the person's request (public, translated) and the
organiser's decision and revocation (management pages, English)."""

from __future__ import annotations

import re

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from registration.delegates.models import VisaLetter
from registration.directory.countries import country_choices
from registration.i18n import page_language
from registration.input_policy import PolicyForm, column_length
from registration.signup.forms import STRIP

PASSPORT_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9 -]{3,38}[A-Za-z0-9]")
LONGEST_STAY_DAYS = 90


class VisaRequestForm(PolicyForm):
    passport_name = StringField(
        _l("Full name as in the passport"),
        filters=STRIP,
        validators=[
            DataRequired(_l("Enter your name as the passport writes it.")),
            Length(max=column_length(VisaLetter.passport_name)),
        ],
    )
    passport_number = StringField(
        _l("Passport number"),
        filters=STRIP,
        validators=[
            DataRequired(_l("Enter the passport number.")),
            Length(max=column_length(VisaLetter.passport_number)),
        ],
    )
    nationality = SelectField(
        _l("Nationality"), validators=[DataRequired(_l("Choose your nationality."))]
    )
    arrival = DateField(_l("Arrival"), validators=[InputRequired(_l("Enter the arrival date."))])
    departure = DateField(
        _l("Departure"), validators=[InputRequired(_l("Enter the departure date."))]
    )
    consulate_city = StringField(
        _l("City of the consulate where you apply"),
        filters=STRIP,
        validators=[
            DataRequired(_l("Enter the city of the consulate.")),
            Length(max=column_length(VisaLetter.consulate_city)),
        ],
    )

    def offer_countries(self) -> None:
        countries = [SelectChoice(code, name) for code, name in country_choices(page_language())]
        self.nationality.choices = [SelectChoice("", gettext("Choose…")), *countries]

    def validate_passport_number(self, field: StringField) -> None:
        if field.data and not PASSPORT_NUMBER.fullmatch(field.data):
            raise ValidationError(
                gettext("A passport number has 5 to 40 letters and digits (spaces and dashes too).")
            )

    def validate_departure(self, field: DateField) -> None:
        arrival = self.arrival.data
        if arrival and field.data and field.data < arrival:
            raise ValidationError(gettext("The departure must not be before the arrival."))
        if arrival and field.data and (field.data - arrival).days > LONGEST_STAY_DAYS:
            raise ValidationError(
                gettext("A letter covers a stay of at most %(days)s days.", days=LONGEST_STAY_DAYS)
            )


class LetterDecisionForm(PolicyForm):
    decision = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("issue", _l("Issue the letter")),
            SelectChoice("decline", _l("Decline")),
        ],
        validators=[InputRequired(_l("Choose to issue or decline."))],
    )
    reason = TextAreaField(
        _l("Reason (sent to the person when declining)"), validators=[Length(max=2000)]
    )

    def validate_reason(self, field: TextAreaField) -> None:
        if self.decision.data == "decline" and not (field.data or "").strip():
            raise ValidationError(_l("Give a reason for declining; the person will read it."))


class RevokeForm(PolicyForm):
    reason = TextAreaField(
        _l("Why the letter is revoked (sent to the person)"),
        validators=[DataRequired(_l("Give the reason for revoking the letter.")), Length(max=2000)],
    )


class NumberingForm(PolicyForm):
    """Where the conference's visa letters take their numbers (management page)."""

    scheme = SelectField(_l("Number the letters"), choices=[])
    whole_series = BooleanField(_l("For every conference of the series"))

    def offer_schemes(self, schemes: list[tuple[int, str]]) -> None:
        per_conference = SelectChoice("", _l("Per conference (e.g. TTF9/V/001)"))
        self.scheme.choices = [per_conference] + [
            SelectChoice(str(scheme_id), label) for scheme_id, label in schemes
        ]
