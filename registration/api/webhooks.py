"""Webhook subscriptions of the token's owner: list, and create (the secret shown once in the
answer). The same service and checks as the page (registration/webhooks), where the log,
resend, enabling and deleting are."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_smorest import Blueprint, abort
from marshmallow import fields, validate

from registration.api import auth
from registration.conferences.models import Conference
from registration.database import db
from registration.staff.access import can
from registration.staff.models import StaffRole
from registration.staff.roles import Permission, Role
from registration.webhooks import subscriptions
from registration.webhooks.events import EVENTS
from registration.webhooks.models import WebhookSubscription

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
        db.session.rollback()
        field = error.field or "url"
        abort(422, message=str(error), messages={"json": {field: [str(error)]}})
    return {**_shown(made), "secret": made.secret}


def _any_edited(user_id: int) -> bool:
    """Does the account organise some conference (subscribing to all of them needs that)?"""
    held = db.select(StaffRole.id).filter_by(user_id=user_id, role=Role.ORGANISER).limit(1)
    return db.session.scalar(held) is not None
