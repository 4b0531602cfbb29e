"""Panels of a feed read as plain rows: three queries, whatever the number of panels.

Loading 1,000 panels with 4,000 speaker roles as ORM objects takes a few hundred
milliseconds; the same rows as tuples take a few. A `PanelRow` holds every value a panel's
event is made of (panel, conference, people), so it is the cache key of the serialised
event: equal rows give equal events, and hashing a tuple of plain values is cheap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Row,
    Select,
    String,
    bindparam,
    case,
    func,
    literal,
    select,
    type_coerce,
)

from registration.calendars.cache import Locked, lru
from registration.conferences.models import (
    Conference,
    Panel,
    PanelPerson,
    PanelRole,
    Person,
)
from registration.database import db
from registration.directory.models import Institution, Member
from registration.directory.services import catalogue_names


class PanelColumns(NamedTuple):
    """A panel as read: naive UTC datetimes, the status as its stored value."""

    id: int
    title: str
    theme: str
    starts_at: datetime
    ends_at: datetime
    room: str
    join_url: str
    status: str
    sequence: int
    updated_at: datetime
    conference_id: int
    language: str | None = None  # in a feed in one language: the one the title is in


class ConferenceColumns(NamedTuple):
    """A conference as read: format and status as their stored values; in a feed in one
    language, its texts in that language (`language`), else in the record's own columns."""

    id: int
    slug: str
    title: str
    timezone: str
    format: str
    status: str
    online_url: str
    venue: str
    city: str
    sequence: int
    language: str | None = None


class PersonColumns(NamedTuple):
    """A speaker or moderator: what `Person.display_name` and `Person.affiliation` are made of."""

    name: str
    honorific: str
    position: str
    institution: str | None  # its name in the feed's language, else its main name
    member: str | None  # its name in the feed's language (`member_name`)


class People(NamedTuple):
    moderators: tuple[PersonColumns, ...]
    speakers: tuple[PersonColumns, ...]


class PanelRow(NamedTuple):
    panel: PanelColumns
    conference: ConferenceColumns
    moderators: tuple[PersonColumns, ...]
    speakers: tuple[PersonColumns, ...]


# Read raw (naive UTC datetimes, enum values as strings): processing each of thousands of
# values through UTCDateTime and Enum costs more than the query, and plain values hash fast.
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
    Panel.conference_id,
)
CONFERENCE_COLUMNS = (
    Conference.id,
    Conference.slug,
    Conference.title,
    Conference.timezone,
    type_coerce(Conference.format, String()),
    type_coerce(Conference.status, String()),
    Conference.online_url,
    Conference.venue,
    Conference.city,
    Conference.sequence,
)
NOBODY = People((), ())
_MODERATOR = PanelRole.MODERATOR.value

# A panel's speakers and moderators under (id, language), with the panel's `updated_at` they
# were read at, their institutions and members named in the language: the conference
# services move `updated_at` on every change of a panel's people, or of a person's
# affiliation, and `conferences.renames` on a rename of their institution (in any language)
# or member. A newer read replaces the older, so a conference-wide change keeps one entry a
# panel. Entries expire like the feeds, which picks up the rare change that moves nothing.
PEOPLE: Locked[tuple[datetime, People]] = lru(maxsize=20_000, ttl=300.0)


def _rows(statement: Select[Any], parameters: dict[str, object]) -> Sequence[Row[Any]]:
    """Plain Core rows on the session's connection (no ORM result processing)."""
    return db.session.connection().execute(statement, parameters).all()


@lru_cache(maxsize=8)
def _institution_name(language: str | None) -> Any:
    """The institution's name in `language`, else its main name, picked by the database (as
    `Translated.text_in`: its own language's is its own column); NULL without an institution.
    Built once per language, like `_panel_columns`."""
    if language is None:
        return Institution.name
    translated = func.nullif(Institution.translations[(language, "name")].as_string(), "")
    return case(
        (Institution.language == language, Institution.name),
        else_=func.coalesce(translated, Institution.name),
    )


def _load_people(
    where: ColumnElement[bool], parameters: dict[str, object], language: str | None = None
) -> dict[int, People]:
    """Moderators and speakers of the panels matching `where`, in their order, their
    institutions named in `language` (else by their main names) and their members in it
    (`catalogue_names`, looked up once per person): one query. Someone on many panels is
    one `PersonColumns` object. (The members' names come by their English names, which
    identify them, not by two more columns, code and kind, which cost this query 8 %.)"""
    rows = _rows(
        select(
            PanelPerson.panel_id,
            type_coerce(PanelPerson.role, String()),
            PanelPerson.person_id,
            Person.name,
            Person.honorific,
            Person.position,
            _institution_name(language),
            Member.name,
        )
        .join(Person, Person.id == PanelPerson.person_id)
        .outerjoin(Institution, Institution.id == Person.institution_id)
        .outerjoin(Member, Member.id == Person.member_id)
        .where(where)
        .order_by(PanelPerson.panel_id, PanelPerson.position, PanelPerson.id),
        parameters,
    )
    members = catalogue_names(language or "en")
    known: dict[int, PersonColumns] = {}
    moderators: dict[int, list[PersonColumns]] = defaultdict(list)
    speakers: dict[int, list[PersonColumns]] = defaultdict(list)
    for panel_id, role, person_id, name, honorific, position, institution, member in rows:
        person = known.get(person_id)
        if person is None:
            if member is not None:
                member = members.get(member, member)
            person = PersonColumns(name, honorific, position, institution, member)
            known[person_id] = person
        (moderators if role == _MODERATOR else speakers)[panel_id].append(person)
    return {
        panel_id: People(tuple(moderators[panel_id]), tuple(speakers[panel_id]))
        for panel_id in moderators.keys() | speakers.keys()
    }


