"""Schemas of the attendance operations."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from registration.signup.models import AttendanceMode

ID = validate.Range(min=1, max=2**31 - 1)


class TallySchema(ma.Schema):
    registered = fields.Integer(required=True)
    registered_in_person = fields.Integer(required=True)
    registered_online = fields.Integer(required=True)
    attended = fields.Integer(required=True)
    in_person = fields.Integer(required=True)
    online = fields.Integer(required=True)
    no_shows = fields.Integer(required=True)
    switched = fields.Integer(required=True)


class TotalSchema(TallySchema):
    attendance_rate = fields.Integer(required=True, metadata={"description": "Per cent"})


class MemberTallySchema(TallySchema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)


class FiguresSchema(ma.Schema):
    total = fields.Nested(TotalSchema, required=True)
    members = fields.List(fields.Nested(MemberTallySchema), required=True)
    member_states = fields.Integer(required=True)
    other_members = fields.Integer(required=True)
    summary = fields.String(required=True, metadata={"description": "The press-release line"})
    summaries = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "The press-release line in each language (en, ru, kk)"},
    )


class RecordSchema(ma.Schema):
    registration = fields.Integer(required=True)
    panel = fields.Integer(required=True, allow_none=True)
    day = fields.Date(required=True, allow_none=True)
    mode = fields.Enum(AttendanceMode, by_value=True, required=True)
    first_seen = fields.AwareDateTime(required=True)
    last_seen = fields.AwareDateTime(required=True)
    online_minutes = fields.Integer(required=True)


class RecordPageSchema(ma.Schema):
    items = fields.List(fields.Nested(RecordSchema), required=True)
    next_cursor = fields.String(required=True, allow_none=True)


class RecordQuerySchema(ma.Schema):
    cursor = fields.String(validate=validate.Regexp(r"^a[0-7]?[0-9a-f]{1,7}$"))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


class CheckInSchema(ma.Schema):
    client_id = fields.String(
        required=True,
        validate=validate.Regexp(r"^[A-Za-z0-9_-]{8,100}$"),
        metadata={"description": "Your id for this check-in: sent again, it counts once"},
    )
    panel = fields.Integer(validate=ID, metadata={"description": "A panel, or else a day"})
    day = fields.Date(metadata={"description": "A conference day, or else a panel"})
    badge = fields.String(validate=validate.Length(min=1, max=500))
    registration = fields.Integer(validate=ID, metadata={"description": "Or a badge"})


class OutcomeSchema(ma.Schema):
    status = fields.String(
        required=True,
        validate=validate.OneOf(["checked_in", "already_checked_in", "duplicate", "undone"]),
    )
    message = fields.String(required=True)
    warning = fields.String(required=True)
    registration = fields.Integer(required=True)
    name = fields.String(required=True)
