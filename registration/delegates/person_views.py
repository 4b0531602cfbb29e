"""The person's page: ask for a sign-in link by e-mail, then see every registration."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import EmailField
from wtforms.validators import DataRequired, Email, Length

from registration.delegates import person
from registration.extensions import limiter
from registration.i18n import language_name
from registration.input_policy import PolicyForm
from registration.signup.forms import STRIP, MailLanguageForm
from registration.signup.links import manage_token

bp = Blueprint("person", __name__, url_prefix="/my")


class PersonLinkForm(PolicyForm):
    email = EmailField(
        _l("Your e-mail address"),
        filters=STRIP,
        validators=[
            DataRequired(_l("Enter your e-mail address.")),
            Email(_l("Enter a valid e-mail address, like name@example.org.")),
            Length(max=254),
        ],
    )


@bp.route("/", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGNUP_RATE_LIMIT"], methods=["POST"])
def ask() -> ResponseReturnValue:
    form = PersonLinkForm()
    if form.validate_on_submit():
        person.send_link(form.email.data or "")
        flash(
            gettext(
                "If that address has a registration, a sign-in link is on its way. "
                "It works for %(hours)s hours.",
                hours=current_app.config["PERSON_LINK_MAX_AGE_HOURS"],
            ),
            "success",
        )
        return redirect(url_for(".ask"))
    return render_template("delegates/person_ask.html", form=form), 422 if form.errors else 200


@bp.route("/<token>")
def page(token: str) -> ResponseReturnValue:
    try:
        email = person.email_for_token(token)
    except person.PersonLinkError as error:
        flash(gettext(str(error)), "error")
        return redirect(url_for(".ask"))
    found = person.entries(email)
    language_form = MailLanguageForm(formdata=None)
    language_form.offer(current_app.config["LANGUAGES"])
    if found:
        language_form.mail_language.data = found[0].registration.mail_language
    response = render_template(
        "delegates/person.html",
        email=email,
        entries=found,
        manage_token=manage_token,
        language_form=language_form,
        token=token,
    )
    return response, 200, {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}


@bp.route("/<token>/language", methods=["POST"])
def mail_language(token: str) -> ResponseReturnValue:
    """The person chooses the language of our later messages, for all their registrations."""
    try:
        email = person.email_for_token(token)
    except person.PersonLinkError as error:
        flash(gettext(str(error)), "error")
        return redirect(url_for(".ask"))
    form = MailLanguageForm()
    form.offer(current_app.config["LANGUAGES"])
    if not form.validate_on_submit():
        flash(gettext("Choose one of the languages offered."), "error")
    else:
        person.change_mail_language(email, form.mail_language.data or "")
        name = language_name(form.mail_language.data or "")
        flash(gettext("From now on we write to you in %(language)s.", language=name), "success")
    return redirect(url_for(".page", token=token))