def _in(column: Any, translations: Any, field: str, language: str) -> ColumnElement[str]:
    """The stored text in `language`, else the record's own, picked by the database (as
    `Translated.shown`: the conference's language is its own columns'), so a feed in one
    language reads plain rows like any other and decodes no JSON."""
    translated = func.nullif(translations[(language, field)].as_string(), "")
    return case((Conference.language == language, column), else_=func.coalesce(translated, column))


@lru_cache(maxsize=8)
def _panel_columns(language: str) -> tuple[Any, ...]:
    """PANEL_COLUMNS with the texts in `language`, and the language the title is in (built
    once per language: building the expressions anew cost a feed about as much as reading
    its thousand rows)."""
    texts = {
        "title": _in(Panel.title, Panel.translations, "title", language),
        "theme": _in(Panel.theme, Panel.translations, "theme", language),
        "room": _in(Panel.room, Panel.translations, "room", language),
    }
    columns = [texts.get(column.key, column) for column in PANEL_COLUMNS]
    has_title = func.nullif(Panel.translations[(language, "title")].as_string(), "").isnot(None)
    title_language = case(
        (Conference.language == language, Conference.language),
        (has_title, literal(language)),
        else_=Conference.language,
    )
    return (*columns, title_language)


@lru_cache(maxsize=8)
def _conference_columns(language: str) -> tuple[Any, ...]:
    """CONFERENCE_COLUMNS with the texts in `language`, and the language itself."""
    texts = {
        "title": _in(Conference.title, Conference.translations, "title", language),
        "venue": _in(Conference.venue, Conference.translations, "venue", language),
        "city": _in(Conference.city, Conference.translations, "city", language),
    }
    columns = [texts.get(column.key, column) for column in CONFERENCE_COLUMNS]
    return (*columns, literal(language))


def _people_read(panel: PanelColumns, language: str | None) -> People | None:
    """The panel's people as kept, if read at its present `updated_at`."""
    kept = PEOPLE.get((panel.id, language))
    return kept[1] if kept is not None and kept[0] == panel.updated_at else None


def panel_rows(
    *where: ColumnElement[bool], language: str | None = None, **parameters: object
) -> list[PanelRow]:
    """The panels matching `where` (Panel and Conference columns; `parameters` for its bind
    parameters), ordered by start, as plain hashable rows; with a `language`, their texts
    in it (else in the conference's language).

    Three queries whatever the number of panels: the panels, their conferences, and the
    people of the panels not in `PEOPLE` (after one edit: one panel's)."""
    matching = (
        select(*(_panel_columns(language) if language else PANEL_COLUMNS))
        .join(Conference, Conference.id == Panel.conference_id)
        .where(*where)
        .order_by(Panel.starts_at, Panel.id)
    )
    conference_query = select(
        *(_conference_columns(language) if language else CONFERENCE_COLUMNS)
    ).where(Conference.id.in_(matching.with_only_columns(Panel.conference_id).order_by(None)))
    panels = [PanelColumns(*row) for row in _rows(matching, parameters)]
    conferences = {row[0]: ConferenceColumns(*row) for row in _rows(conference_query, parameters)}
    people = {panel.id: _people_read(panel, language) for panel in panels}
    missing = [panel_id for panel_id, found in people.items() if found is None]
    if missing:
        # Most missing (a cold process, a conference-wide change): the feed's own condition,
        # not a list of a thousand ids to send and for the server to parse.
        if len(missing) * 2 > len(panels):
            where_loaded = PanelPerson.panel_id.in_(
                matching.with_only_columns(Panel.id).order_by(None)
            )
            loaded = _load_people(where_loaded, parameters, language)
        else:
            where_loaded = PanelPerson.panel_id.in_(bindparam("panel_ids", expanding=True))
            loaded = _load_people(where_loaded, {"panel_ids": missing}, language)
        for panel in panels:
            if people[panel.id] is None:
                found = people[panel.id] = loaded.get(panel.id, NOBODY)
                PEOPLE.put((panel.id, language), (panel.updated_at, found))
    rows = []
    for panel in panels:
        conference = conferences.get(panel.conference_id)
        found = people[panel.id]
        if conference is not None and found is not None:  # else deleted since the first query
            rows.append(PanelRow(panel, conference, found.moderators, found.speakers))
    return rows
