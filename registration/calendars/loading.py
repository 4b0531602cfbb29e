"""Panels of a feed read as plain rows: two queries, whatever the number of panels.

Loading 1,000 panels with 4,000 speaker roles as ORM objects takes a few hundred
milliseconds; the same rows as tuples take a few. The views below have what
`ical.panel_event` reads. A `PanelRow` holds every value a panel's event is made of (panel,
conference, people), so it is the cache key of the serialised event: equal rows give equal
events, hashing a tuple of plain values is cheap, and views are only built for new rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Row, Select, select

from registration.conferences.models import (
    Conference,
    ConferenceFormat,
    ConferenceStatus,
    Panel,
    PanelPerson,
    PanelRole,
    PanelStatus,
    Person,
)
from registration.database import db
from registration.directory.models import Institution, Member


@dataclass(frozen=True, slots=True)
class PersonView:
    display_name: str
    affiliation: str


@dataclass(frozen=True)
class ConferenceView:
    id: int
    slug: str
    title: str
    timezone: str
    format: ConferenceFormat
    status: ConferenceStatus
    online_url: str
    venue: str
    city: str
    sequence: int

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def has_online(self) -> bool:
        return self.format in {ConferenceFormat.ONLINE, ConferenceFormat.HYBRID}


@dataclass(frozen=True, slots=True)
class PanelView:
    id: int
    title: str
    theme: str
    starts_at: datetime
    ends_at: datetime
    room: str
    join_url: str
    status: PanelStatus
    sequence: int
    updated_at: datetime
    conference: ConferenceView
    moderators: tuple[PersonView, ...]
    speakers: tuple[PersonView, ...]


PANEL_COLUMNS = (
    Panel.id,
    Panel.title,
    Panel.theme,
    Panel.starts_at,
    Panel.ends_at,
    Panel.room,
    Panel.join_url,
    Panel.status,
    Panel.sequence,
    Panel.updated_at,
)
CONFERENCE_COLUMNS = (
    Conference.id,
    Conference.slug,
    Conference.title,
    Conference.timezone,
    Conference.format,
    Conference.status,
    Conference.online_url,
    Conference.venue,
    Conference.city,
    Conference.sequence,
)


def _rows(statement: Select[Any], parameters: dict[str, object]) -> Sequence[Row[Any]]:
    """Plain Core rows on the session's connection (no ORM result processing)."""
    return db.session.connection().execute(statement, parameters).all()


def _person(
    name: str, honorific: str, position: str, institution: str | None, member: str | None
) -> PersonView:
    """As `Person.display_name` and `Person.affiliation` give them."""
    parts = [position, institution or ""]
    if member and not institution:
        parts.append(member)
    return PersonView(
        display_name=f"{honorific} {name}".strip(),
        affiliation=", ".join(p for p in parts if p),
    )


PersonRow = tuple[str, str, str, str | None, str | None]


def _people(
    where: tuple[ColumnElement[bool], ...], parameters: dict[str, object]
) -> dict[int, list[tuple[PanelRole, PersonRow]]]:
    """Each panel's moderators and speakers in programme order, as plain rows."""
    panel_ids = (
        select(Panel.id).join(Conference, Conference.id == Panel.conference_id).where(*where)
    )
    rows = _rows(
        select(
            PanelPerson.panel_id,
            PanelPerson.role,
            Person.name,
            Person.honorific,
            Person.position,
            Institution.name,
            Member.name,
        )
        .join(Person, Person.id == PanelPerson.person_id)
        .outerjoin(Institution, Institution.id == Person.institution_id)
        .outerjoin(Member, Member.id == Person.member_id)
        .where(PanelPerson.panel_id.in_(panel_ids))
        .order_by(PanelPerson.panel_id, PanelPerson.position, PanelPerson.id),
        parameters,
    )
    found: dict[int, list[tuple[PanelRole, PersonRow]]] = defaultdict(list)
    for panel_id, role, *person in rows:
        found[panel_id].append((role, tuple(person)))  # type: ignore[arg-type]
    return found


PanelRow = tuple[tuple[Any, ...], tuple[Any, ...], tuple[tuple[PanelRole, PersonRow], ...]]


def panel_rows(*where: ColumnElement[bool], **parameters: object) -> list[PanelRow]:
    """The panels matching `where` (Panel and Conference columns; `parameters` for its bind
    parameters) as plain rows:
    (panel columns, conference columns, ((role, person columns), ...)). Hashable and cheap;
    `panel_view` turns one into what `ical.panel_event` reads."""
    people = _people(where, parameters)
    rows = _rows(
        select(*PANEL_COLUMNS, *CONFERENCE_COLUMNS)
        .join(Conference, Conference.id == Panel.conference_id)
        .where(*where)
        .order_by(Panel.starts_at, Panel.id),
        parameters,
    )
    width = len(PANEL_COLUMNS)
    conferences: dict[int, tuple[Any, ...]] = {}
    found = []
    for row in rows:
        conference = conferences.get(row[width])
        if conference is None:
            conference = conferences[row[width]] = tuple(row[width:])
        found.append((tuple(row[:width]), conference, tuple(people.get(row[0], ()))))
    return found


@lru_cache(maxsize=4096)
def _person_view(person: PersonRow) -> PersonView:
    return _person(*person)


def panel_view(row: PanelRow) -> PanelView:
    panel, conference, roles = row
    people = [(role, _person_view(person)) for role, person in roles]
    return PanelView(
        *panel,
        conference=ConferenceView(*conference),
        moderators=tuple(view for role, view in people if role == PanelRole.MODERATOR),
        speakers=tuple(view for role, view in people if role == PanelRole.SPEAKER),
    )
