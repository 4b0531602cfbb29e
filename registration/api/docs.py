"""The API's documentation page: Swagger UI from the flask-swagger-ui package's files,
served by the service (no CDN), reading the OpenAPI document at /api/v1/openapi.json."""

from __future__ import annotations

from pathlib import Path

import flask_swagger_ui
from flask import Blueprint, render_template, send_from_directory, url_for
from flask.typing import ResponseReturnValue

SWAGGER_UI = Path(flask_swagger_ui.__file__).resolve().parent / "dist"
ASSETS = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "LICENSE"})

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1/docs")


@bp.get("/")
def page() -> ResponseReturnValue:
    spec = url_for("api-docs.openapi_json")
    return render_template("api/docs.html", spec_url=spec)


@bp.get("/assets/<name>")
def asset(name: str) -> ResponseReturnValue:
    """Swagger UI's script and styles, as the installed package ships them."""
    if name not in ASSETS:
        return "", 404
    return send_from_directory(SWAGGER_UI, name, max_age=86400)
