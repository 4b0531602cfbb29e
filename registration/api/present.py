"""Models turned into the dictionaries the API's schemas describe."""

from __future__ import annotations

from typing import Any

from flask import url_for

from registration.conferences import services
from registration.conferences.models import (
    Conference,
    ConferenceStatus,
    Institution,
    Panel,
    Person,
    Series,
)
from registration.directory.models import Member
from registration.documents.models import Document
from registration.signup.models import Registration
from registration.stored_text import TEXT_LANGUAGES


def person(found: Person) -> dict[str, Any]:
    return {
        "name": found.name,
        "honorific": found.honorific,
        "position": found.position,
        "affiliation": found.affiliation,
        "affiliations": affiliations(found),
    }


def affiliations(found: Person) -> dict[str, str]:
    """The affiliation with the institution's name in each language it has one in, by
    language code (as an institution's `names`); empty without an institution."""
    institution = found.institution
    if institution is None:
        return {}
    return {
        code: ", ".join(part for part in (found.position, name) if part)
        for code in TEXT_LANGUAGES
        if (name := institution.translation("name", code))
    }


def panel(found: Panel) -> dict[str, Any]:
    zone = found.conference.zone
    return {
        "id": found.id,
        "title": found.title,
        "theme": found.theme,
        "kind": found.kind,
        "cancelled": found.is_cancelled,
        "room": found.room,
        "starts_at": found.starts_at,
        "ends_at": found.ends_at,
        "starts_at_local": found.starts_at.astimezone(zone),
        "ends_at_local": found.ends_at.astimezone(zone),
        "speakers": [person(p) for p in found.speakers],
        "moderators": [person(p) for p in found.moderators],
    }


def institution(found: Institution | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        "name": found.name,
        "language": found.language,
        "names": {
            code: text for code in TEXT_LANGUAGES if (text := found.translation("name", code))
        },
        "short_name": found.short_name,
        "url": found.url,
    }


def conference(found: Conference) -> dict[str, Any]:
    return {
        "slug": found.slug,
        "title": found.title,
        "theme": found.theme,
        "series": found.series.slug if found.series else None,
        "number": found.number,
        "status": found.status,
        "format": found.format,
        "venue": found.venue,
        "city": found.city,
        "timezone": found.timezone,
        "starts_at": found.starts_at,
        "ends_at": found.ends_at,
        "starts_at_local": found.local(found.starts_at),
        "ends_at_local": found.local(found.ends_at),
        "url": url_for("public.conference", slug=found.slug, _external=True),
    }


def conference_detail(found: Conference) -> dict[str, Any]:
    return {
        **conference(found),
        "description": found.description,
        "host": institution(found.host),
        "co_organizers": [institution(i) for i in services.co_organizers(found)],
        "supporters": [institution(i) for i in services.supporters(found)],
        "panels": [panel(p) for p in services.ordered_panels(found)],
    }


def series(found: Series) -> dict[str, Any]:
    return {
        "slug": found.slug,
        "name": found.name,
        "short_name": found.short_name,
        "description": found.description,
        "conferences": [
            c.slug for c in found.conferences if c.status is not ConferenceStatus.DRAFT
        ],
    }


def member(found: Member) -> dict[str, Any]:
    return {"code": found.code, "name": found.name, "kind": found.kind.value}


def typed_institution(found: Registration) -> dict[str, Any]:
    """A registration's institution as typed, the language it is typed in, and the known
    institution it names (with its names in each language), if any."""
    return {
        "institution": found.institution,
        "institution_language": found.institution_language,
        "known_institution": institution(found.known_institution),
    }


def listed_delegation(found: Member, people: list[Registration]) -> dict[str, Any]:
    return {
        "member": member(found),
        "participants": [
            {"name": r.name, "position": r.position, **typed_institution(r)} for r in people
        ],
    }


def registration(found: Registration) -> dict[str, Any]:
    return {
        "id": found.id,
        "name": found.name,
        "email": found.email,
        "position": found.position,
        **typed_institution(found),
        "member": member(found.member),
        "mode": found.mode,
        "role": found.role,
        "language": found.language,
        "mail_language": found.mail_language,
        "status": found.status,
        "status_reason": found.status_reason,
        "email_confirmed": found.email_confirmed_at is not None,
        "listed": found.consent_to_list,
        "panels": sorted(link.panel_id for link in found.panel_links),
        "created_at": found.created_at,
        "updated_at": found.updated_at,
    }


def document(found: Document) -> dict[str, Any]:
    return {
        "kind": found.kind.value,
        "titles": {code: str(title) for code, title in (found.titles or {}).items() if title},
        "reference": found.reference,
        "issued_at": found.issued_at,
        "files": [
            {
                "language": f.language,
                "format": f.format.value,
                "filename": f.filename,
                "size": f.size,
                "pages": f.pages,
                "sha256": f.sha256,
                "url": url_for("documents.download", file_id=f.id, _external=True),
            }
            for f in found.files_in_order
        ],
    }
