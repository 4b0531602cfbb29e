"""Schemas of the authenticated API: the token itself and registrations."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from registration.api.schemas import MemberSchema, TypedInstitutionSchema
from registration.signup.models import AttendanceMode, ParticipantRole, RegistrationStatus
from registration.tokens.models import TokenScope

MAX_PAGE = 200


class TokenInfoSchema(ma.Schema):
    name = fields.String(required=True)
    scope = fields.Enum(TokenScope, by_value=True, required=True)
    expires_at = fields.AwareDateTime(required=True)
    owner = fields.Email(required=True)
    organizer = fields.Boolean(required=True, metadata={"description": "Sees every member"})
    conferences = fields.List(
        fields.String(),
        required=True,
        allow_none=True,
        metadata={"description": "Slugs the token is limited to; null: all the owner's"},
    )


class RegistrationSchema(TypedInstitutionSchema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    email = fields.Email(required=True)
    position = fields.String(required=True)
    member = fields.Nested(MemberSchema, required=True)
    mode = fields.Enum(AttendanceMode, by_value=True, required=True)
    role = fields.Enum(ParticipantRole, by_value=True, required=True)
    language = fields.String(required=True)
    mail_language = fields.String(
        required=True, metadata={"description": "The language of our mail to them"}
    )
    status = fields.Enum(RegistrationStatus, by_value=True, required=True)
    status_reason = fields.String(required=True)
    email_confirmed = fields.Boolean(required=True)
    listed = fields.Boolean(required=True, metadata={"description": "Agreed to be listed"})
    panels = fields.List(fields.Integer(), required=True, metadata={"description": "Panel ids"})
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class RegistrationPageSchema(ma.Schema):
    items = fields.List(fields.Nested(RegistrationSchema), required=True)
    next_cursor = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Pass as `cursor` for the next page; null on the last"},
    )


class RegistrationQuerySchema(ma.Schema):
    status = fields.Enum(RegistrationStatus, by_value=True)
    mode = fields.Enum(AttendanceMode, by_value=True)
    member = fields.String(
        validate=validate.Regexp(r"^[A-Za-z0-9_.-]{1,16}$"),
        metadata={"description": "A member's code, e.g. KAZ"},
    )
    panel = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
    cursor = fields.String(
        validate=validate.Regexp(r"^r[0-7]?[0-9a-f]{1,7}$"),  # an id PostgreSQL can hold
        metadata={"description": "The `next_cursor` of the page before"},
    )
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PAGE))


class NewRegistrationSchema(ma.Schema):
    """A delegate registered on behalf of a member, as the focal point's form does."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    member = fields.String(
        required=True,
        validate=validate.Regexp(r"^[A-Za-z0-9_.-]{1,16}$"),
        metadata={"description": "The member's code, e.g. KAZ"},
    )
    mode = fields.Enum(AttendanceMode, by_value=True, required=True)
    position = fields.String(load_default="", validate=validate.Length(max=300))
    institution = fields.String(load_default="", validate=validate.Length(max=300))
    role = fields.Enum(ParticipantRole, by_value=True, load_default=ParticipantRole.PARTICIPANT)
    language = fields.String(load_default="en", validate=validate.Length(min=2, max=8))
    mail_language = fields.String(
        validate=validate.Length(min=2, max=8),
        metadata={
            "description": "The language of our mail to them (en, ru or kk); by default "
            "`language` where it is one of these, else en"
        },
    )
    panels = fields.List(
        fields.Integer(validate=validate.Range(min=1, max=2**31 - 1)),
        load_default=list,
        validate=validate.Length(max=100),
    )
    listed = fields.Boolean(load_default=False, metadata={"description": "Agrees to be listed"})


class DecisionSchema(ma.Schema):
    decision = fields.String(required=True, validate=validate.OneOf(["approve", "reject"]))
    reason = fields.String(load_default="", validate=validate.Length(max=2000))


class ExportQuerySchema(ma.Schema):
    status = fields.Enum(RegistrationStatus, by_value=True)
    mode = fields.Enum(AttendanceMode, by_value=True)
    member = fields.String(validate=validate.Regexp(r"^[A-Za-z0-9_.-]{1,16}$"))
    panel = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1))
