"""Webhooks go to public http(s) hosts only: refused when subscribing, again before each
delivery after resolving the name, and on the connected socket (no request into the
service's own network); WEBHOOK_ALLOWED_HOSTS opens named hosts for tests and intranets."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

import pytest
from flask import Flask

from registration.accounts.models import User
from registration.database import db
from registration.webhooks import guard, subscriptions, transport
from registration.webhooks.delivery import deliver
from registration.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from tests.webhook_support import Receiver, subscribe

REFUSED = [
    "http://127.0.0.1/hook",
    "http://localhost:8080/hook",
    "http://10.1.2.3/hook",
    "http://192.168.0.10/hook",
    "http://172.16.5.5/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://100.64.0.1/hook",
    "http://0.0.0.0/hook",
    "http://[::1]/hook",
    "http://[fe80::1]/hook",
    "http://[fd00::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://2130706433/hook",
]


@pytest.mark.parametrize("url", REFUSED)
def test_local_and_private_targets_are_refused(app: Flask, url: str) -> None:
    with app.app_context(), pytest.raises(guard.TargetRefusedError, match="public hosts"):
        guard.check_url(url)


@pytest.mark.parametrize(
    "url", ["ftp://example.org/x", "file:///etc/passwd", "http:///x", "https://u:p@example.org/"]
)
def test_other_schemes_and_credentials_are_refused(app: Flask, url: str) -> None:
    with app.app_context(), pytest.raises(guard.TargetRefusedError):
        guard.check_url(url)


def test_public_addresses_pass_and_the_allowlist_opens_named_hosts(app: Flask) -> None:
    assert guard.is_public(ipaddress.ip_address("93.184.215.14"))
    assert guard.is_public(ipaddress.ip_address("2606:4700::1111"))
    assert not guard.is_public(ipaddress.ip_address("224.0.0.1"))
    with app.app_context():
        guard.check_url("https://93.184.215.14/hook")
    assert guard.allowed("127.0.0.1", ["127.0.0.1"])
    assert guard.allowed("10.2.3.4", ["10.0.0.0/8"])
    assert guard.allowed("Hooks.Intranet", ["hooks.intranet"])
    assert not guard.allowed("10.2.3.4", ["hooks.intranet", "192.168.0.0/16"])


def test_the_connected_socket_is_checked_whatever_the_name_resolved_to(
    app: Flask, receiver: Receiver
) -> None:
    answer = transport.post(receiver.url, "{}", {}, timeout=5, allowlist=())
    assert answer.status_code is None
    assert "not a public address" in answer.error
    assert receiver.count == 0
    allowed = transport.post(receiver.url, "{}", {}, timeout=5, allowlist=("127.0.0.1",))
    assert allowed.status_code == 200
    assert receiver.count == 1


@pytest.mark.postgres
def test_a_subscription_refused_at_creation_and_at_delivery(
    app: Flask, receiver: Receiver, make_organizer: Callable, make_conference: Callable
) -> None:
    owner = make_organizer()
    with app.app_context():
        user = db.session.get(User, owner.id)
        with pytest.raises(subscriptions.SubscriptionError, match="private or local") as refused:
            subscriptions.create(
                user,
                url="http://169.254.169.254/",
                events=["conference.changed"],
                conference_id=None,
            )
        assert refused.value.field == "url"
    subscription_id, _ = subscribe(app, owner.id, receiver.url, ["conference.changed"])
    app.config["WEBHOOK_ALLOWED_HOSTS"] = []  # the allowlist changed after subscribing
    with app.app_context():
        row = WebhookDelivery(
            subscription_id=subscription_id,
            event_id="e1",
            message_id="msg_e1",
            event_type="conference.changed",
            payload={"type": "conference.changed"},
        )
        db.session.add(row)
        db.session.commit()
        assert deliver(row.id) == 1
        attempt = db.session.scalars(db.select(WebhookAttempt)).one()
        assert "private or local" in attempt.error
        assert attempt.status_code is None
        assert db.session.get(WebhookDelivery, row.id).status is DeliveryStatus.AWAITING_RETRY
    assert receiver.count == 0


def test_a_delivery_log_error_reads_in_the_page_language_or_says_it_is_english(
    app: Flask,
) -> None:
    from registration.i18n import N_, in_language, logged

    with app.app_context(), in_language("ru"):
        refused = guard.TargetRefusedError(N_("This is not a valid URL."))
        assert logged(str(refused)) == "Это недопустимый URL."
        assert logged("Connection refused") == '<span lang="en">Connection refused</span>'
    with app.app_context(), in_language("en"):
        assert logged("Connection refused") == "Connection refused"
