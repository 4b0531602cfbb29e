"""The secretariat's management pages for conferences and panels."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from registration.accounts.access import organizers_only
from registration.conferences.models import Conference
from registration.database import db

bp = organizers_only(Blueprint("manage", __name__, url_prefix="/manage"))


@bp.route("/")
def dashboard() -> ResponseReturnValue:
    conferences = db.session.scalars(
        db.select(Conference).order_by(Conference.starts_at.desc())
    ).all()
    return render_template("manage/dashboard.html", conferences=conferences)
