"""Property-based test of the webhook subscription form: no 500 whatever arrives, a refused
submission writes nothing, an accepted one writes the subscription (and its audit entry),
and every stored subscription names a public http(s) target and known events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st

from registration.database import db
from registration.webhooks.events import EVENTS
from registration.webhooks.models import WebhookSubscription
from tests.fuzz.support import any_text, field, form, fuzz, submit, written

TARGETS = st.sampled_from(
    [
        "https://93.184.215.14/hooks",
        "http://93.184.215.14:8080/x?y=1",
        "http://127.0.0.1/",
        "http://[::1]/",
        "http://10.0.0.1/",
        "http://169.254.169.254/latest",
        "https://user:pw@93.184.215.14/",
        "ftp://93.184.215.14/",
        "javascript:alert(1)",
        "http://[::ffff:192.168.0.1]/",
    ]
)


def subscription_form(conference_id: int) -> st.SearchStrategy[dict[str, Any]]:
    return form(
        {
            "url": field(
                "https://93.184.215.14/hooks", 2001, mutation=st.one_of(TARGETS, any_text(60))
            ),
            "description": field("Ministry registration system", 201),
            "conference": field(st.sampled_from(["0", str(conference_id)])),
            "events": field(
                ["registration.created"],
                mutation=st.lists(
                    st.one_of(st.sampled_from(list(EVENTS)), any_text(20)), max_size=3
                ),
            ),
        }
    )


def test_the_subscription_form(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    conference_id = make_conference(slug="ttf9")

    @fuzz(150)
    @given(data=subscription_form(conference_id))
    def send(data: dict[str, Any]) -> None:
        response = submit(organizer_client, "POST", "/manage/webhooks/", data=data)
        assert response.status_code == 200
        if "Signing secret" in response.get_data(as_text=True):
            assert "webhook_subscriptions" in written()
        else:
            assert written() == set()

    send()
    with app.app_context():
        for subscription in db.session.scalars(db.select(WebhookSubscription)):
            assert subscription.url.startswith(("https://93.184.215.14", "http://93.184.215.14"))
            assert set(subscription.events) <= set(EVENTS)
            assert subscription.events
