from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length

from registration.accounts.models import User
from registration.input_policy import PolicyForm, column_length


class LoginForm(PolicyForm):
    email = EmailField(
        "E-mail", validators=[DataRequired(), Email(), Length(max=column_length(User.email))]
    )
    password = PasswordField("Password", validators=[DataRequired()])


class SetPasswordForm(PolicyForm):
    password = PasswordField(
        "New password",
        validators=[DataRequired("Enter a password."), Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(PolicyForm):
    current = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password.")],
        render_kw={"autocomplete": "current-password"},
    )
    password = PasswordField(
        "New password",
        validators=[DataRequired("Enter a new password."), Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )


class CodeForm(PolicyForm):
    code = StringField(
        "Six-digit code from your authenticator app",
        validators=[DataRequired("Enter the code your authenticator app shows."), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"},
    )


class SecondFactorForm(PolicyForm):
    code = StringField(
        "Code from your authenticator app, or a recovery code",
        validators=[DataRequired("Enter the code your authenticator app shows."), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false"},
    )
