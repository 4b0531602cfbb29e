"""The REST API under /api/v1: described by OpenAPI 3.1 (flask-smorest), errors as RFC 9457
problem details, CORS open (no cookies are read: the API knows only bearer tokens)."""

from __future__ import annotations

from http import HTTPStatus

from flask import Flask
from flask_cors import CORS
from flask_smorest import Api

from registration.api.common import PROBLEM, ProblemSchema
from registration.extensions import csrf
from registration.tokens import views as token_pages
from registration.web import IdConverter

API_PREFIX = "/api/v1"
SPEC_PATH = "openapi.json"
DESCRIPTION = """\
Conferences, programmes and participant lists of the CICA Secretariat's events.

The public operations need no sign-in. Times are given in UTC (`starts_at`) and in the
conference's own time zone (`starts_at_local`, with its UTC offset; the zone's name is the
conference's `timezone`). Errors are RFC 9457 problem details (`application/problem+json`).
Every answer carries an `ETag`; send it back in `If-None-Match` to get a `304 Not Modified`.
"""


class RegistrationApi(Api):
    """flask-smorest's Api without its app-wide JSON error handler: the site's handler
    (registration/web.py) answers problem details under /api/ and pages elsewhere; the
    document says so for every operation (its `default` response)."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        return None

    def _register_responses(self) -> None:
        problem = {"content": {PROBLEM: {"schema": ProblemSchema}}}
        for status in HTTPStatus:
            if status >= 400:
                self.spec.components.response(
                    status.name, {"description": status.phrase, **problem}, lazy=True
                )
        self.spec.components.response(
            "DEFAULT_ERROR",
            {"description": "A problem (RFC 9457); the reason is in `detail`", **problem},
            lazy=True,
        )


def init_app(app: Flask) -> None:
    from registration.api import (
        attendance,
        docs,
        public,
        registration_writes,
        registrations,
        webhooks,
    )

    app.config.update(
        API_TITLE="CICA events API",
        API_VERSION="1",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX=API_PREFIX,
        OPENAPI_JSON_PATH=SPEC_PATH,
        API_SPEC_OPTIONS={
            "info": {"description": DESCRIPTION},
            "components": {"securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
        },
    )
    api = RegistrationApi(app)
    api.register_converter(
        IdConverter, lambda converter: {"type": "integer", "minimum": 0, "maximum": converter.max}
    )
    blueprints = (public.bp, registrations.bp, registration_writes.bp, attendance.bp, webhooks.bp)
    for blueprint in blueprints:
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
    CORS(
        app,
        resources={f"{API_PREFIX}/*": {"origins": "*", "send_wildcard": True}},
        expose_headers=["ETag", "Link", "RateLimit", "RateLimit-Policy", "Retry-After"],
        max_age=86400,
    )
    app.register_blueprint(docs.bp)
    app.register_blueprint(token_pages.bp)
