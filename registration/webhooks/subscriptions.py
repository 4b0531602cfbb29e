"""Subscriptions: create, delete, enable again; failures counted, persistent ones disable.

A subscription is its owner's: it receives events of conferences where the owner may edit
(`Permission.EDIT`), checked at every event, so a removed role stops its deliveries.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext
from sqlalchemy import func, update

from registration.accounts.models import User
from registration.audit import recorder as audit
from registration.database import db, utcnow
from registration.i18n import N_, ngettext, zoned
from registration.mail.outbox import queue_intent
from registration.webhooks import guard
from registration.webhooks.events import EVENTS
from registration.webhooks.models import WebhookSubscription
from registration.webhooks.transport import new_secret

DISABLED_MAIL = "webhooks.disabled"
SUBJECT_TYPE = "webhook subscription"


class SubscriptionError(ValueError):
    """Why a subscription cannot be saved (a marked message and its values, worded in the
    page's language by `translated()`); `field` names the form field it is about."""

    def __init__(self, message: str, field: str | None = None, **values: str) -> None:
        super().__init__(message % values if values else message)
        self.message = message
        self.field = field
        self.values = values

    def translated(self) -> str:
        return gettext(self.message, **self.values)


def create(
    owner: User,
    *,
    url: str,
    events: list[str],
    conference_id: int | None,
    description: str = "",
) -> WebhookSubscription:
    """A new subscription with a fresh secret; commits. SubscriptionError on bad input,
    before anything is added."""
    url = url.strip()
    if len(url) > 2000:
        raise SubscriptionError(N_("A URL of at most 2000 characters, please."), "url")
    try:
        guard.check_url(url)
    except guard.TargetRefusedError as refused:
        raise SubscriptionError(refused.message, "url", **refused.values) from None
    unknown = [name for name in events if name not in EVENTS]
    if unknown or not events:
        raise SubscriptionError(N_("Choose at least one of the events listed."), "events")
    subscription = WebhookSubscription(
        owner_id=owner.id,
        conference_id=conference_id,
        url=url,
        description=description.strip()[:200],
        events=sorted(set(events)),
        secret=new_secret(),
    )
    db.session.add(subscription)
    db.session.flush()
    _audit(subscription, "webhook subscription created", [
        audit.change(N_("URL"), None, url),
        audit.change(N_("Events"), None, ", ".join(subscription.events)),
    ])  # fmt: skip
    db.session.commit()
    return subscription


def delete(subscription: WebhookSubscription) -> None:
    """Remove a subscription with its deliveries and their log; commits."""
    gone = [audit.change(N_("URL"), subscription.url, None)]
    _audit(subscription, "webhook subscription deleted", gone)
    db.session.delete(subscription)
    db.session.commit()


def enable(subscription: WebhookSubscription) -> None:
    """Enable a disabled subscription again, its count of failures reset; commits."""
    if subscription.enabled:
        return
    subscription.enabled = True
    subscription.disabled_at = None
    subscription.disabled_reason = ""
    subscription.failures_in_row = 0
    subscription.failing_since = None
    _audit(subscription, "webhook subscription enabled", [audit.change(N_("Enabled"), False, True)])
    db.session.commit()


def _audit(subscription: WebhookSubscription, action: str, changes: list[dict]) -> None:
    audit.record(
        action,
        subject_type=SUBJECT_TYPE,
        subject_id=subscription.id,
        subject=subscription.url,
        conference_id=subscription.conference_id,
        changes=changes,
    )


def note_success(subscription_id: int) -> None:
    """An answer in 2xx: the run of failures is over. No commit."""
    db.session.execute(
        update(WebhookSubscription)
        .where(WebhookSubscription.id == subscription_id, WebhookSubscription.failures_in_row > 0)
        .values(failures_in_row=0, failing_since=None)
    )


def note_failure(subscription_id: int) -> None:
    """One more failed attempt; disables the subscription (and mails its owner) after
    WEBHOOK_DISABLE_AFTER_FAILURES in a row over WEBHOOK_DISABLE_AFTER_HOURS. No commit."""
    now = utcnow()
    failures, since = db.session.execute(
        update(WebhookSubscription)
        .where(WebhookSubscription.id == subscription_id)
        .values(
            failures_in_row=WebhookSubscription.failures_in_row + 1,
            failing_since=func.coalesce(WebhookSubscription.failing_since, now),
        )
        .returning(WebhookSubscription.failures_in_row, WebhookSubscription.failing_since)
    ).one()
    if _persistent(failures, since, now):
        _disable(subscription_id, failures, since, now)


def disabled_reason(subscription: WebhookSubscription) -> str:
    """Why it was disabled, in the page's or mail's language, from the failures kept until the
    owner enables it again (the stored reason is the English one the API and logs show)."""
    since = subscription.failing_since
    if since is None:
        return subscription.disabled_reason
    # A conference's subscription in the conference's zone, one of every conference in UTC.
    zone = subscription.conference.timezone if subscription.conference else "UTC"
    return ngettext(
        "%(num)s attempt in a row failed since %(time)s.",
        "%(num)s attempts in a row failed since %(time)s.",
        subscription.failures_in_row,
        time=zoned(since, zone),
    )


def _persistent(failures: int, since: datetime | None, now: datetime) -> bool:
    config = current_app.config
    span = timedelta(hours=config["WEBHOOK_DISABLE_AFTER_HOURS"])
    enough = failures >= config["WEBHOOK_DISABLE_AFTER_FAILURES"]
    return enough and since is not None and now - since >= span


def _disable(subscription_id: int, failures: int, since: datetime | None, now: datetime) -> None:
    """Disable once (compare-and-set), with an audit entry and a mail intent to the owner."""
    first = (since or now).strftime("%Y-%m-%d %H:%M UTC")
    reason = f"{failures} attempts in a row failed since {first}."
    disabled = db.session.execute(
        update(WebhookSubscription)
        .where(WebhookSubscription.id == subscription_id, WebhookSubscription.enabled)
        .values(enabled=False, disabled_at=now, disabled_reason=reason)
        .returning(WebhookSubscription.id)
    ).scalar()
    if disabled is None:
        return
    subscription = db.session.get(WebhookSubscription, subscription_id)
    assert subscription is not None
    db.session.refresh(subscription)
    _audit(
        subscription, "webhook subscription disabled", [audit.change(N_("Enabled"), True, False)]
    )
    queue_intent(
        DISABLED_MAIL,
        {"subscription": subscription_id},
        key=f"webhook-disabled:{subscription_id}:{now.timestamp():.0f}",
        recipient=subscription.owner.email,
    )


def owned_by(user: User, conference_id: int | None = None) -> list[WebhookSubscription]:
    """The user's subscriptions (of one conference, or all), newest first."""
    query = db.select(WebhookSubscription).filter_by(owner_id=user.id)
    if conference_id is not None:
        query = query.filter_by(conference_id=conference_id)
    return list(db.session.scalars(query.order_by(WebhookSubscription.created_at.desc())))
