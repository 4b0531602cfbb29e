from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from registration.accounts.models import User
from registration.i18n import SWITCH, page_language
from registration.input_policy import PolicyForm, column_length


class LoginForm(PolicyForm):
    email = EmailField(
        _l("E-mail"), validators=[DataRequired(), Email(), Length(max=column_length(User.email))]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class SetPasswordForm(PolicyForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a password.")), Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(PolicyForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Enter a new password.")), Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )


class CodeForm(PolicyForm):
    code = StringField(
        _l("Six-digit code from your authenticator app"),
        validators=[
            DataRequired(_l("Enter the code your authenticator app shows.")),
            Length(max=20),
        ],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"},
    )


class SecondFactorForm(PolicyForm):
    code = StringField(
        _l("Code from your authenticator app, or a recovery code"),
        validators=[
            DataRequired(_l("Enter the code your authenticator app shows.")),
            Length(max=20),
        ],
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false"},
    )


def languages_named_in_themselves() -> list[SelectChoice]:
    """The interface's languages as choices, each named in itself and marked with its
    language ("Русский", "Қазақша"; WCAG 3.1.2)."""
    return [SelectChoice(code, name, render_kw={"lang": code}) for code, name in SWITCH.items()]


def new_account_language() -> SelectField:
    """The language of an account being created for someone (its first mail, then its
    pages), each named in itself; the page's language unless another is chosen."""
    return SelectField(
        _l("Language of a new account (its e-mails and pages)"),
        choices=languages_named_in_themselves(),
        default=page_language,
        validators=[DataRequired(_l("Choose a language."))],
    )


class LanguageForm(PolicyForm):
    """The language of the account's pages, each named in itself ("Русский", "Қазақша")."""

    language = SelectField(
        _l("Language of the pages once you are signed in"),
        choices=languages_named_in_themselves(),
        validators=[DataRequired(_l("Choose a language."))],
    )
