"""The mail to a subscription's owner when persistent failure disabled it."""

from __future__ import annotations

from typing import Any

from flask import current_app

from registration.accounts.links import external_url
from registration.database import db
from registration.mail.compose import Mail
from registration.mail.composers import composes
from registration.webhooks.models import WebhookSubscription
from registration.webhooks.subscriptions import DISABLED_MAIL


@composes(DISABLED_MAIL)
def disabled_mail(intent: dict[str, Any]) -> Mail | None:
    """Nothing to say if the subscription is gone or was enabled again meanwhile."""
    subscription = db.session.get(WebhookSubscription, intent["subscription"])
    if subscription is None or subscription.enabled:
        return None
    text = current_app.jinja_env.get_template("webhooks/mail/disabled.txt").render(
        subscription=subscription,
        link=external_url("webhooks.show", subscription_id=subscription.id),
    )
    return Mail(
        to=subscription.owner.email,
        subject="A webhook subscription was disabled after repeated failures",
        text=text,
    )
