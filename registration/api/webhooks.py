"""Webhook subscriptions of the token's owner: list, create (the secret shown once in the
answer), delete, enable again, the delivery log a page at a time and resend. The same
services and checks as the pages (registration/webhooks); another's subscription is a 404."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import url_for
from flask_smorest import Blueprint, abort
from marshmallow import fields, validate
from sqlalchemy.orm import selectinload

from registration.api import auth
from registration.conferences.models import Conference
from registration.database import db
from registration.staff.access import can
from registration.staff.models import StaffRole
from registration.staff.roles import Permission, Role
from registration.webhooks import delivery, subscriptions
from registration.webhooks.events import EVENTS
from registration.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription

bp = Blueprint(
    "webhooks-api",
    __name__,
    url_prefix="/api/v1",
    description="Webhook subscriptions of the token's owner (staff who edit conferences).",
)
auth.guard(bp)


class SubscriptionSchema(ma.Schema):
    id = fields.Integer(required=True)
    url = fields.String(required=True)
    description = fields.String(required=True)
    conference = fields.String(
        required=True, allow_none=True, metadata={"description": "Slug; null: all I organise"}
    )
    events = fields.List(fields.String(validate=validate.OneOf(list(EVENTS))), required=True)
    enabled = fields.Boolean(required=True)
    disabled_reason = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)


class CreatedSchema(SubscriptionSchema):
    secret = fields.String(
        required=True, metadata={"description": "whsec_...: shown in this answer only"}
    )


class NewSubscriptionSchema(ma.Schema):
    url = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    events = fields.List(
        fields.String(validate=validate.OneOf(list(EVENTS))),
        required=True,
        validate=validate.Length(min=1),
    )
    conference = fields.String(
        load_default=None, allow_none=True, metadata={"description": "Slug; null: all I organise"}
    )
    description = fields.String(load_default="", validate=validate.Length(max=200))


def _shown(subscription: WebhookSubscription) -> dict[str, Any]:
    return {
        "id": subscription.id,
        "url": subscription.url,
        "description": subscription.description,
        "conference": subscription.conference.slug if subscription.conference else None,
        "events": subscription.events,
        "enabled": subscription.enabled,
        "disabled_reason": subscription.disabled_reason,
        "created_at": subscription.created_at,
    }


def _editable(slug: str | None) -> int | None:
    """The conference's id if the token may subscribe to it (None: all); 404/403 otherwise."""
    if slug is None:
        return None
    token = auth.current_token()
    conference = db.session.scalar(db.select(Conference).filter_by(slug=slug))
    if conference is None or not token.covers(conference.id):
        abort(404, message="No such conference for this token.")
    if not can(token.user, Permission.EDIT, conference.id):
        abort(403, message="Subscribing needs the organiser's rights in the conference.")
    return conference.id


@bp.get("/webhooks")
@bp.response(200, SubscriptionSchema(many=True))
@bp.doc(security=auth.SECURITY)
def listing() -> list[dict[str, Any]]:
    """Your webhook subscriptions, newest first (their secrets are not shown again)."""
    return [_shown(s) for s in subscriptions.owned_by(auth.current_token().user)]


@bp.post("/webhooks")
@bp.arguments(NewSubscriptionSchema)
@bp.response(201, CreatedSchema)
@bp.doc(security=auth.SECURITY)
def create(data: dict[str, Any]) -> dict[str, Any]:
    """Subscribe a public http(s) URL to events; a URL of a private or local network is 422."""
    user = auth.current_token().user
    if not can(user, Permission.EDIT) and not _any_edited(user.id):
        abort(403, message="Subscribing needs the organiser's rights in a conference.")
    try:
        made = subscriptions.create(
            user,
            url=data["url"],
            events=data["events"],
            conference_id=_editable(data["conference"]),
            description=data["description"],
        )
    except subscriptions.SubscriptionError as error:
        field = error.field or "url"
        abort(422, message=str(error), messages={"json": {field: [str(error)]}})
    return {**_shown(made), "secret": made.secret}


def _any_edited(user_id: int) -> bool:
    """Does the account organise some conference (subscribing to all of them needs that)?"""
    held = db.select(StaffRole.id).filter_by(user_id=user_id, role=Role.ORGANISER).limit(1)
    return db.session.scalar(held) is not None


def _owned(subscription_id: int) -> WebhookSubscription:
    """The token owner's subscription, or 404 (another's is not told apart from none)."""
    found = db.session.get(WebhookSubscription, subscription_id)
    if found is None or found.owner_id != auth.current_token().user_id:
        abort(404, message="No such webhook subscription of yours.")
    return found


@bp.delete("/webhooks/<int:subscription_id>")
@bp.response(204)
@bp.doc(security=auth.SECURITY)
def delete(subscription_id: int) -> None:
    """Delete a subscription with its delivery log; nothing more is sent to its URL."""
    subscriptions.delete(_owned(subscription_id))


