"""The webhook pages: subscribe (secret shown once, then on request to its owner only),
refusals next to the field with what was typed kept, the delivery log with resend, enabling
a disabled subscription again; staff roles respected; every change audited."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from flask.testing import FlaskClient

from registration import config
from registration.audit.models import AuditEntry
from registration.database import db, utcnow
from registration.staff.roles import Role
from registration.webhooks import delivery
from registration.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from tests.staff_support import make_staff

pytestmark = pytest.mark.postgres

URL = "https://hooks.example.org/cica"


@pytest.fixture
def allowed_example(app: Flask) -> Callable[[], None]:
    """hooks.example.org does not resolve here: the allowlist lets the form save it."""
    saved = app.config["WEBHOOK_ALLOWED_HOSTS"]
    app.config["WEBHOOK_ALLOWED_HOSTS"] = ["hooks.example.org"]
    yield
    app.config["WEBHOOK_ALLOWED_HOSTS"] = saved


def subscription_rows(app: Flask) -> list[WebhookSubscription]:
    with app.app_context():
        rows = db.session.scalars(db.select(WebhookSubscription)).all()
        db.session.expunge_all()
        return list(rows)


def test_an_organiser_subscribes_and_sees_the_secret_once(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable, allowed_example: None
) -> None:
    conference_id = make_conference(title="Ninth Meeting")
    page = organizer_client.get("/manage/webhooks/")
    assert page.status_code == 200
    assert "Ninth Meeting" in page.text
    answer = organizer_client.post(
        "/manage/webhooks/",
        data={"url": URL, "conference": str(conference_id),
              "events": ["registration.created", "attendance.checked_in"]},
    )  # fmt: skip
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    [row] = subscription_rows(app)
    with app.app_context():
        secret = row.secret
    assert secret.startswith("whsec_")
    assert secret not in row.sealed_secret, "stored sealed"
    assert secret in answer.text
    assert row.conference_id == conference_id
    assert row.events == ["attendance.checked_in", "registration.created"]
    listing = organizer_client.get("/manage/webhooks/")
    assert URL in listing.text
    assert secret not in listing.text
    shown = organizer_client.get(f"/manage/webhooks/{row.id}")
    assert secret not in shown.text
    revealed = organizer_client.post(f"/manage/webhooks/{row.id}/secret")
    assert secret in revealed.text
    with app.app_context():
        entry = db.session.scalars(
            db.select(AuditEntry).filter_by(subject_type="webhook subscription")
        ).one()
        assert entry.action == "webhook subscription created"
        assert entry.conference_id == conference_id
    kazakh = organizer_client.get("/manage/audit?group=webhooks&lang=kk").text
    assert "Вебхукқа жазылым жасалды" in kazakh  # the action in the reader's language
    assert "Webhook subscription created" not in kazakh


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://10.0.0.7/hooks", "private or local network"),
        ("http://169.254.169.254/latest", "private or local network"),
        ("ftp://files.example.org/", "http:// or https://"),
        ("", "Give the URL"),
    ],
)
def test_a_refused_url_is_shown_next_to_the_field_with_the_form_kept(
    app: Flask, organizer_client: FlaskClient, url: str, error: str
) -> None:
    answer = organizer_client.post(
        "/manage/webhooks/",
        data={"url": url, "conference": "0", "description": "Ministry system",
              "events": ["conference.changed"]},
    )  # fmt: skip
    assert answer.status_code == 200
    assert error in answer.text
    assert 'id="url-error' in answer.text or 'aria-invalid="true"' in answer.text
    assert 'value="Ministry system"' in answer.text
    assert subscription_rows(app) == []


def test_no_event_chosen_is_refused(app: Flask, organizer_client: FlaskClient) -> None:
    answer = organizer_client.post("/manage/webhooks/", data={"url": URL, "conference": "0"})
    assert "Choose at least one event" in answer.text
    assert subscription_rows(app) == []


def test_staff_subscribe_only_to_conferences_they_edit_and_see_only_their_own(
    app: Flask,
    client: FlaskClient,
    login: Callable[[str], None],
    make_conference: Callable,
    allowed_example: None,
) -> None:
    edited = make_conference(title="Edited by them")
    other = make_conference(title="Not theirs")
    make_staff(app, "organiser@cica.example", Role.ORGANISER, edited)
    make_staff(app, "checkin@cica.example", Role.CHECK_IN, other)
    login("checkin@cica.example")
    page = client.get("/manage/webhooks/")
    assert "Not theirs" not in page.text
    refused = client.post(
        "/manage/webhooks/",
        data={"url": URL, "conference": str(other), "events": ["conference.changed"]},
    )
    assert "Not a valid choice" in refused.text
    assert subscription_rows(app) == []
    client.post("/account/logout")
    login("organiser@cica.example")
    assert "Edited by them" in client.get("/manage/webhooks/").text
    client.post(
        "/manage/webhooks/",
        data={"url": URL, "conference": str(edited), "events": ["conference.changed"]},
    )
    [row] = subscription_rows(app)
    client.post("/account/logout")
    login("checkin@cica.example")
    assert client.get(f"/manage/webhooks/{row.id}").status_code == 404
    assert client.post(f"/manage/webhooks/{row.id}/secret").status_code == 404
    assert client.post(f"/manage/webhooks/{row.id}/delete").status_code == 404
    client.post("/account/logout")
    assert client.get("/manage/webhooks/").status_code == 302


def test_the_log_resends_and_a_disabled_subscription_is_enabled_again(
    app: Flask, organizer_client: FlaskClient, allowed_example: None
) -> None:
    organizer_client.post(
        "/manage/webhooks/", data={"url": URL, "conference": "0", "events": ["conference.changed"]}
    )
    [row] = subscription_rows(app)
    with app.app_context():
        subscription = db.session.get(WebhookSubscription, row.id)
        subscription.enabled = False
        subscription.disabled_at = utcnow()
        subscription.disabled_reason = "20 attempts in a row failed since 2026-12-04 10:00 UTC."
        subscription.failures_in_row = 20
        subscription.failing_since = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
        delivery = WebhookDelivery(
            subscription_id=row.id, event_id="job-1", message_id="msg_one",
            event_type="conference.changed", payload={}, status=DeliveryStatus.FAILED,
            attempts=8,
        )  # fmt: skip
        db.session.add(delivery)
        db.session.commit()
        delivery_id = delivery.id
    page = organizer_client.get(f"/manage/webhooks/{row.id}")
    assert "20 attempts in a row failed since" in page.text
    # The reason is worded from the kept failures, like the mail, not the stored English.
    russian = organizer_client.get(f"/manage/webhooks/{row.id}?lang=ru").text
    assert "Неудачных попыток подряд с" in russian
    assert "attempts in a row" not in russian
    kazakh = organizer_client.get(f"/manage/webhooks/{row.id}?lang=kk").text
    assert "қатарынан 20 әрекет сәтсіз аяқталды." in kazakh
    assert "attempts in a row" not in kazakh
    organizer_client.get(f"/manage/webhooks/{row.id}?lang=en")
    assert "msg_one" in page.text
    refused = organizer_client.post(
        f"/manage/webhooks/{row.id}/deliveries/{delivery_id}/resend", follow_redirects=True
    )
    assert "Enable the subscription first" in refused.text
    enabled = organizer_client.post(f"/manage/webhooks/{row.id}/enable", follow_redirects=True)
    assert "is enabled" in enabled.text
    resent = organizer_client.post(
        f"/manage/webhooks/{row.id}/deliveries/{delivery_id}/resend", follow_redirects=True
    )
    assert "queued again" in resent.text
    with app.app_context():
        again = db.session.get(WebhookDelivery, delivery_id)
        assert again.status is DeliveryStatus.QUEUED
        assert again.attempts == 0
        actions = db.session.scalars(
            db.select(AuditEntry.action)
            .filter_by(subject_type="webhook subscription")
            .order_by(AuditEntry.id)
        ).all()
    assert actions == ["webhook subscription created", "webhook subscription enabled"]
    organizer_client.post(f"/manage/webhooks/{row.id}/delete")
    assert subscription_rows(app) == []


def test_a_secret_sealed_under_another_key_is_told_not_a_server_error(
    app: Flask, organizer_client: FlaskClient, allowed_example: None
) -> None:
    organizer_client.post(
        "/manage/webhooks/", data={"url": URL, "conference": "0", "events": ["conference.changed"]}
    )
    [row] = subscription_rows(app)
    saved = app.config["WEBHOOK_SECRET_KEY"]
    app.config["WEBHOOK_SECRET_KEY"] = Fernet.generate_key().decode()
    try:
        refused = organizer_client.post(f"/manage/webhooks/{row.id}/secret", follow_redirects=True)
        assert refused.status_code == 200
        assert "sealed under another key" in refused.text
        with app.app_context():
            made = WebhookDelivery(
                subscription_id=row.id, event_id="job-1", message_id="msg_one",
                event_type="conference.changed", payload={},
            )  # fmt: skip
            db.session.add(made)
            db.session.commit()
            assert delivery.deliver(made.id) is not None, "a retry is planned"
            again = db.session.get(WebhookDelivery, made.id)
            assert again.status is DeliveryStatus.AWAITING_RETRY
            assert "sealed under another key" in again.log[0].error
    finally:
        app.config["WEBHOOK_SECRET_KEY"] = saved


def test_the_sealing_key_is_a_setting_checked_at_start(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("WEBHOOK_SECRET_KEY", key)
    assert config.load(app.instance_path)["WEBHOOK_SECRET_KEY"] == key
    monkeypatch.setenv("WEBHOOK_SECRET_KEY", "not a key")
    with pytest.raises(ValueError, match="WEBHOOK_SECRET_KEY is not a Fernet key"):
        config.load(app.instance_path)


def test_the_url_guard_refuses_in_the_page_language(
    app: Flask, organizer_client: FlaskClient
) -> None:
    answer = organizer_client.post(
        "/manage/webhooks/?lang=ru",
        data={"url": "http://10.0.0.7/hooks", "conference": "0",
              "events": ["conference.changed"]},
    )  # fmt: skip
    assert answer.status_code == 200
    assert (
        "10.0.0.7 ведёт на 10.0.0.7 — адрес частной или локальной сети: вебхуки отправляются "
        "только на публичные хосты."
    ) in answer.text
    kazakh = organizer_client.post(
        "/manage/webhooks/?lang=kk",
        data={"url": "https://u:p@example.org/", "conference": "0",
              "events": ["conference.changed"]},
    )  # fmt: skip
    assert "URL мекенжайына пайдаланушы аттары мен құпиясөздерді енгізбеңіз." in kazakh.text


def test_a_conference_titled_in_english_only_carries_its_lang_in_the_forms(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable
) -> None:
    conference_id = make_conference(title="Ninth Meeting")
    russian = organizer_client.get("/manage/webhooks/?lang=ru").text
    assert re.search(rf'<option lang="en" value="{conference_id}">Ninth Meeting</option>', russian)
    tokens = organizer_client.get("/account/tokens/").text
    assert '<span lang="en">Ninth Meeting</span>' in tokens
    english = organizer_client.get("/manage/webhooks/?lang=en").text
    assert f'<option value="{conference_id}">Ninth Meeting</option>' in english
