"""Invitation forms: one person, or a pasted list / CSV upload; both may name panels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField
from wtforms import SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from registration.input_policy import PolicyForm, column_length
from registration.invitations.models import Invitation
from registration.signup.models import ParticipantRole

ROLE_CHOICES = [SelectChoice(r.value, _l(r.label)) for r in ParticipantRole]


class PanelChoice(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class InviteOneForm(PolicyForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(), Length(max=column_length(Invitation.name))]
    )
    email = StringField(
        _l("E-mail"),
        validators=[DataRequired(), Email(), Length(max=column_length(Invitation.email))],
    )
    member = SelectField(_l("Member state or organisation"), coerce=str, validators=[Optional()])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default=ParticipantRole.PARTICIPANT.value)
    panels = PanelChoice(_l("Only these panels (none ticked: the whole conference)"), coerce=int)


class InviteListForm(PolicyForm):
    people = TextAreaField(_l("Paste a list"), validators=[Optional(), Length(max=2_000_000)])
    upload = FileField(
        _l("Or upload a CSV file"),
        validators=[FileAllowed(["csv", "txt"], _l("A .csv file, please."))],
    )
    panels = PanelChoice(_l("Only these panels (none ticked: the whole conference)"), coerce=int)
