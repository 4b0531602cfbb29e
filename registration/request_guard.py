"""The input policy (`registration.input_policy`) for what is not a form: the URL.

A NUL character (%00) in the path names no page (404); in the query string it is refused
(400) before any view reads it. Both answer the site's error page, never a 500: PostgreSQL
cannot compare or store NUL, so a view passing it on would fail.
"""

from __future__ import annotations

from flask import Flask, abort, request
from flask_babel import gettext


def init_app(app: Flask) -> None:
    """Call before the extensions are set up, so the guard runs before their hooks."""
    app.before_request(refuse_nul_in_url)


def refuse_nul_in_url() -> None:
    if "\x00" in request.path:
        abort(404)
    if any("\x00" in key + value for key, value in request.args.items(multi=True)):
        abort(400, gettext("The address contains a NUL character, which is not allowed."))