@bp.post("/webhooks/<int:subscription_id>/enable")
@bp.response(200, SubscriptionSchema)
@bp.doc(security=auth.SECURITY)
def enable(subscription_id: int) -> dict[str, Any]:
    """Enable a disabled subscription again (its count of failures reset); new events are
    sent again. An enabled one is answered as it is."""
    subscription = _owned(subscription_id)
    subscriptions.enable(subscription)
    return _shown(subscription)


class AttemptSchema(ma.Schema):
    at = fields.AwareDateTime(required=True)
    status_code = fields.Integer(required=True, allow_none=True)
    response = fields.String(required=True, metadata={"description": "The answer's start"})
    error = fields.String(required=True)
    milliseconds = fields.Integer(required=True)


class DeliverySchema(ma.Schema):
    id = fields.Integer(required=True)
    message_id = fields.String(required=True, metadata={"description": "Its `webhook-id`"})
    event_type = fields.String(required=True)
    status = fields.Enum(DeliveryStatus, by_value=True, required=True)
    attempts = fields.Integer(required=True)
    next_attempt_at = fields.AwareDateTime(required=True)
    created_at = fields.AwareDateTime(required=True)
    delivered_at = fields.AwareDateTime(required=True, allow_none=True)
    payload = fields.Dict(required=True, metadata={"description": "The body sent"})
    log = fields.List(
        fields.Nested(AttemptSchema), required=True, metadata={"description": "Newest first"}
    )


class DeliveryPageSchema(ma.Schema):
    items = fields.List(fields.Nested(DeliverySchema), required=True)
    next_cursor = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Pass as `cursor` for the next page; null on the last"},
    )


class DeliveryQuerySchema(ma.Schema):
    cursor = fields.String(
        validate=validate.Regexp(r"^d[0-7]?[0-9a-f]{1,7}$"),  # an id PostgreSQL can hold
        metadata={"description": "The `next_cursor` of the page before"},
    )
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


def _delivery_shown(found: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": found.id,
        "message_id": found.message_id,
        "event_type": found.event_type,
        "status": found.status,
        "attempts": found.attempts,
        "next_attempt_at": found.next_attempt_at,
        "created_at": found.created_at,
        "delivered_at": found.delivered_at,
        "payload": found.payload,
        "log": [
            {
                "at": a.at,
                "status_code": a.status_code,
                "response": a.response,
                "error": a.error,
                "milliseconds": a.milliseconds,
            }
            for a in found.log
        ],
    }


@bp.get("/webhooks/<int:subscription_id>/deliveries")
@bp.arguments(DeliveryQuerySchema, location="query", as_kwargs=False)
@bp.response(200, DeliveryPageSchema)
@bp.doc(security=auth.SECURITY)
def deliveries(query: dict[str, Any], subscription_id: int) -> Any:
    """The subscription's deliveries, newest first, a page at a time (`cursor`, `limit`),
    each with its attempts."""
    subscription = _owned(subscription_id)
    chosen = (
        db.select(WebhookDelivery)
        .filter_by(subscription_id=subscription.id)
        .options(selectinload(WebhookDelivery.log))
        .order_by(WebhookDelivery.id.desc())
        .limit(query["limit"] + 1)
    )
    if "cursor" in query:
        chosen = chosen.where(WebhookDelivery.id < int(query["cursor"].removeprefix("d"), 16))
    found = list(db.session.scalars(chosen))
    page, more = found[: query["limit"]], len(found) > query["limit"]
    next_cursor = f"d{page[-1].id:x}" if more else None
    headers = {}
    if next_cursor:
        link = url_for(
            ".deliveries",
            subscription_id=subscription_id,
            **{**query, "cursor": next_cursor},
            _external=True,
        )
        headers["Link"] = f'<{link}>; rel="next"'
    body = {"items": [_delivery_shown(d) for d in page], "next_cursor": next_cursor}
    return body, 200, headers


@bp.post("/webhooks/<int:subscription_id>/deliveries/<int:delivery_id>/resend")
@bp.response(202, DeliverySchema)
@bp.doc(security=auth.SECURITY)
def resend(subscription_id: int, delivery_id: int) -> dict[str, Any]:
    """Send a delivery again with the same `webhook-id` (one already waiting stays as it
    is); 409 while the subscription is disabled."""
    subscription = _owned(subscription_id)
    found = db.session.get(WebhookDelivery, delivery_id)
    if found is None or found.subscription_id != subscription.id:
        abort(404, message="No such delivery of this subscription.")
    if not subscription.enabled:
        abort(409, message="Enable the subscription first: a disabled one sends nothing.")
    delivery.resend(found)
    return _delivery_shown(found)
