"""Webhook deliveries survive kill -9 of the worker (a separate process) in the middle of
POSTs: every delivery arrives, none is written twice, and the only copies are those that were
in flight at the kill, with the same webhook-id (as Standard Webhooks intends, so the
receiver recognises them)."""

from __future__ import annotations

import signal
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from standardwebhooks.webhooks import Webhook

from registration.database import db
from registration.jobs.events import announce
from registration.webhooks.models import DeliveryStatus, WebhookDelivery
from tests.mail_support import wait_for
from tests.webhook_support import Receiver, subscribe
from tests.worker_support import RedisServer, _start_worker, _stop, _worker_env, mailbox_port

EVENTS = 20
SUBSCRIPTIONS = 3
CONCURRENCY = 2


def delivered(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(
            db.select(db.func.count())
            .select_from(WebhookDelivery)
            .filter_by(status=DeliveryStatus.DELIVERED)
        )


@pytest.mark.redis
@pytest.mark.postgres
def test_deliveries_survive_kill_9_of_the_worker_mid_post(
    app: Flask,
    receiver: Receiver,
    private_redis: RedisServer,
    tmp_path: Path,
    make_organizer: Callable,
    make_conference: Callable,
) -> None:
    conference_id = make_conference(slug="ttf9")
    owner = make_organizer()
    secrets = dict(
        subscribe(app, owner.id, f"{receiver.url}/{n}", ["registration.created"], conference_id)
        for n in range(SUBSCRIPTIONS)
    )
    with app.app_context():
        for n in range(EVENTS):
            announce("registration.created", conference_id=conference_id, registration={"id": n})
        db.session.commit()
    # The jobs reach this worker through its sweeper (they went to the test's own broker).
    env = _worker_env(
        app,
        mailbox_port(app),
        tmp_path,
        REDIS_URL=private_redis.url,
        JOB_RETRY_AFTER_SECONDS="2",
        WEBHOOK_ALLOWED_HOSTS="127.0.0.1",
        WEBHOOK_TIMEOUT_SECONDS="2",
        WEBHOOK_RETRY_BASE_SECONDS="1",
        WEBHOOK_SWEEP_AFTER_SECONDS="2",
    )
    log = tmp_path / "worker.log"
    worker = _start_worker(env, log, concurrency=CONCURRENCY)
    total = EVENTS * SUBSCRIPTIONS
    try:
        wait_for(lambda: receiver.count >= 15, timeout=120, what="the first 15 deliveries")
        receiver.hold.set()  # the next POSTs wait for an answer: the worker dies meanwhile
        at_hold = receiver.count
        wait_for(lambda: receiver.count > at_hold, timeout=30, what="a POST in flight")
        _stop(worker, signal.SIGKILL)
        in_flight = receiver.count - at_hold
        receiver.hold.clear()
        assert receiver.count < total, "everything was delivered before the kill"
        worker = _start_worker(env, log, concurrency=CONCURRENCY)
        wait_for(lambda: delivered(app) == total, timeout=240, what="every delivery")
    finally:
        _stop(worker)
    with app.app_context():
        rows = db.session.scalars(db.select(WebhookDelivery)).all()
        expected = {row.message_id: row.subscription_id for row in rows}
        assert len(rows) == total  # one delivery per event and subscription, none twice
    copies = Counter(receiver.ids())
    print(f"in flight at the kill: {in_flight}; copies: {sum(copies.values()) - total}")
    assert set(copies) == set(expected), "every delivery arrived"
    assert sum(copies.values()) - total <= in_flight <= CONCURRENCY
    for got in receiver.received:  # each copy signed with its subscription's secret
        secret = secrets[expected[got.headers["webhook-id"]]]
        Webhook(secret).verify(got.body, got.headers)
