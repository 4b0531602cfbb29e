"""Public pages: the list of published conferences and each conference's programme."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue

from registration.conferences import services

bp = Blueprint("public", __name__)


@bp.route("/")
def index() -> ResponseReturnValue:
    upcoming, past = services.published_conferences()
    return render_template("conferences/index.html", upcoming=upcoming, past=past)


@bp.route("/conferences/<slug>")
def conference(slug: str) -> ResponseReturnValue:
    found = services.conference_by_slug(slug)
    if found is None or found.status.value == "draft":
        abort(404)
    return render_template(
        "conferences/conference.html", conference=found, days=services.programme_by_day(found)
    )
