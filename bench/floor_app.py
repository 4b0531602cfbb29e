"""The floor: the least a registration flow can cost in this stack.

Same URL, same form fields and same client as the real form, but nothing of the domain:
a Flask-WTF form (CSRF on) with the same fields, GET renders a two-line page, POST
validates and runs one SQLAlchemy Core INSERT in its own transaction, then redirects.
No capacity, quotas, waiting list, mail, Celery, rate limiter, sessions beyond the CSRF
one, templates or security headers. Whatever the real flow costs above this is ours.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask, redirect, render_template_string
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "floor-bench-only")
engine = sa.create_engine(
    os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
)
metadata = sa.MetaData()
signups = sa.Table(
    "floor_signups",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("email", sa.String(200), nullable=False, unique=True),
    sa.Column("member", sa.Integer, nullable=False),
    sa.Column("mode", sa.String(20), nullable=False),
)
metadata.create_all(engine, checkfirst=True)

PAGE = (
    '<form method="post"><input id="csrf_token" name="csrf_token" type="hidden" '
    'value="{{ token }}"><select name="member"><option value="1">One</option></select>'
    '<input name="panels" type="checkbox" value="1"></form>'
)


class FloorForm(FlaskForm):
    name = StringField(validators=[DataRequired()])
    position = StringField()
    institution = StringField()
    email = StringField(validators=[DataRequired(), Email()])
    member = SelectField(choices=[(str(n), f"Member {n}") for n in range(1, 60)])
    mode = RadioField(choices=[("in_person", "In person"), ("online", "Online")])
    panels = SelectMultipleField(choices=[(str(n), f"Panel {n}") for n in range(1, 10)])
    role = StringField()
    language = StringField()
    consent = BooleanField()


@app.route("/conferences/<slug>/register", methods=["GET", "POST"])
def register(slug: str) -> ResponseReturnValue:
    form = FloorForm()
    if form.validate_on_submit():
        with engine.begin() as connection:
            connection.execute(
                signups.insert().values(
                    name=form.name.data,
                    email=form.email.data,
                    member=int(form.member.data or 0),
                    mode=form.mode.data,
                )
            )
        return redirect(f"/conferences/{slug}/register/submitted")
    if form.is_submitted():
        return str(form.errors), 400
    return render_template_string(PAGE, token=generate_csrf())
