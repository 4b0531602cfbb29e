"""Webhooks reach a real receiver, signed as Standard Webhooks says (checked with the
reference library), once per event and subscription, with retries and backoff; a
subscription failing persistently is disabled and its owner mailed (real Celery worker,
Redis, SMTP server, HTTP receiver)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from standardwebhooks.webhooks import Webhook

from registration.database import db
from registration.jobs.events import announce
from registration.jobs.models import Job
from registration.webhooks import delivery as delivering
from registration.webhooks.fanout import fan_out
from registration.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from tests.mail_support import TestMailbox, wait_for
from tests.staff_support import make_account
from tests.webhook_support import Receiver, subscribe

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.usefixtures("celery_worker"),
]


def happen(app: Flask, event_type: str, conference_id: int, **data: object) -> None:
    with app.app_context():
        announce(event_type, conference_id=conference_id, **data)
        db.session.commit()


def deliveries(app: Flask) -> list[WebhookDelivery]:
    with app.app_context():
        found = db.session.scalars(db.select(WebhookDelivery).order_by(WebhookDelivery.id)).all()
        db.session.expunge_all()
        return list(found)


def attempts(app: Flask) -> list[int | None]:
    with app.app_context():
        return list(db.session.scalars(db.select(WebhookAttempt.status_code).order_by("id")))


def test_an_event_reaches_the_receiver_signed(
    app: Flask, receiver: Receiver, make_organizer: Callable, make_conference: Callable
) -> None:
    conference_id = make_conference(slug="ttf9")
    owner = make_organizer()
    _, secret = subscribe(app, owner.id, receiver.url, ["registration.approved"], conference_id)
    happen(app, "registration.created", conference_id, registration={"id": 7})
    happen(app, "registration.approved", conference_id, registration={"id": 7})
    wait_for(lambda: receiver.count == 1, what="the delivery")
    wait_for(lambda: deliveries(app)[0].status is DeliveryStatus.DELIVERED, what="its log")
    got = receiver.received[0]
    payload = Webhook(secret).verify(got.body, got.headers)
    assert payload["type"] == "registration.approved"
    assert payload["data"] == {
        "registration": {"id": 7},
        "conference": {"id": conference_id, "slug": "ttf9"},
    }
    assert payload["timestamp"].endswith("Z")
    assert got.headers["webhook-signature"].startswith("v1,")
    assert got.headers["content-type"] == "application/json"
    with pytest.raises(Exception, match="signature"):
        Webhook(secret).verify(got.body.replace(b"7", b"8"), got.headers)
    [delivered] = deliveries(app)
    assert delivered.message_id == got.headers["webhook-id"]
    with app.app_context():
        [attempt] = db.session.scalars(db.select(WebhookAttempt)).all()
        assert (attempt.status_code, attempt.response) == (200, "answered 200")


def test_a_failing_receiver_gets_retries_with_growing_delays(
    app: Flask, receiver: Receiver, make_organizer: Callable, make_conference: Callable
) -> None:
    conference_id = make_conference()
    owner = make_organizer()
    subscribe(app, owner.id, receiver.url, ["conference.changed"])
    receiver.answers = [500, 503]
    happen(app, "conference.changed", conference_id, conference={"id": conference_id})
    wait_for(lambda: receiver.count == 3, timeout=60, what="two retries")
    wait_for(lambda: deliveries(app)[0].status is DeliveryStatus.DELIVERED, what="delivered")
    assert len(set(receiver.ids())) == 1, "every attempt carries the same webhook-id"
    times = [r.at for r in receiver.received]
    assert times[1] - times[0] >= 0.9  # WEBHOOK_RETRY_BASE_SECONDS = 1
    assert times[2] - times[1] >= 1.9  # twice that
    assert attempts(app) == [500, 503, 200]
    with app.app_context():
        subscription = db.session.scalars(db.select(WebhookSubscription)).one()
        assert subscription.failures_in_row == 0
        assert subscription.failing_since is None


def test_persistent_failure_disables_the_subscription_and_mails_its_owner(
    app: Flask,
    receiver: Receiver,
    mailbox: TestMailbox,
    make_organizer: Callable,
    make_conference: Callable,
) -> None:
    conference_id = make_conference()
    owner = make_organizer("owner@cica.example")
    subscription_id, _ = subscribe(app, owner.id, receiver.url, ["registration.created"])
    receiver.otherwise = 410
    keys = ("WEBHOOK_DISABLE_AFTER_FAILURES", "WEBHOOK_DISABLE_AFTER_HOURS", "WEBHOOK_MAX_ATTEMPTS")
    saved = {key: app.config[key] for key in keys}
    app.config.update(
        WEBHOOK_DISABLE_AFTER_FAILURES=3, WEBHOOK_DISABLE_AFTER_HOURS=0, WEBHOOK_MAX_ATTEMPTS=2
    )
    try:
        happen(app, "registration.created", conference_id, registration={"id": 1})
        happen(app, "registration.created", conference_id, registration={"id": 2})
        wait_for(lambda: mailbox.count == 1, timeout=60, what="the owner's mail")
        wait_for(
            lambda: all(d.status is DeliveryStatus.FAILED for d in deliveries(app)),
            timeout=60,
            what="both deliveries settled",
        )
    finally:
        app.config.update(saved)
    assert receiver.count == 3, "no attempt after the subscription was disabled"
    [message] = mailbox.parsed()
    assert message["To"] == "owner@cica.example"
    assert "disabled" in message["Subject"]
    assert "3 attempts in a row failed" in message.get_content()
    assert f"/manage/webhooks/{subscription_id}" in message.get_content()
    with app.app_context():
        subscription = db.session.get(WebhookSubscription, subscription_id)
        assert subscription is not None
        assert not subscription.enabled
        assert subscription.disabled_at is not None
    happen(app, "registration.created", conference_id, registration={"id": 3})
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Job)) == 2


def test_a_retried_fan_out_writes_no_delivery_twice_and_resend_reuses_the_id(
    app: Flask, receiver: Receiver, make_organizer: Callable, make_conference: Callable
) -> None:
    conference_id = make_conference()
    owner = make_organizer()
    subscribe(app, owner.id, receiver.url, ["document.issued"])
    subscribe(app, owner.id, receiver.url, ["document.issued"], conference_id)
    happen(app, "document.issued", conference_id, document={"id": 4})
    wait_for(lambda: receiver.count == 2, what="one delivery per subscription")
    with app.app_context():
        job = db.session.scalars(db.select(Job)).one()
        assert fan_out(job) == 0
    assert len(deliveries(app)) == 2
    wait_for(lambda: all(d.status is DeliveryStatus.DELIVERED for d in deliveries(app)))
    first = deliveries(app)[0]
    with app.app_context():
        assert delivering.resend(db.session.get(WebhookDelivery, first.id))
    wait_for(lambda: receiver.count == 3, what="the resent delivery")
    assert receiver.ids().count(first.message_id) == 2
    assert len(set(receiver.ids())) == 2


def test_deliveries_follow_the_owners_rights(
    app: Flask, receiver: Receiver, make_conference: Callable
) -> None:
    conference_id = make_conference()
    outsider = make_account(app, "outsider@cica.example")
    subscribe(app, outsider, receiver.url, ["conference.cancelled"])
    happen(app, "conference.cancelled", conference_id, conference={"id": conference_id})
    with app.app_context():
        job = db.session.scalars(db.select(Job)).one()
        wait_for(lambda: db.session.get(Job, job.id, populate_existing=True).finished)
    assert deliveries(app) == []
    assert receiver.count == 0


def test_nobody_listening_writes_no_job(app: Flask, make_conference: Callable) -> None:
    conference_id = make_conference()
    happen(app, "registration.created", conference_id, registration={"id": 1})
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Job)) == 0
