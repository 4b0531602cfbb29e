"""Signing in (password, then the second factor when the account has one; or through the
Secretariat's identity provider), signing out, and the mailed link to choose a password."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from authlib.integrations.base_client import OAuthError
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from registration.accounts import sessions, single_sign_on, two_factor
from registration.accounts.forms import LoginForm, SecondFactorForm, SetPasswordForm
from registration.accounts.links import password_user
from registration.accounts.models import User
from registration.accounts.services import (
    AccountError,
    authenticate,
    normalize_email,
    set_password,
)
from registration.database import db
from registration.extensions import limiter
from registration.i18n import N_, translate

bp = Blueprint("accounts", __name__, url_prefix="/account")
PENDING = "second_factor_pending"  # who passed the password step, when, and where to go
PENDING_SECONDS = 300
TOO_MANY = "Too many login attempts. Please wait a minute and try again."


# The app's extension key of the function that names a user's start page after signing in:
# the staff capability sets it (staff.access.init_app), so accounts imports no capability.
START_PAGE = "start_page"


def _safe_next(target: str | None, user: User) -> str:
    """Only follow a relative `next` on this site; else the user's own start page."""
    if target and target.startswith("/") and not urlsplit(target).netloc:
        return target
    start_page = current_app.extensions.get(START_PAGE)
    return start_page(user) if start_page is not None else url_for("public.index")


def _account_key() -> str:
    """Rate-limit key per account: the e-mail typed, or the account of the second step."""
    pending = session.get(PENDING) or {}
    typed = normalize_email(request.form.get("email", ""))
    return f"account:{typed or pending.get('user', '')}"


def _limited(view: object) -> object:
    """Sign-in attempts limited per address and per account (LOGIN_*RATE_LIMIT)."""
    per_address = limiter.limit(
        lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"], error_message=TOO_MANY
    )
    per_account = limiter.limit(
        lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"],
        key_func=_account_key,
        methods=["POST"],
        error_message=TOO_MANY,
    )
    return per_address(per_account(view))  # type: ignore[arg-type]


@bp.route("/login", methods=["GET", "POST"])
@_limited
def login() -> ResponseReturnValue:
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data or "", form.password.data or "")
        if user is not None and user.has_two_factor:
            target = request.args.get("next")
            session[PENDING] = {"user": user.id, "at": int(time.time()), "next": target}
            return redirect(url_for(".second_factor"))
        if user is not None:
            sessions.sign_in(user)
            return redirect(_safe_next(request.args.get("next"), user))
        form.password.errors = [gettext("The e-mail or password is not right.")]
    return render_template(
        "accounts/login.html",
        form=form,
        single_sign_on=single_sign_on.enabled() and single_sign_on.provider_name(),
    )


def _pending_user() -> User | None:
    pending = session.get(PENDING) or {}
    if time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("user"))
    return user if user is not None and user.is_active else None


@bp.route("/login/code", methods=["GET", "POST"])
@_limited
def second_factor() -> ResponseReturnValue:
    user = _pending_user()
    if user is None:
        session.pop(PENDING, None)
        flash(gettext("Please sign in again."), "info")
        return redirect(url_for(".login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        if two_factor.verify(user, form.code.data or ""):
            target = session.pop(PENDING).get("next")
            sessions.sign_in(user)
            return redirect(_safe_next(target, user))
        form.code.errors = [gettext("That code is not right, or was used already.")]
    status = 422 if form.errors else 200
    return render_template("accounts/second_factor.html", form=form), status


def _no_single_sign_on() -> ResponseReturnValue:
    flash(
        gettext("Single sign-on is not set up here: sign in with your e-mail and password."),
        "info",
    )
    return redirect(url_for(".login"))


@bp.route("/login/sso")
def single_sign_on_start() -> ResponseReturnValue:
    if not single_sign_on.enabled():
        return _no_single_sign_on()
    session["sso_next"] = request.args.get("next")
    callback = url_for(".single_sign_on_done", _external=True)
    return single_sign_on.client().authorize_redirect(callback)


@bp.route("/login/sso/done")
def single_sign_on_done() -> ResponseReturnValue:
    """The provider sends the browser back here with a code; its ID token names the person."""
    if not single_sign_on.enabled():
        return _no_single_sign_on()
    try:
        token = single_sign_on.client().authorize_access_token()
        user = single_sign_on.account_for(token.get("userinfo") or {})
    except (OAuthError, single_sign_on.SignOnError) as error:
        message = str(error) if isinstance(error, single_sign_on.SignOnError) else None
        flash(
            translate(message)
            if message
            else gettext("The identity provider did not sign you in. Please try again."),
            "error",
        )
        return redirect(url_for(".login"))
    sessions.sign_in(user)
    return redirect(_safe_next(session.pop("sso_next", None), user))


@bp.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    sessions.sign_out()
    flash(gettext("You are signed out."), "info")
    return redirect(url_for("public.index"))


@bp.route("/password/<token>", methods=["GET", "POST"])
def choose_password(token: str) -> ResponseReturnValue:
    """The mailed link a new staff member uses to choose a password (one use)."""
    return choose_password_page(token)


def choose_password_page(token: str) -> ResponseReturnValue:
    """Choosing a password by a mailed one-use link: staff (above) and focal points (their
    invitation's address, signup.focal_point_password) share it."""
    user = password_user(token)
    if user is None:
        abort(404, N_("This link is not valid any more. Ask the secretariat for a new one."))
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            set_password(user, form.password.data or "")
        except AccountError as error:
            form.password.errors = [translate(str(error))]
        else:
            flash(gettext("Your password is set. Please sign in."), "success")
            return redirect(url_for("accounts.login"))
    status = 422 if form.errors else 200
    return render_template("accounts/password.html", form=form, user=user), status
