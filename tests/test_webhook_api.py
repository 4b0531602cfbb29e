"""Webhook subscriptions through the API: the token owner's own, created with the secret in
the answer only, refused as problem details (a private address is a 422 naming the field);
a role that does not edit the conference gets a 403."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.database import db, utcnow
from registration.staff.roles import Role
from registration.tokens.models import TokenScope
from registration.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
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
    with app.app_context():
        assert db.session.scalars(db.select(WebhookSubscription)).all() == []


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


def _disabled_with_deliveries(app: Flask, owner_id: int, count: int) -> tuple[int, list[int]]:
    """A disabled subscription of the owner with `count` failed deliveries, oldest first."""
    with app.app_context():
        subscription = WebhookSubscription(
            owner_id=owner_id, url="https://hooks.example.org/x", events=["conference.changed"],
            secret="whsec_c2VjcmV0", enabled=False, disabled_at=utcnow(),
            disabled_reason="20 attempts in a row failed.",
        )  # fmt: skip
        db.session.add(subscription)
        db.session.flush()
        made = [
            WebhookDelivery(
                subscription_id=subscription.id,
                event_id=f"job-{n}",
                message_id=f"msg_{n}",
                event_type="conference.changed",
                payload={"n": n},
                status=DeliveryStatus.FAILED,
                attempts=8,
            )
            for n in range(count)
        ]
        db.session.add_all(made)
        db.session.commit()
        return subscription.id, [d.id for d in made]


def test_the_owner_pages_the_log_enables_resends_and_deletes(
    app: Flask, client: FlaskClient, make_organizer: Callable
) -> None:
    owner = make_organizer()
    token = bearer(make_token(app, owner.id))
    subscription_id, delivery_ids = _disabled_with_deliveries(app, owner.id, 5)
    base = f"/api/v1/webhooks/{subscription_id}"
    first = client.get(f"{base}/deliveries?limit=2", headers=token)
    assert first.status_code == 200, first.text
    assert [d["id"] for d in first.get_json()["items"]] == delivery_ids[::-1][:2]
    assert 'rel="next"' in first.headers["Link"]
    seen, cursor = [], None
    while True:
        query = f"?limit=2&cursor={cursor}" if cursor else "?limit=2"
        page = client.get(f"{base}/deliveries{query}", headers=token).get_json()
        seen += [d["id"] for d in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == delivery_ids[::-1]
    refused = client.post(f"{base}/deliveries/{delivery_ids[0]}/resend", headers=token)
    assert refused.status_code == 409
    assert refused.mimetype == "application/problem+json"
    enabled = client.post(f"{base}/enable", headers=token)
    assert enabled.status_code == 200
    assert enabled.get_json()["enabled"] is True
    resent = client.post(f"{base}/deliveries/{delivery_ids[0]}/resend", headers=token)
    assert resent.status_code == 202, resent.text
    assert resent.get_json()["status"] == "queued"
    assert resent.get_json()["message_id"] == "msg_0"
    assert client.delete(base, headers=token).status_code == 204
    assert client.get(f"{base}/deliveries", headers=token).status_code == 404
    with app.app_context():
        assert db.session.get(WebhookSubscription, subscription_id) is None


def test_another_owner_gets_404_and_a_read_token_changes_nothing(
    app: Flask, client: FlaskClient, make_organizer: Callable
) -> None:
    owner = make_organizer()
    subscription_id, [delivery_id] = _disabled_with_deliveries(app, owner.id, 1)
    other = bearer(make_token(app, make_organizer("other@cica.example").id))
    base = f"/api/v1/webhooks/{subscription_id}"
    for answer in (
        client.get(f"{base}/deliveries", headers=other),
        client.post(f"{base}/enable", headers=other),
        client.post(f"{base}/deliveries/{delivery_id}/resend", headers=other),
        client.delete(base, headers=other),
    ):
        assert answer.status_code == 404
        assert answer.mimetype == "application/problem+json"
    reader = bearer(make_token(app, owner.id, TokenScope.READ))
    assert client.get(f"{base}/deliveries", headers=reader).status_code == 200
    assert client.post(f"{base}/enable", headers=reader).status_code == 403
    assert client.delete(base, headers=reader).status_code == 403
    mine = bearer(make_token(app, owner.id))
    unknown = client.post(f"{base}/deliveries/{delivery_id + 99}/resend", headers=mine)
    assert unknown.status_code == 404
    bad = client.get(f"{base}/deliveries?cursor=zz", headers=mine)
    assert bad.status_code == 422
    with app.app_context():
        assert db.session.get(WebhookSubscription, subscription_id) is not None
