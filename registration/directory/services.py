"""Loading and looking up members and institutions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from types import MappingProxyType

from flask import Flask

from registration import i18n
from registration.collation import Key, sort_key
from registration.database import db
from registration.directory.catalogue import (
    cica_members,
    localized_state_name,
    organization_name,
)
from registration.directory.models import Institution, Member, MemberKind


def sync_members() -> int:
    """Insert or update the CICA catalogue; returns how many rows were added."""
    existing = {m.code: m for m in db.session.scalars(db.select(Member))}
    added = 0
    for entry in cica_members():
        member = existing.get(entry.code)
        if member is None:
            member = Member(code=entry.code)
            db.session.add(member)
            added += 1
        member.alpha_2, member.name, member.kind = entry.alpha_2, entry.name, entry.kind
    return added


def member_by_code(code: str) -> Member:
    member = db.session.scalar(db.select(Member).filter_by(code=code))
    if member is None:
        raise LookupError(f"no member with code {code}")
    return member


STATES = frozenset({MemberKind.MEMBER_STATE, MemberKind.OBSERVER_STATE})


def member_name(member: Member, language: str = "en") -> str:
    """A member's name in a language: states by their ISO name in it (pycountry's
    translations), organisations by the catalogue's names; in English as stored."""
    return name_in(member.code, member.kind, member.name, language)


def name_in(code: str | None, kind: str | None, name: str, language: str) -> str:
    """`member_name` from a member's columns (a feed's plain rows, a job's snapshot); a
    member without code or kind keeps `name`."""
    if language == "en" or code is None:
        return name
    if kind not in STATES:
        translated = organization_name(code, language)
        return translated[0] if translated else name
    return _state_name(code, language) or name


@lru_cache(maxsize=8)
def catalogue_names(language: str) -> Mapping[str, str]:
    """The members' names in a language (`member_name`) by their English names, which
    identify them: every member is the catalogue's, named by `sync_members`."""
    return MappingProxyType(
        {m.name: name_in(m.code, m.kind, m.name, language) for m in cica_members()}
    )


def member_abbreviation(member: Member, language: str) -> str | None:
    """An organisation's abbreviation in a language (its code in English); None for a state."""
    if member.kind in STATES:
        return None
    if language == "en":
        return member.code
    translated = organization_name(member.code, language)
    return translated[1] if translated else None


def member_key(member: Member, language: str) -> Key:
    """Orders members by their names in `language`, in its alphabet's order."""
    return sort_key(member_name(member, language))


def members_by_name(members: Iterable[Member], language: str) -> list[Member]:
    """The members in the order of their names in `language` (`member_key`)."""
    return sorted(members, key=lambda m: member_key(m, language))


def init_app(app: Flask) -> None:
    """Templates name a member in the page's language with the `member_name` filter."""
    app.jinja_env.filters["member_name"] = lambda member: member_name(member, i18n.page_language())


@lru_cache(maxsize=1024)
def _state_name(alpha_3: str, language: str) -> str | None:
    try:
        return localized_state_name(alpha_3, language)
    except LookupError:
        return None


def members_for_choice() -> list[Member]:
    """Members ordered as a form lists them: member states first, then observers."""
    order = list(MemberKind)
    members = db.session.scalars(db.select(Member)).all()
    return sorted(members, key=lambda m: (order.index(m.kind), member_key(m, "en")))


def get_or_create_institution(
    name: str, short_name: str | None = None, member_code: str | None = None
) -> Institution:
    institution = db.session.scalar(db.select(Institution).filter_by(name=name))
    if institution is None:
        institution = Institution(name=name)
        db.session.add(institution)
    institution.short_name = short_name
    institution.member = member_by_code(member_code) if member_code else None
    return institution
