"""The public read API: series, conferences with their programmes, participant lists and
public documents."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint, abort

from registration.api import present
from registration.api.common import conditional_get
from registration.api.schemas import (
    ConferenceDetailSchema,
    ConferenceSchema,
    DelegationListSchema,
    DocumentSchema,
    PanelSchema,
    SeriesSchema,
)
from registration.conferences import services
from registration.conferences.models import Conference, ConferenceStatus
from registration.documents import services as documents
from registration.signup import lists

bp = Blueprint(
    "public-api",
    __name__,
    url_prefix="/api/v1",
    description="Published conferences, their programmes and participant lists; no sign-in.",
)
bp.after_request(conditional_get)


def _visible(slug: str) -> Conference:
    """A published or cancelled conference (drafts are not public)."""
    found = services.conference_by_slug(slug)
    if found is None or found.status is ConferenceStatus.DRAFT:
        abort(404, message="No such conference.")
    return found


@bp.get("/series")
@bp.response(200, SeriesSchema(many=True))
def series_list() -> list[dict[str, Any]]:
    """Every series, such as the CICA Think Tank Forum."""
    return [present.series(s) for s in services.all_series()]


@bp.get("/series/<slug>")
@bp.response(200, SeriesSchema)
def series(slug: str) -> dict[str, Any]:
    """One series and the slugs of its public conferences."""
    found = services.series_by_slug(slug)
    if found is None:
        abort(404, message="No such series.")
    return present.series(found)


@bp.get("/conferences")
@bp.response(200, ConferenceSchema(many=True))
def conferences() -> list[dict[str, Any]]:
    """Published and cancelled conferences, the earliest first."""
    upcoming, past = services.published_conferences()
    ordered = sorted([*upcoming, *past], key=lambda c: (c.starts_at, c.id))
    return [present.conference(c) for c in ordered]


@bp.get("/conferences/<slug>")
@bp.response(200, ConferenceDetailSchema)
def conference(slug: str) -> dict[str, Any]:
    """One conference with its organisers and programme."""
    return present.conference_detail(_visible(slug))


@bp.get("/conferences/<slug>/panels")
@bp.response(200, PanelSchema(many=True))
def panels(slug: str) -> list[dict[str, Any]]:
    """The programme: panels in order, with speakers, moderators and times."""
    return [present.panel(p) for p in services.ordered_panels(_visible(slug))]


@bp.get("/conferences/<slug>/participants")
@bp.response(200, DelegationListSchema(many=True))
def participants(slug: str) -> list[dict[str, Any]]:
    """Approved participants who agreed to be listed, by member state or organisation."""
    found = _visible(slug)
    if found.status is not ConferenceStatus.PUBLISHED:
        abort(404, message="No such conference.")
    return [
        present.listed_delegation(member, people)
        for member, people in lists.participants_by_member(found.id)
    ]


@bp.get("/conferences/<slug>/documents")
@bp.response(200, DocumentSchema(many=True))
def conference_documents(slug: str) -> list[dict[str, Any]]:
    """The conference's public documents that are issued, with their language versions."""
    found = _visible(slug)
    return [present.document(d) for d in documents.readable_documents(found, documents.Reader())]


@bp.get("/series/<slug>/documents")
@bp.response(200, DocumentSchema(many=True))
def series_documents(slug: str) -> list[dict[str, Any]]:
    """The series' public documents that are issued, with their language versions."""
    found = services.series_by_slug(slug)
    if found is None:
        abort(404, message="No such series.")
    return [present.document(d) for d in documents.readable_documents(found, documents.Reader())]
