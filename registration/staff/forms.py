"""The form that grants a role in a conference."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from registration.accounts.forms import new_account_language
from registration.accounts.models import User
from registration.input_policy import PolicyForm, column_length
from registration.staff.roles import Role

STRIP = [lambda value: value.strip() if isinstance(value, str) else value]


class GrantRoleForm(PolicyForm):
    email = EmailField(
        _l("Account e-mail"),
        filters=STRIP,
        validators=[
            DataRequired(_l("Enter the staff member's e-mail address.")),
            Email(_l("Enter a valid e-mail address, like name@example.org.")),
            Length(max=column_length(User.email)),
        ],
    )
    name = StringField(
        _l("Name (for a new account)"),
        filters=STRIP,
        validators=[Length(max=column_length(User.name))],
    )
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice("", _l("Choose…"))]
        + [SelectChoice(r.value, _l(r.label)) for r in Role],
        validators=[DataRequired(_l("Choose a role."))],
    )
    language = new_account_language()


class StaffPolicyForm(PolicyForm):
    two_factor_required = BooleanField(
        _l("Every staff account signs in with a second factor (an authenticator app's code)")
    )
