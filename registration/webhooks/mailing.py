"""The mail to a subscription's owner when persistent failure disabled it, in the owner's
account language (English until they choose one)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext

from registration.accounts.links import account_url
from registration.database import db
from registration.i18n import in_language
from registration.mail.compose import Mail
from registration.mail.composers import composes
from registration.webhooks.models import WebhookSubscription
from registration.webhooks.subscriptions import DISABLED_MAIL, disabled_reason


@composes(DISABLED_MAIL)
def disabled_mail(intent: dict[str, Any]) -> Mail | None:
    """Nothing to say if the subscription is gone or was enabled again meanwhile."""
    subscription = db.session.get(WebhookSubscription, intent["subscription"])
    if subscription is None or subscription.enabled:
        return None
    owner = subscription.owner
    with in_language(owner.language):
        text = current_app.jinja_env.get_template("webhooks/mail/disabled.txt").render(
            subscription=subscription,
            reason=disabled_reason(subscription),
            link=account_url(owner, "webhooks.show", subscription_id=subscription.id),
        )
        subject = gettext("A webhook subscription was disabled after repeated failures")
    return Mail(to=owner.email, subject=subject, text=text)
