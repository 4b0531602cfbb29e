"""Login and logout pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_user, logout_user

from registration.accounts.forms import LoginForm
from registration.accounts.models import User
from registration.accounts.services import authenticate
from registration.database import db
from registration.extensions import limiter, login_manager

bp = Blueprint("accounts", __name__, url_prefix="/account")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


def _safe_next(target: str | None, user: User) -> str:
    """Only follow a relative `next` on this site; else the user's own start page."""
    if target and target.startswith("/") and not urlsplit(target).netloc:
        return target
    return url_for("manage.dashboard" if user.is_organizer else "delegation.conferences")


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
            login_user(user, remember=bool(form.remember.data))
            return redirect(_safe_next(request.args.get("next"), user))
        form.password.errors = ["The e-mail or password is not right."]
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("public.index"))
