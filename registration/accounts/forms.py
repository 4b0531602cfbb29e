from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length

from registration.accounts.models import User
from registration.input_policy import PolicyForm, column_length


class LoginForm(PolicyForm):
    email = EmailField(
        "E-mail", validators=[DataRequired(), Email(), Length(max=column_length(User.email))]
    )
    password = PasswordField("Password", validators=[DataRequired()])
    remember = BooleanField("Keep me signed in")
