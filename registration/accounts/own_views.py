"""One's own account: the sign-ins in use, with "sign out everywhere", the password and the
language of the pages."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user, login_required

from registration.accounts import sessions
from registration.accounts.forms import ChangePasswordForm, LanguageForm
from registration.accounts.services import (
    AccountError,
    change_password,
    end_every_sign_in,
    set_language,
)
from registration.i18n import browser_language, ngettext, translate, use_account_language

bp = Blueprint("own_account", __name__, url_prefix="/account")
bp.before_request(login_required(lambda: None))


@bp.route("/")
def overview() -> ResponseReturnValue:
    chosen = current_user.language or browser_language() or current_app.config["LANGUAGES"][0]
    return _overview(LanguageForm(data={"language": chosen}))


def _overview(language_form: LanguageForm) -> str:
    return render_template(
        "accounts/overview.html",
        sign_ins=sessions.of_account(current_user.id),
        this_one=sessions.current_id(),
        language_form=language_form,
    )


@bp.post("/language")
def language() -> ResponseReturnValue:
    """The account's language: its pages follow it from now on, in every sign-in after this."""
    form = LanguageForm()
    if not form.validate_on_submit():
        return _overview(form), 422
    set_language(current_user, form.language.data)
    use_account_language(form.language.data)
    flash(gettext("Your pages are now in this language."), "success")
    return redirect(url_for(".overview"))


@bp.post("/sessions/<int:session_id>/end")
def end_session(session_id: int) -> ResponseReturnValue:
    if session_id == sessions.current_id():
        sessions.sign_out()
        flash(gettext("You are signed out."), "info")
        return redirect(url_for("accounts.login"))
    if not sessions.end_one(current_user.id, session_id):
        abort(404)
    flash(gettext("That sign-in has ended."), "success")
    return redirect(url_for(".overview"))


@bp.post("/sessions/end-all")
def sign_out_everywhere() -> ResponseReturnValue:
    """Ends every sign-in of the account, this one too."""
    end_every_sign_in(current_user)
    sessions.sign_out()
    flash(gettext("You are signed out everywhere."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/password", methods=["GET", "POST"])
def password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            ended = change_password(
                current_user._get_current_object(),
                form.current.data or "",
                form.password.data or "",
                keep_session=sessions.current_id(),
            )
        except AccountError as error:
            field = form.current if "current" in str(error) else form.password
            field.errors = [translate(str(error))]
        else:
            flash(
                ngettext(
                    "Your password is changed; %(num)s other sign-in ended.",
                    "Your password is changed; %(num)s other sign-ins ended.",
                    ended,
                ),
                "success",
            )
            return redirect(url_for(".overview"))
    status = 422 if form.errors else 200
    return render_template("accounts/change_password.html", form=form), status
