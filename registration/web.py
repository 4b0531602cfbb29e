"""Site-wide HTTP behaviour: security headers, error pages, template helpers."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from flask import Flask, Response, current_app, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.routing import IntegerConverter

from registration import database_faults, form_markup, i18n, problems
from registration.database import MAX_ID
from registration.error_pages import error_page
from registration.extensions import limiter
from registration.i18n import N_
from registration.stored_text import Shown


class IdConverter(IntegerConverter):
    """`<int:...>` limited to what a database id can be (MAX_ID): a larger number does not
    match the route, so it is a 404 (PostgreSQL would refuse it: a 500)."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "connect-src 'self'",
        "media-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


def use_id_converter(app: Flask) -> None:
    """Make `<int:...>` refuse numbers beyond any id; call before routes are registered."""
    app.url_map.converters["int"] = IdConverter


def init_app(app: Flask) -> None:
    app.after_request(_security_headers)
    app.after_request(_retry_after)
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.register_error_handler(HTTPException, _http_error)
    app.context_processor(lambda: {"current_locale": str(get_locale() or "en")})
    app.jinja_env.globals["language_links"] = i18n.language_links
    app.jinja_env.globals["language_name"] = i18n.language_name
    app.jinja_env.filters["language_name"] = i18n.language_name
    app.jinja_env.filters["logged"] = i18n.logged
    # A stored text and the language it is in: shown with `lang` when not the page's.
    app.jinja_env.filters["stored_in"] = Shown
    app.jinja_env.filters["local"] = format_local
    app.jinja_env.filters["strftime"] = i18n.strftime
    app.jinja_env.filters["translate"] = i18n.translate
    app.jinja_env.filters["local_time"] = lambda instant, zone: format_local(instant, zone, "%H:%M")
    # Management times with their zone's label; counts and shares in the page's language.
    app.jinja_env.filters["zoned"] = i18n.zoned
    app.jinja_env.filters["day_range"] = i18n.day_range
    app.jinja_env.filters["number"] = i18n.format_number
    app.jinja_env.filters["percent"] = i18n.format_percent
    form_markup.init_app(app)


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Permissions-Policy", "camera=(self), microphone=(), geolocation=()"
    )
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if response.mimetype == "text/html":  # pages follow the browser's language
        response.vary.add("Accept-Language")
    return response


def _retry_after(response: Response) -> Response:
    """A refused (429) request says when to try again. Only refusals pay for reading the
    limit's window; the X-RateLimit-* headers every limited response could carry are off."""
    if response.status_code == 429 and "Retry-After" not in response.headers:
        try:
            limit = limiter.current_limit
            reset_at = limit.reset_at if limit is not None else None
        except Exception:  # the limit store's errors vary by backend; the header is optional
            reset_at = None
        if reset_at is not None:
            response.headers["Retry-After"] = str(max(int(reset_at - time.time()), 1))
    return response


def csrf_error(error: CSRFError) -> ResponseReturnValue:
    return error_page(
        400,
        gettext("The form expired or was sent from another page. Please reload it and try again."),
    )


# Werkzeug's descriptions of the errors a visitor may meet, for the catalogue: the error page
# shows a description translated when the catalogue has it, else as it is.
HTTP_DESCRIPTIONS = (
    N_("The browser (or proxy) sent a request that this server could not understand."),
    N_(
        "You don't have the permission to access the requested resource. It is either "
        "read-protected or not readable by the server."
    ),
    N_(
        "The requested URL was not found on the server. If you entered the URL manually "
        "please check your spelling and try again."
    ),
    N_("The method is not allowed for the requested URL."),
    N_("The data value transmitted exceeds the capacity limit."),
    N_(
        "The server encountered an internal error and was unable to complete your request. "
        "Either the server is overloaded or there is an error in the application."
    ),
)


def _too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
    """A file (or pasted text) over UPLOAD_MAX_MB: said in megabytes; nothing was read."""
    megabytes = current_app.config["UPLOAD_MAX_BYTES"] / (1024 * 1024)
    return error_page(
        413,
        gettext(
            "What you sent is larger than the %(size)s MB this site accepts, so nothing was "
            "saved. Please go back and send a smaller file, or split the list.",
            size=f"{megabytes:g}",
        ),
    )


def _http_error(error: HTTPException) -> ResponseReturnValue:
    code = error.code or 500
    if problems.is_api_request() and code < 500:
        return _api_problem(error, code)
    if code >= 500:
        original = getattr(error, "original_exception", None)
        if original is not None and database_faults.is_unavailable(original):
            return database_faults.unavailable_page(original)  # e.g. from another handler
        database_faults.rollback_quietly()
    return error_page(code, gettext(error.description or error.name))


def _api_problem(error: HTTPException, code: int) -> ResponseReturnValue:
    """An API error as problem details, with the fields webargs found wrong (422) and the
    error's own headers (Allow, WWW-Authenticate, Retry-After)."""
    headers = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
    data = getattr(error, "data", None) or {}
    extensions = {}
    if "messages" in data:
        extensions["errors"] = data["messages"]
    headers |= data.get("headers") or {}
    detail = data.get("message") or error.description or error.name
    return problems.problem(code, detail, headers, **extensions)


def format_local(instant: datetime | None, zone: str, pattern: str = "%d %B %Y, %H:%M") -> str:
    """An instant in a named time zone, e.g. '28 December 2021, 09:30', in the page's language
    (see `zoned` for one with its zone's label)."""
    from zoneinfo import ZoneInfo

    if instant is None:
        return ""
    return i18n.strftime(instant.astimezone(ZoneInfo(zone)), pattern)


def personal_file_response(stored: Any, *, inline: bool = False) -> Response:
    """A stored personal file (registration/files.py) that nobody caches, never read as
    another type, sandboxed should a browser open it; a download unless `inline` (a photo
    shown in a page)."""
    from registration import files

    extension = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
    name = f"file-{stored.id}.{extension.get(stored.content_type, 'bin')}"
    try:
        content = files.read(stored.key)
    except FileNotFoundError:
        from flask import abort

        abort(404)
    response = Response(content, mimetype=stored.content_type)
    disposition = "inline" if inline else "attachment"
    response.headers.set("Content-Disposition", disposition, filename=name)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
