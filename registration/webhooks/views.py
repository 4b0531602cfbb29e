"""Each staff member's webhook subscriptions: create (the secret shown once), see the
secret again, the delivery log with resend, enable again, delete."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from registration.conferences.models import Conference
from registration.database import db
from registration.i18n import translate
from registration.staff.access import can, protect
from registration.staff.roles import Permission
from registration.webhooks import delivery, subscriptions
from registration.webhooks.events import EVENTS
from registration.webhooks.forms import ALL, SubscriptionForm
from registration.webhooks.models import WebhookDelivery, WebhookSubscription
from registration.webhooks.sealing import UnreadableSecretError

bp = protect(Blueprint("webhooks", __name__, url_prefix="/manage/webhooks"), Permission.ENTER)
NO_STORE = {"Cache-Control": "no-store"}
LOG_LENGTH = 50


def editable_conferences() -> list[Conference]:
    """The conferences the signed-in account may edit: those it may subscribe to."""
    found = db.session.scalars(db.select(Conference).order_by(Conference.starts_at.desc()))
    user = current_user._get_current_object()
    return [c for c in found if can(user, Permission.EDIT, c.id)]


def own(subscription_id: int) -> WebhookSubscription:
    """The signed-in account's subscription, or 404 (another's is not shown)."""
    subscription = db.session.get(WebhookSubscription, subscription_id)
    if subscription is None or subscription.owner_id != current_user.id:
        abort(404)
    return subscription


@bp.route("/", methods=["GET", "POST"])
def index() -> ResponseReturnValue:
    conferences = editable_conferences()
    form = SubscriptionForm()
    form.offer(conferences)
    created = None
    if form.validate_on_submit():
        try:
            created = subscriptions.create(
                current_user._get_current_object(),
                url=form.url.data or "",
                events=list(form.events.data or []),
                conference_id=None if form.conference.data == ALL else form.conference.data,
                description=form.description.data or "",
            )
        except subscriptions.SubscriptionError as error:
            getattr(form, error.field or "url").errors.append(error.translated())
        else:
            form = SubscriptionForm(formdata=None)
            form.offer(conferences)
    page = render_template(
        "webhooks/index.html",
        form=form,
        created=created,
        subscriptions=subscriptions.owned_by(current_user._get_current_object()),
        events=EVENTS,
    )
    return page, 200, NO_STORE


@bp.get("/<int:subscription_id>")
def show(subscription_id: int) -> ResponseReturnValue:
    subscription = own(subscription_id)
    log = db.session.scalars(
        db.select(WebhookDelivery)
        .filter_by(subscription_id=subscription.id)
        .order_by(WebhookDelivery.id.desc())
        .limit(LOG_LENGTH)
    ).all()
    page = render_template(
        "webhooks/show.html",
        subscription=subscription,
        reason=subscriptions.disabled_reason(subscription),
        deliveries=log,
        events=EVENTS,
    )
    return page, 200, NO_STORE


@bp.post("/<int:subscription_id>/secret")
def secret(subscription_id: int) -> ResponseReturnValue:
    """The secret again, for its owner only, on a page that is not cached."""
    subscription = own(subscription_id)
    try:
        secret = subscription.secret
    except UnreadableSecretError as error:
        flash(translate(str(error)), "error")
        return redirect(url_for("webhooks.show", subscription_id=subscription_id))
    page = render_template("webhooks/secret.html", subscription=subscription, secret=secret)
    return page, 200, NO_STORE


@bp.post("/<int:subscription_id>/enable")
def enable(subscription_id: int) -> ResponseReturnValue:
    subscriptions.enable(own(subscription_id))
    flash(_("The subscription is enabled: new events are sent again."), "success")
    return redirect(url_for("webhooks.show", subscription_id=subscription_id))


@bp.post("/<int:subscription_id>/delete")
def delete(subscription_id: int) -> ResponseReturnValue:
    subscription = own(subscription_id)
    url = subscription.url
    subscriptions.delete(subscription)
    flash(_("The subscription of %(url)s is deleted.", url=url), "success")
    return redirect(url_for("webhooks.index"))


@bp.post("/<int:subscription_id>/deliveries/<int:delivery_id>/resend")
def resend(subscription_id: int, delivery_id: int) -> ResponseReturnValue:
    subscription = own(subscription_id)
    found = db.session.get(WebhookDelivery, delivery_id)
    if found is None or found.subscription_id != subscription.id:
        abort(404)
    if not subscription.enabled:
        flash(_("Enable the subscription first: a disabled one sends nothing."), "error")
    elif delivery.resend(found):
        flash(
            _(
                "Delivery %(id)s is queued again, with the same webhook-id.",
                id=found.message_id,
            ),
            "success",
        )
    else:
        flash(_("This delivery is already waiting to be sent."), "info")
    return redirect(url_for("webhooks.show", subscription_id=subscription_id))
