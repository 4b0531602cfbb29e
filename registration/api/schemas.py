"""What the public API answers, as marshmallow schemas (they also make the OpenAPI document)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from registration.conferences.models import ConferenceFormat, ConferenceStatus, PanelKind

UTC_NOTE = "in UTC"
LOCAL_NOTE = "in the conference's time zone, with its UTC offset"


class PersonSchema(ma.Schema):
    name = fields.String(required=True)
    honorific = fields.String(required=True)
    position = fields.String(required=True)
    affiliation = fields.String(
        required=True, metadata={"description": "with the institution's main name"}
    )
    affiliations = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata={
            "description": "the affiliation with the institution's name in each language it "
            "is given in, by language code (empty without an institution)"
        },
    )


class PanelSchema(ma.Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    theme = fields.String(required=True)
    kind = fields.Enum(PanelKind, by_value=True, required=True)
    cancelled = fields.Boolean(required=True)
    room = fields.String(required=True)
    starts_at = fields.AwareDateTime(required=True, metadata={"description": UTC_NOTE})
    ends_at = fields.AwareDateTime(required=True, metadata={"description": UTC_NOTE})
    starts_at_local = fields.AwareDateTime(required=True, metadata={"description": LOCAL_NOTE})
    ends_at_local = fields.AwareDateTime(required=True, metadata={"description": LOCAL_NOTE})
    speakers = fields.List(fields.Nested(PersonSchema), required=True)
    moderators = fields.List(fields.Nested(PersonSchema), required=True)


class InstitutionSchema(ma.Schema):
    name = fields.String(required=True, metadata={"description": "in its main language"})
    language = fields.String(
        required=True, metadata={"description": "the main language of the name: en, ru or kk"}
    )
    names = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        required=True,
        metadata={"description": "the name in each language it is given in, by language code"},
    )
    short_name = fields.String(required=True, allow_none=True)
    url = fields.String(required=True, allow_none=True)


class ConferenceSchema(ma.Schema):
    slug = fields.String(required=True)
    title = fields.String(required=True)
    theme = fields.String(required=True)
    series = fields.String(
        required=True, allow_none=True, metadata={"description": "The series' slug"}
    )
    number = fields.Integer(required=True, allow_none=True)
    status = fields.Enum(ConferenceStatus, by_value=True, required=True)
    format = fields.Enum(ConferenceFormat, by_value=True, required=True)
    venue = fields.String(required=True)
    city = fields.String(required=True)
    timezone = fields.String(required=True, metadata={"description": "An IANA zone name"})
    starts_at = fields.AwareDateTime(required=True, metadata={"description": UTC_NOTE})
    ends_at = fields.AwareDateTime(required=True, metadata={"description": UTC_NOTE})
    starts_at_local = fields.AwareDateTime(required=True, metadata={"description": LOCAL_NOTE})
    ends_at_local = fields.AwareDateTime(required=True, metadata={"description": LOCAL_NOTE})
    url = fields.Url(required=True, metadata={"description": "The public programme page"})


class ConferenceDetailSchema(ConferenceSchema):
    description = fields.String(required=True)
    host = fields.Nested(InstitutionSchema, required=True, allow_none=True)
    co_organizers = fields.List(fields.Nested(InstitutionSchema), required=True)
    supporters = fields.List(fields.Nested(InstitutionSchema), required=True)
    panels = fields.List(fields.Nested(PanelSchema), required=True)


class SeriesSchema(ma.Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    short_name = fields.String(required=True, allow_none=True)
    description = fields.String(required=True)
    conferences = fields.List(
        fields.String(), required=True, metadata={"description": "Slugs of its conferences"}
    )


class MemberSchema(ma.Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)


class TypedInstitutionSchema(ma.Schema):
    """A registrant's institution as typed, and the known institution it names."""

    institution = fields.String(required=True, metadata={"description": "as typed"})
    institution_language = fields.String(
        required=True,
        metadata={"description": "the language `institution` is typed in: en, ru or kk"},
    )
    known_institution = fields.Nested(
        InstitutionSchema,
        required=True,
        allow_none=True,
        metadata={"description": "the institution the typed name names (any language), or null"},
    )


class ParticipantSchema(TypedInstitutionSchema):
    name = fields.String(required=True)
    position = fields.String(required=True)


class DelegationListSchema(ma.Schema):
    member = fields.Nested(MemberSchema, required=True)
    participants = fields.List(fields.Nested(ParticipantSchema), required=True)


class DocumentFileSchema(ma.Schema):
    language = fields.String(required=True)
    format = fields.String(required=True)
    filename = fields.String(required=True)
    size = fields.Integer(required=True, metadata={"description": "Bytes"})
    pages = fields.Integer(required=True, allow_none=True)
    sha256 = fields.String(required=True)
    url = fields.Url(required=True, metadata={"description": "Where to download it"})


class DocumentSchema(ma.Schema):
    kind = fields.String(required=True)
    titles = fields.Dict(
        keys=fields.String(), values=fields.String(), required=True,
        metadata={"description": "The title in each language the document has"},
    )  # fmt: skip
    reference = fields.String(required=True)
    issued_at = fields.AwareDateTime(required=True, allow_none=True)
    files = fields.List(fields.Nested(DocumentFileSchema), required=True)
