"""Webhook subscriptions through the API: the token owner's own, created with the secret in
the answer only, refused as problem details (a private address is a 422 naming the field);
a role that does not edit the conference gets a 403."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.database import db
from registration.staff.roles import Role
from registration.tokens.models import TokenScope
from registration.webhooks.models import WebhookSubscription
from tests.api_support import bearer, make_token
from tests.staff_support import make_staff

pytestmark = pytest.mark.postgres


@pytest.fixture
def allowed_example(app: Flask) -> None:
    saved = app.config["WEBHOOK_ALLOWED_HOSTS"]
    app.config["WEBHOOK_ALLOWED_HOSTS"] = ["hooks.example.org"]
    yield
    app.config["WEBHOOK_ALLOWED_HOSTS"] = saved


def test_an_organiser_subscribes_and_lists_through_the_api(
    app: Flask,
    client: FlaskClient,
    make_organizer: Callable,
    make_conference: Callable,
    allowed_example: None,
) -> None:
    make_conference(slug="ttf9")
    token = bearer(make_token(app, make_organizer().id))
    made = client.post(
        "/api/v1/webhooks",
        json={"url": "https://hooks.example.org/x", "events": ["registration.created"],
              "conference": "ttf9"},
        headers=token,
    )  # fmt: skip
    assert made.status_code == 201, made.text
    body = made.get_json()
    assert body["secret"].startswith("whsec_")
    assert body["conference"] == "ttf9"
    listed = client.get("/api/v1/webhooks", headers=token).get_json()
    assert [s["id"] for s in listed] == [body["id"]]
    assert "secret" not in listed[0]
    with app.app_context():
        row = db.session.get(WebhookSubscription, body["id"])
        assert row is not None
        assert row.secret == body["secret"]


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:5000/", "http://[fd12::1]/x", "http://10.1.1.1/", "gopher://x.org/"]
)
def test_a_private_or_odd_target_is_a_422_problem(
    app: Flask, client: FlaskClient, make_organizer: Callable, url: str
) -> None:
    token = bearer(make_token(app, make_organizer().id))
    answer = client.post(
        "/api/v1/webhooks", json={"url": url, "events": ["conference.changed"]}, headers=token
    )
    assert answer.status_code == 422
    assert answer.mimetype == "application/problem+json"
    problem = answer.get_json()
    assert problem["errors"]["json"]["url"]
    assert problem["detail"]


def test_unknown_events_read_only_tokens_and_other_roles_are_refused(
    app: Flask, client: FlaskClient, make_conference: Callable, make_organizer: Callable
) -> None:
    conference_id = make_conference(slug="ttf9")
    reviewer = make_staff(app, "reviewer@cica.example", Role.REVIEWER, conference_id)
    token = bearer(make_token(app, reviewer))
    wanted = {"url": "https://93.184.215.14/x", "events": ["conference.changed"]}
    assert client.post("/api/v1/webhooks", json=wanted, headers=token).status_code == 403
    scoped = {**wanted, "conference": "ttf9"}
    assert client.post("/api/v1/webhooks", json=scoped, headers=token).status_code == 403
    organiser = bearer(make_token(app, make_organizer().id))
    odd = {**wanted, "events": ["registration.eaten"]}
    assert client.post("/api/v1/webhooks", json=odd, headers=organiser).status_code == 422
    reader = bearer(make_token(app, make_organizer("reader@cica.example").id, TokenScope.READ))
    assert client.post("/api/v1/webhooks", json=wanted, headers=reader).status_code == 403
