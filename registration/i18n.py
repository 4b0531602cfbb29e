"""Language choice for pages: an explicit ?lang=, then the browser's preference."""

from __future__ import annotations

from flask import current_app, has_request_context, request, session


def select_locale() -> str | None:
    """Outside a request (CLI, Celery workers) the default locale applies."""
    if not has_request_context():
        return None
    languages: list[str] = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang")
    if chosen in languages:
        session["lang"] = chosen
        return chosen
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages)
