"""Panels of a feed read as plain rows: four queries, whatever the number of panels.

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
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, DateTime, Row, Select, String, select, type_coerce

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


# Read raw (naive UTC datetimes, enum values as strings): processing each of thousands of
# values through UTCDateTime and Enum costs more than the query. `panel_view` converts.
PANEL_COLUMNS = (
    Panel.id,
    Panel.title,
    Panel.theme,
    type_coerce(Panel.starts_at, DateTime()),
    type_coerce(Panel.ends_at, DateTime()),
    Panel.room,
    Panel.join_url,
    type_coerce(Panel.status, String()),
    Panel.sequence,
    type_coerce(Panel.updated_at, DateTime()),
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


def _roles(
    panel_ids: Select[Any], parameters: dict[str, object]
) -> dict[int, list[tuple[str, PersonRow]]]:
    """Each panel's moderators and speakers in programme order: two queries (roles, people)."""
    roles = _rows(
        select(PanelPerson.panel_id, type_coerce(PanelPerson.role, String()), PanelPerson.person_id)
        .where(PanelPerson.panel_id.in_(panel_ids))
        .order_by(PanelPerson.panel_id, PanelPerson.position, PanelPerson.id),
        parameters,
    )
    person_ids = select(PanelPerson.person_id).where(PanelPerson.panel_id.in_(panel_ids))
    people: dict[int, PersonRow] = {
        person_id: tuple(person)  # type: ignore[misc]
        for person_id, *person in _rows(
            select(
                Person.id,
                Person.name,
                Person.honorific,
                Person.position,
                Institution.name,
                Member.name,
            )
            .outerjoin(Institution, Institution.id == Person.institution_id)
            .outerjoin(Member, Member.id == Person.member_id)
            .where(Person.id.in_(person_ids)),
            parameters,
        )
    }
    found: dict[int, list[tuple[str, PersonRow]]] = defaultdict(list)
    for panel_id, role, person_id in roles:
        found[panel_id].append((role, people[person_id]))
    return found


PanelRow = tuple[tuple[Any, ...], tuple[Any, ...], tuple[tuple[str, PersonRow], ...]]


def panel_rows(*where: ColumnElement[bool], **parameters: object) -> list[PanelRow]:
    """The panels matching `where` (Panel and Conference columns; `parameters` for its bind
    parameters) as plain rows: (panel columns, conference columns, ((role, person columns),
    ...)). Four queries whatever the number of panels. Hashable and cheap; `panel_view` turns
    one into what `ical.panel_event` reads."""
    panel_ids = (
        select(Panel.id).join(Conference, Conference.id == Panel.conference_id).where(*where)
    )
    roles = _roles(panel_ids, parameters)
    conferences = {
        row[0]: tuple(row)
        for row in _rows(
            select(*CONFERENCE_COLUMNS).where(
                Conference.id.in_(
                    select(Panel.conference_id)
                    .join(Conference, Conference.id == Panel.conference_id)
                    .where(*where)
                )
            ),
            parameters,
        )
    }
    return [
        (tuple(row[:-1]), conferences[row[-1]], tuple(roles.get(row[0], ())))
        for row in _rows(
            select(*PANEL_COLUMNS, Panel.conference_id)
            .join(Conference, Conference.id == Panel.conference_id)
            .where(*where)
            .order_by(Panel.starts_at, Panel.id),
            parameters,
        )
    ]


@lru_cache(maxsize=4096)
def _person_view(person: PersonRow) -> PersonView:
    return _person(*person)


def panel_view(row: PanelRow) -> PanelView:
    panel, conference, roles = row
    panel_id, title, theme, starts_at, ends_at, room, join_url, status, sequence, updated = panel
    people = [(role, _person_view(person)) for role, person in roles]
    return PanelView(
        id=panel_id,
        title=title,
        theme=theme,
        starts_at=starts_at.replace(tzinfo=UTC),
        ends_at=ends_at.replace(tzinfo=UTC),
        room=room,
        join_url=join_url,
        status=PanelStatus(status),
        sequence=sequence,
        updated_at=updated.replace(tzinfo=UTC),
        conference=ConferenceView(*conference),
        moderators=tuple(view for role, view in people if role == PanelRole.MODERATOR),
        speakers=tuple(view for role, view in people if role == PanelRole.SPEAKER),
    )
