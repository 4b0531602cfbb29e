"""Setting up and turning off two-factor sign-in for one's own account."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user, login_required

from registration.accounts import two_factor
from registration.accounts.forms import CodeForm
from registration.i18n import ngettext

bp = Blueprint("two_factor", __name__, url_prefix="/account/two-factor")
bp.before_request(login_required(lambda: None))
PENDING = "two_factor_pending_secret"


@bp.route("/", methods=["GET", "POST"])
def setup() -> ResponseReturnValue:
    user = current_user._get_current_object()
    if user.has_two_factor:
        return render_template(
            "accounts/two_factor_on.html",
            form=CodeForm(),
            left=two_factor.recovery_codes_left(user),
        )
    form = CodeForm()
    pending = session.get(PENDING)
    secret = two_factor.open_enrolment(user, pending) if pending else None
    if secret is None:  # a new set-up; the session keeps its key sealed
        secret = two_factor.new_secret()
        session[PENDING] = two_factor.seal_enrolment(user, secret)
        if pending:  # too old, or not this account's: nothing is saved
            form.code.errors = [_lapsed()]
    elif form.validate_on_submit():
        codes = two_factor.enable(user, secret, form.code.data or "")
        if codes is not None:
            session.pop(PENDING, None)
            return render_template("accounts/recovery_codes.html", codes=codes)
        form.code.errors = [gettext("That code is not right. Enter the one your app shows now.")]
    uri = two_factor.provisioning_uri(user, secret)
    status = 422 if form.is_submitted() and form.errors else 200
    return render_template(
        "accounts/two_factor_setup.html", form=form, secret=secret, qr=two_factor.qr_svg(uri)
    ), status


def _lapsed() -> str:
    return ngettext(
        "This set-up was no longer valid (each lasts %(num)s minute), so a new one has "
        "started: scan the new code below or type the new key into your app, then enter the "
        "code it shows.",
        "This set-up was no longer valid (each lasts %(num)s minutes), so a new one has "
        "started: scan the new code below or type the new key into your app, then enter the "
        "code it shows.",
        two_factor.ENROLMENT_MINUTES,
    )


@bp.post("/off")
def turn_off() -> ResponseReturnValue:
    user = current_user._get_current_object()
    form = CodeForm()
    if form.validate_on_submit() and two_factor.verify(user, form.code.data or ""):
        two_factor.disable(user)
        flash(gettext("Two-factor sign-in is off."), "success")
        return redirect(url_for(".setup"))
    form.code.errors = form.code.errors or [gettext("That code is not right.")]
    return render_template(
        "accounts/two_factor_on.html", form=form, left=two_factor.recovery_codes_left(user)
    ), 422
