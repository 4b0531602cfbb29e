"""schemathesis against the OpenAPI document, on the demo data: every operation answers
what the document says (no server error, no answer that breaks the schema).

The operations are walked by hand (`get_all_operations`) rather than through schemathesis'
pytest plugin, whose fixture loader does not run under pytest 9.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings

from registration.database import db
from registration.demo.seed import seed_demo

KNOWN_SLUGS = {"/api/v1/series/{slug}": "cica-ttf"}
KNOWN_CONFERENCE = "cica-ttf-9"
EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def api_schema(app: Flask) -> schemathesis.BaseSchema:
    with app.app_context():
        seed_demo()
        db.session.remove()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def operations(schema: schemathesis.BaseSchema) -> Iterator[schemathesis.APIOperation]:
    for result in schema.get_all_operations():
        yield result.ok()


def check_operation(operation: schemathesis.APIOperation) -> None:
    """Generated requests, and each again with a slug that exists, answer as documented."""

    @given(case=operation.as_strategy())
    @EXAMPLES
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate()
        if "slug" in (case.path_parameters or {}):
            case.path_parameters = {"slug": KNOWN_SLUGS.get(operation.path, KNOWN_CONFERENCE)}
            case.call_and_validate()

    check()


def test_every_public_operation_keeps_to_the_document(
    api_schema: schemathesis.BaseSchema,
) -> None:
    checked = []
    for operation in operations(api_schema):
        check_operation(operation)
        checked.append(operation.label)
    assert "GET /api/v1/conferences/{slug}/panels" in checked
