"""Panels of a feed read as plain rows: three queries, whatever the number of panels.

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

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Row,
    Select,
    String,
    bindparam,
    select,
    type_coerce,
)

from registration.calendars.cache import LRUCache
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
PanelRow = tuple[tuple[Any, ...], tuple[Any, ...], tuple[tuple[str, PersonRow], ...]]
PanelData = tuple[tuple[Any, ...], tuple[tuple[str, PersonRow], ...]]

# A panel's columns and people under (id, updated_at): the conference services move
# `updated_at` on every change of a panel, its speakers or moderators. Entries expire like
# the feeds, which picks up the rare change that moves nothing (a person renamed elsewhere).
PANELS: LRUCache[PanelData] = LRUCache(maxsize=20_000, ttl=300.0)


def _load_panels(where: ColumnElement[bool], parameters: dict[str, object]) -> dict[int, PanelData]:
    """Columns, moderators and speakers of the panels matching `where`: one query."""
    rows = _rows(
        select(
            *PANEL_COLUMNS,
            type_coerce(PanelPerson.role, String()),
            Person.name,
            Person.honorific,
            Person.position,
            Institution.name,
            Member.name,
        )
        .outerjoin(PanelPerson, PanelPerson.panel_id == Panel.id)
        .outerjoin(Person, Person.id == PanelPerson.person_id)
        .outerjoin(Institution, Institution.id == Person.institution_id)
        .outerjoin(Member, Member.id == Person.member_id)
        .where(where)
        .order_by(Panel.id, PanelPerson.position, PanelPerson.id),
        parameters,
    )
    width = len(PANEL_COLUMNS)
    panels: dict[int, tuple[Any, ...]] = {}
    roles: dict[int, list[tuple[str, PersonRow]]] = defaultdict(list)
    for row in rows:
        panels.setdefault(row[0], tuple(row[:width]))
        if row[width] is not None:
            roles[row[0]].append((row[width], tuple(row[width + 1 :])))  # type: ignore[arg-type]
    return {panel_id: (panel, tuple(roles[panel_id])) for panel_id, panel in panels.items()}


def panel_rows(*where: ColumnElement[bool], **parameters: object) -> list[PanelRow]:
    """The panels matching `where` (Panel and Conference columns; `parameters` for its bind
    parameters) as plain rows: (panel columns, conference columns, ((role, person columns),
    ...)), hashable; `panel_view` turns one into what `ical.panel_event` reads.

    Three queries whatever the number of panels: each panel's id and `updated_at`, the
    conferences, and the panels not in `PANELS` (after one edit: one panel)."""
    matching = (
        select(Panel.id, type_coerce(Panel.updated_at, DateTime()), Panel.conference_id)
        .join(Conference, Conference.id == Panel.conference_id)
        .where(*where)
        .order_by(Panel.starts_at, Panel.id)
    )
    stamps = _rows(matching, parameters)
    conferences = {
        row[0]: tuple(row)
        for row in _rows(
            select(*CONFERENCE_COLUMNS).where(
                Conference.id.in_(matching.with_only_columns(Panel.conference_id).order_by(None))
            ),
            parameters,
        )
    }
    found = {panel_id: PANELS.get((panel_id, updated)) for panel_id, updated, _ in stamps}
    missing = [panel_id for panel_id, data in found.items() if data is None]
    if missing:
        # Most panels missing (a cold process, a conference-wide change): the feed's own
        # condition, not a list of a thousand ids to send and for the server to parse.
        if len(missing) * 2 > len(found):
            where_loaded = Panel.id.in_(matching.with_only_columns(Panel.id).order_by(None))
            loaded = _load_panels(where_loaded, parameters)
        else:
            where_loaded = Panel.id.in_(bindparam("panel_ids", expanding=True))
            loaded = _load_panels(where_loaded, {"panel_ids": missing})
        for panel_id, data in loaded.items():
            PANELS.put((panel_id, data[0][-1]), data)
            found[panel_id] = data
    rows = []
    for panel_id, _, conference_id in stamps:
        data = found.get(panel_id)
        if data is not None:  # None: deleted since the first query
            rows.append((data[0], conferences[conference_id], data[1]))
    return rows


@lru_cache(maxsize=1024)
def _conference_view(conference: tuple[Any, ...]) -> ConferenceView:
    return ConferenceView(*conference)


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
        conference=_conference_view(conference),
        moderators=tuple(view for role, view in people if role == PanelRole.MODERATOR),
        speakers=tuple(view for role, view in people if role == PanelRole.SPEAKER),
    )
