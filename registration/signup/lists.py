"""Lists of registrations: the public participant list, the secretariat's filters and counts."""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Select, or_
from sqlalchemy.orm import selectinload

from registration.collation import sort_key
from registration.database import db, parse_id
from registration.directory.models import Member
from registration.directory.services import member_key
from registration.signup.models import (
    Answer,
    AttendanceMode,
    Question,
    Registration,
    RegistrationPanel,
    RegistrationStatus,
)

E = TypeVar("E", bound=enum.Enum)


def participants_by_member(
    conference_id: int, language: str = "en"
) -> list[tuple[Member, list[Registration]]]:
    """Approved registrations whose people agreed to be listed, grouped by member, members
    and people in `language`'s alphabetical order.

    Pending people are not listed yet: a focal point may still decline them.
    """
    rows = db.session.scalars(
        db.select(Registration).where(
            Registration.conference_id == conference_id,
            Registration.consent_to_list.is_(True),
            Registration.status == RegistrationStatus.APPROVED,
        )
    ).all()
    groups: dict[int, list[Registration]] = {}
    for registration in rows:
        groups.setdefault(registration.member_id, []).append(registration)
    ordered = sorted(groups.values(), key=lambda regs: member_key(regs[0].member, language))
    return [(regs[0].member, sorted(regs, key=lambda r: sort_key(r.name))) for regs in ordered]


@dataclass(frozen=True)
class RegistrationFilter:
    member_id: int | None = None
    status: RegistrationStatus | None = None
    mode: AttendanceMode | None = None
    panel_id: int | None = None
    # question id -> the answer wanted (a choice, a country code, "yes" or "no")
    answers: tuple[tuple[int, str], ...] = ()


def filter_from(args: Mapping[str, str], questions: Sequence[Question]) -> RegistrationFilter:
    """The filter a query string says; unknown values are ignored. `q<id>=<answer>` filters
    by the answer to one of the conference's questions (a choice from a closed list)."""
    wanted = []
    for question in questions:
        value = args.get(f"q{question.id}", "")
        if question.kind.filterable and value and len(value) <= 300:
            wanted.append((question.id, value))
    return RegistrationFilter(
        member_id=parse_id(args.get("member", "")),
        status=_enum(RegistrationStatus, args.get("status", "")),
        mode=_enum(AttendanceMode, args.get("mode", "")),
        panel_id=parse_id(args.get("panel", "")),
        answers=tuple(wanted),
    )


def _enum(kind: type[E], value: str) -> E | None:
    try:
        return kind(value) if value else None
    except ValueError:
        return None


def filtered_registrations(
    conference_id: int, chosen: RegistrationFilter, member_ids: set[int] | None = None
) -> list[Registration]:
    """Registrations matching the filter (and, for a focal point, their members only)."""
    query = matching(conference_id, chosen, member_ids).options(
        selectinload(Registration.panel_links).joinedload(RegistrationPanel.panel)
    )
    return list(db.session.scalars(query).unique())


def matching(
    conference_id: int, chosen: RegistrationFilter, member_ids: set[int] | None = None
) -> Select[tuple[Registration]]:
    """The query of the registrations matching the filter, in the order of arrival."""
    query = (
        db.select(Registration)
        .where(Registration.conference_id == conference_id)
        .order_by(Registration.created_at, Registration.id)
    )
    if member_ids is not None:
        query = query.where(Registration.member_id.in_(member_ids))
    if chosen.member_id is not None:
        query = query.where(Registration.member_id == chosen.member_id)
    if chosen.status is not None:
        query = query.where(Registration.status == chosen.status)
    if chosen.mode is not None:
        query = query.where(Registration.mode == chosen.mode)
    if chosen.panel_id is not None:
        query = query.where(
            Registration.panel_links.any(RegistrationPanel.panel_id == chosen.panel_id)
        )
    for question_id, wanted in chosen.answers:
        query = query.where(Registration.id.in_(_answering(question_id, wanted)))
    return query


def _answering(question_id: int, wanted: str) -> Select[tuple[int]]:
    """Registrations whose answer is `wanted`, or (several choices) includes it."""
    value = Answer.value
    return db.select(Answer.registration_id).where(
        Answer.question_id == question_id,
        or_(
            value == wanted,
            value.startswith(wanted + "\n", autoescape=True),
            value.endswith("\n" + wanted, autoescape=True),
            value.contains("\n" + wanted + "\n", autoescape=True),
        ),
    )


@dataclass(frozen=True)
class MemberCount:
    member: Member
    in_person: int
    online: int

    @property
    def total(self) -> int:
        return self.in_person + self.online


def counts_by_member(registrations: list[Registration], language: str) -> list[MemberCount]:
    """Active registrations per member and mode, from an already filtered list, members by
    name in `language`."""
    tally: dict[int, Counter[AttendanceMode]] = {}
    members: dict[int, Member] = {}
    for registration in registrations:
        if not registration.is_active:
            continue
        members[registration.member_id] = registration.member
        tally.setdefault(registration.member_id, Counter())[registration.mode] += 1
    return sorted(
        (
            MemberCount(members[mid], modes[AttendanceMode.IN_PERSON], modes[AttendanceMode.ONLINE])
            for mid, modes in tally.items()
        ),
        key=lambda c: member_key(c.member, language),
    )
