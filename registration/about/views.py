"""The accessibility statement, as public bodies publish one (WCAG 2.1 AA, EN 301 549)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, render_template
from flask.typing import ResponseReturnValue

bp = Blueprint("about", __name__)

# When the statement was last reviewed against the service; change it with the statement.
REVIEWED = date(2026, 12, 4)


@bp.route("/accessibility")
def accessibility() -> ResponseReturnValue:
    return render_template(
        "about/accessibility.html",
        contact=current_app.config["ACCESSIBILITY_CONTACT"],
        reviewed=REVIEWED,
    )
