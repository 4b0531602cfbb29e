"""Signing in and out, and the mailed link to choose a password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue

from registration.accounts import sessions
from registration.accounts.forms import LoginForm, SetPasswordForm
from registration.accounts.links import password_user
from registration.accounts.models import User
from registration.accounts.services import AccountError, authenticate, set_password
from registration.extensions import limiter
from registration.staff.access import can
from registration.staff.roles import Permission

bp = Blueprint("accounts", __name__, url_prefix="/account")


def _safe_next(target: str | None, user: User) -> str:
    """Only follow a relative `next` on this site; else the user's own start page."""
    if target and target.startswith("/") and not urlsplit(target).netloc:
        return target
    return url_for("manage.dashboard" if can(user, Permission.ENTER) else "delegation.conferences")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"],
    methods=["POST"],
    error_message="Too many login attempts. Please wait a minute and try again.",
)
def login() -> ResponseReturnValue:
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            sessions.sign_in(user)
            return redirect(_safe_next(request.args.get("next"), user))
        form.password.errors = ["The e-mail or password is not right."]
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    sessions.sign_out()
    flash("You are signed out.", "info")
    return redirect(url_for("public.index"))


@bp.route("/password/<token>", methods=["GET", "POST"])
def choose_password(token: str) -> ResponseReturnValue:
    """The mailed link a new staff member uses to choose a password (one use)."""
    user = password_user(token)
    if user is None:
        abort(404, "This link is not valid any more. Ask the secretariat for a new one.")
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            set_password(user, form.password.data or "")
        except AccountError as error:
            form.password.errors = [str(error)]
        else:
            flash("Your password is set. Please sign in.", "success")
            return redirect(url_for("accounts.login"))
    status = 422 if form.errors else 200
    return render_template("accounts/password.html", form=form, user=user), status
