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

from registration.accounts.models import User
from registration.database import db
from registration.demo.seed import seed_demo
from tests.api_support import bearer, make_token

ORGANISER = "organiser@cica.example"
KNOWN_SLUGS = {"/api/v1/series/{slug}": "cica-ttf"}
KNOWN_CONFERENCE = "ttf-10-sample"  # the demo meeting with registrations
# A request the schema allows may still break a rule of the meeting (a member that is not
# the token's, a day outside the conference): those are 422 problems, not server errors.
CONFIG = schemathesis.Config.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]
            }
        }
    }
)
EXAMPLES = settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def api_schema(app: Flask) -> schemathesis.BaseSchema:
    with app.app_context():
        seed_demo(ORGANISER, "demo-organiser-pw")
        db.session.remove()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=CONFIG)


@pytest.fixture
def organiser_token(app: Flask, api_schema: schemathesis.BaseSchema) -> dict[str, str]:
    with app.app_context():
        user_id = db.session.scalar(db.select(User.id).filter_by(email=ORGANISER))
    return bearer(make_token(app, user_id))


def operations(schema: schemathesis.BaseSchema) -> Iterator[schemathesis.APIOperation]:
    for result in schema.get_all_operations():
        yield result.ok()


def check_operation(operation: schemathesis.APIOperation, headers: dict[str, str]) -> None:
    """Generated requests, and each again with a slug that exists, answer as documented."""

    @given(case=operation.as_strategy())
    @EXAMPLES
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=headers)
        if "slug" in (case.path_parameters or {}):
            known = KNOWN_SLUGS.get(operation.path, KNOWN_CONFERENCE)
            case.path_parameters = {**case.path_parameters, "slug": known}
            case.call_and_validate(headers=headers)

    check()


def test_every_operation_keeps_to_the_document(
    api_schema: schemathesis.BaseSchema, organiser_token: dict[str, str]
) -> None:
    checked = []
    for operation in operations(api_schema):
        check_operation(operation, organiser_token)
        checked.append(operation.label)
    assert "GET /api/v1/conferences/{slug}/panels" in checked
    assert "GET /api/v1/conferences/{slug}/registrations" in checked
    assert "POST /api/v1/conferences/{slug}/checkins" in checked


def test_refusals_keep_to_the_document_too(api_schema: schemathesis.BaseSchema) -> None:
    """Without a token the authenticated operations answer documented problems."""
    for operation in operations(api_schema):
        check_operation(operation, {"Authorization": "Bearer cica_pat_not-a-token"})
