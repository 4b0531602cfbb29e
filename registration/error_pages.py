"""Error pages: the site's page, a plain one that needs nothing, or JSON for API clients.

Below `web` (its error handlers) and `database_faults` (the 503 page), which both send them.
"""

from __future__ import annotations

from flask import current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from markupsafe import escape

from registration import problems

FALLBACK_PAGE = (
    '<!doctype html><html><head><meta charset="utf-8"><title>{code}</title></head>'
    "<body><h1>{code}</h1><p>{message}</p></body></html>"
)


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json" or "/api/" in request.path


def error_page(
    code: int, message: str, headers: dict[str, str] | None = None, *, plain: bool = False
) -> ResponseReturnValue:
    """The error page (JSON for API clients). It never fails: when the site's page cannot be
    rendered (a template broke, the database went away) a plain one is sent instead;
    `plain` sends that one at once (the database is known to be unreachable)."""
    if problems.is_api_request():
        return problems.problem(code, message, headers)
    if wants_json():
        return problems.refusal(code, message, headers)
    if plain:
        return plain_error_page(code, message), code, headers or {}
    try:
        page = render_template("error.html", code=code, message=message)
    except Exception:  # this handler must answer whatever broke: log it, send a plainer page
        current_app.logger.exception("the %s page could not be rendered", code)
        page = plain_error_page(code, message)
    return page, code, headers or {}


def plain_error_page(code: int, message: str) -> str:
    """The error page without the site's header. Rendered without the context processors:
    Flask-Login's loads the signed-in user from the database."""
    try:
        template = current_app.jinja_env.get_template("error_plain.html")
        locale = str(get_locale() or "en")
        return template.render(code=code, message=message, current_locale=locale)
    except Exception:  # even the plain template failed: the page is a constant
        current_app.logger.exception("the plain %s page could not be rendered", code)
        return FALLBACK_PAGE.format(code=code, message=escape(message))
