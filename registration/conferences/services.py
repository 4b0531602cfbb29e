"""Reading and changing series, conferences and panels; views, CLI and workers call these.

Every function that changes something commits its own transaction and returns what changed.
A change attendees must hear about (a panel moved or cancelled, a conference cancelled)
writes one fan-out job in the same transaction (`CALENDAR_UPDATES`, handled by the calendars
capability in a worker): the request does not grow with the number of attendees.

SEQUENCE rule (iCalendar, RFC 5545 / RFC 5546): an event's `sequence` goes up by one when a
change means attendees must receive the invitation again:
- its schedule changes (start, end, or the conference's time zone),
- its status changes (publish, cancel),
- where it happens changes (a panel's room or join link; a conference's venue, city or main
  online URL).
A change of title, theme, description, speakers, moderators or organisers does not bump it.
A panel's calendar entry carries the conference's venue and status, so a change of the
conference's venue, city, online URL or status also bumps the sequence of each of its panels.
When the conference's time zone changes, its panels keep their wall-clock times (they were
typed in that zone), so their instants move and their sequences go up too.
`updated_at` moves on every change, of a panel also on its conference (feeds use it as DTSTAMP).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import ClassVar, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import selectinload

from registration.calendars import messages
from registration.conferences.models import (
    Conference,
    ConferenceFormat,
    ConferenceOrganizer,
    ConferenceStatus,
    OrganizerRole,
    Panel,
    PanelKind,
    PanelPerson,
    PanelRole,
    PanelStatus,
    Person,
    Series,
)
from registration.database import db, utcnow
from registration.directory.models import Institution
from registration.jobs import services as jobs
from registration.stored_text import Translations

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SCHEDULE_FIELDS = frozenset({"starts_at", "ends_at", "timezone"})
CONFERENCE_LOCATION_FIELDS = frozenset({"venue", "city", "online_url"})
PANEL_LOCATION_FIELDS = frozenset({"room", "join_url"})
# The job kind that tells each attendee of these panels what changed (calendars.fanout).
CALENDAR_UPDATES = "calendars.panels_changed"


class ChangeError(ValueError):
    """A change the data does not allow; `field` names the form field to show it next to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# ---------------------------------------------------------------- reading


def conference_by_slug(slug: str) -> Conference | None:
    return db.session.scalar(
        db.select(Conference)
        .filter_by(slug=slug)
        .options(
            selectinload(Conference.organizers).joinedload(ConferenceOrganizer.institution),
            selectinload(Conference.panels)
            .selectinload(Panel.roles)
            .joinedload(PanelPerson.person),
        )
    )


def all_conferences() -> list[Conference]:
    """Every conference, newest first, as the organisers' dashboard lists them."""
    return list(
        db.session.scalars(db.select(Conference).order_by(Conference.starts_at.desc())).all()
    )


def published_conferences() -> tuple[list[Conference], list[Conference]]:
    """Published and cancelled conferences, split into (upcoming, past)."""
    conferences = db.session.scalars(
        db.select(Conference)
        .where(Conference.status != ConferenceStatus.DRAFT)
        .order_by(Conference.starts_at)
    ).all()
    now = utcnow()
    upcoming = [c for c in conferences if c.ends_at >= now]
    past = [c for c in reversed(conferences) if c.ends_at < now]
    return upcoming, past


def programme_by_day(conference: Conference) -> list[tuple[date, list[Panel]]]:
    """Panels grouped by their day in the conference's time zone, in programme order."""
    days: dict[date, list[Panel]] = defaultdict(list)
    for panel in ordered_panels(conference):
        days[conference.local(panel.starts_at).date()].append(panel)
    return sorted(days.items())


def ordered_panels(conference: Conference) -> list[Panel]:
    return sorted(conference.panels, key=lambda p: (p.starts_at, p.position, p.id or 0))


def conference_days(conference: Conference) -> tuple[date, date]:
    """The first and last day of the conference in its own time zone."""
    first = conference.local(conference.starts_at).date()
    return first, conference.local(conference.ends_at).date()


def slug_in_use(slug: str, model: type[Conference] | type[Series], except_id: int | None) -> bool:
    query = db.select(model.id).where(model.slug == slug)
    if except_id is not None:
        query = query.where(model.id != except_id)
    return db.session.scalar(query) is not None


def all_series() -> list[Series]:
    return list(db.session.scalars(db.select(Series).order_by(Series.name)).all())


def series_by_slug(slug: str) -> Series | None:
    return db.session.scalar(db.select(Series).filter_by(slug=slug))


def institution_names() -> list[str]:
    return list(db.session.scalars(db.select(Institution.name).order_by(Institution.name)).all())


def all_people() -> list[Person]:
    return list(db.session.scalars(db.select(Person).order_by(Person.name)).all())


def slugify(text: str, limit: int = 80) -> str:
    """'Ninth Meeting of the CICA TTF' -> 'ninth-meeting-of-the-cica-ttf'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "conference"


def _free_slug(title: str, model: type[Conference] | type[Series], except_id: int | None) -> str:
    base = slugify(title, limit=72)
    slug, counter = base, 2
    while slug_in_use(slug, model, except_id):
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


def _claim_slug(
    wanted: str | None, title: str, model: type[Conference] | type[Series], except_id: int | None
) -> str:
    if not wanted:
        return _free_slug(title, model, except_id)
    if not SLUG_PATTERN.match(wanted):
        raise ChangeError("slug", "Use lowercase letters, digits and single hyphens only.")
    if slug_in_use(wanted, model, except_id):
        raise ChangeError("slug", f"The address “{wanted}” is already taken; choose another one.")
    return wanted


# ---------------------------------------------------------------- series


@dataclass
class SeriesData:
    name: str
    short_name: str | None = None
    slug: str | None = None
    description: str = ""
    language: str = "en"
    translations: Translations = field(default_factory=dict)


def create_series(data: SeriesData) -> Series:
    series = Series(
        slug=_claim_slug(data.slug, data.short_name or data.name, Series, None),
        name=data.name,
        short_name=data.short_name or None,
        description=data.description,
        language=data.language,
        translations=data.translations,
    )
    db.session.add(series)
    db.session.commit()
    return series


def update_series(series: Series, data: SeriesData) -> Series:
    series.slug = _claim_slug(data.slug, data.short_name or data.name, Series, series.id)
    series.name = data.name
    series.short_name = data.short_name or None
    series.description = data.description
    series.language = data.language
    series.translations = data.translations
    db.session.commit()
    return series


# ---------------------------------------------------------------- conferences


@dataclass
class ConferenceData:
    """A conference as typed by an organiser, with instants already in UTC."""

    title: str
    starts_at: datetime
    ends_at: datetime
    timezone: str = "UTC"
    format: ConferenceFormat = ConferenceFormat.IN_PERSON
    slug: str | None = None
    theme: str = ""
    description: str = ""
    series_id: int | None = None
    number: int | None = None
    host: str = ""
    co_organizers: list[str] = field(default_factory=list)
    venue: str = ""
    city: str = ""
    online_url: str = ""
    # The language of the texts above; their other-language versions (stored_text.pack).
    language: str = "en"
    translations: Translations = field(default_factory=dict)


class _FieldChanges:
    """Reading a set of changed field names the way iCalendar's SEQUENCE rule does."""

    fields: frozenset[str]
    location_fields: ClassVar[frozenset[str]]

    @property
    def schedule_changed(self) -> bool:
        return bool(self.fields & SCHEDULE_FIELDS)

    @property
    def location_changed(self) -> bool:
        return bool(self.fields & self.location_fields)

    @property
    def status_changed(self) -> bool:
        return "status" in self.fields

    @property
    def sequence_bumped(self) -> bool:
        return self.schedule_changed or self.location_changed or self.status_changed


@dataclass(frozen=True)
class ConferenceChange(_FieldChanges):
    """What an edit of a conference changed; callers queue mails and feed updates from it."""

    location_fields: ClassVar[frozenset[str]] = CONFERENCE_LOCATION_FIELDS

    conference_id: int
    fields: frozenset[str]
    resequenced_panel_ids: tuple[int, ...] = ()
    job_id: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.fields)


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise ChangeError("ends_at", "The end must be after the start.")


def create_conference(data: ConferenceData) -> Conference:
    """A new draft conference."""
    _check_times(data.starts_at, data.ends_at)
    conference = Conference(
        slug=_claim_slug(data.slug, data.title, Conference, None),
        status=ConferenceStatus.DRAFT,
        sequence=0,
    )
    _assign_conference(conference, data)
    db.session.add(conference)
    _set_organizers(conference, data.host, data.co_organizers)
    db.session.commit()
    return conference


def update_conference(conference: Conference, data: ConferenceData) -> ConferenceChange:
    """Apply an edit; bumps the sequence per the module's rule."""
    _check_times(data.starts_at, data.ends_at)
    slug = _claim_slug(data.slug or conference.slug, data.title, Conference, conference.id)
    old_zone = conference.zone
    changed = set(_assign_conference(conference, data))
    if "timezone" in changed:
        _keep_panels_wall_clock(conference, old_zone)
    if slug != conference.slug:
        conference.slug = slug
        changed.add("slug")
    if _set_organizers(conference, data.host, data.co_organizers):
        changed.add("organizers")
    return _finish_conference_change(conference, frozenset(changed))


def publish_conference(conference: Conference) -> ConferenceChange:
    if conference.status != ConferenceStatus.DRAFT:
        raise ChangeError("status", "Only a draft can be published.")
    conference.status = ConferenceStatus.PUBLISHED
    return _finish_conference_change(conference, frozenset({"status"}))


def cancel_conference(conference: Conference) -> ConferenceChange:
    if conference.status == ConferenceStatus.CANCELLED:
        raise ChangeError("status", "This conference is already cancelled.")
    conference.status = ConferenceStatus.CANCELLED
    return _finish_conference_change(conference, frozenset({"status"}))


def _assign_conference(conference: Conference, data: ConferenceData) -> list[str]:
    values = {
        "title": data.title,
        "theme": data.theme,
        "description": data.description,
        "series_id": data.series_id,
        "number": data.number if data.series_id else None,
        "venue": data.venue,
        "city": data.city,
        "timezone": data.timezone,
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "format": data.format,
        "online_url": data.online_url,
        "language": data.language,
        "translations": data.translations,
    }
    changed = [name for name, value in values.items() if getattr(conference, name) != value]
    for name in changed:
        setattr(conference, name, values[name])
    return changed


def _keep_panels_wall_clock(conference: Conference, old_zone: ZoneInfo) -> None:
    """After a time zone change, panels keep the wall-clock times they were typed in."""
    for panel in conference.panels:
        for name in ("starts_at", "ends_at"):
            local = getattr(panel, name).astimezone(old_zone).replace(tzinfo=None)
            setattr(panel, name, local.replace(tzinfo=conference.zone).astimezone(UTC))


def _finish_conference_change(conference: Conference, fields: frozenset[str]) -> ConferenceChange:
    change = ConferenceChange(conference.id, fields)
    if change.sequence_bumped:
        conference.sequence += 1
    resequenced: list[int] = []
    if change.location_changed or change.status_changed or "timezone" in fields:
        for panel in conference.panels:
            panel.sequence += 1
            panel.updated_at = utcnow()
            resequenced.append(panel.id)
    if change.changed:
        conference.updated_at = utcnow()
    job_id = None
    cancelled = conference.status is ConferenceStatus.CANCELLED and change.status_changed
    if resequenced and (cancelled or conference.status is ConferenceStatus.PUBLISHED):
        what = "Cancellation" if cancelled else "Calendar updates"
        job_id = _tell_attendees(conference.id, f"{what}: {conference.title}", resequenced)
    db.session.commit()
    return ConferenceChange(conference.id, fields, tuple(resequenced), job_id)


def _tell_attendees(conference_id: int, label: str, panel_ids: list[int]) -> str:
    """One job that sends each attendee of these panels its calendar update or CANCEL."""
    job = jobs.start(CALENDAR_UPDATES, label, conference_id=conference_id, panel_ids=panel_ids)
    return job.id


def _institution_named(name: str) -> Institution:
    """The institution of that name (any case), created if it is new."""
    found = db.session.scalar(
        db.select(Institution).where(func.lower(Institution.name) == name.lower())
    )
    if found is None:
        found = Institution(name=name)
        db.session.add(found)
    return found


def _set_organizers(conference: Conference, host: str, co_organizers: list[str]) -> bool:
    """Make the host and co-organisers those named; supporters stay. True if anything changed."""
    wanted: list[tuple[Institution, OrganizerRole]] = []
    seen: set[str] = set()
    names = [(host, OrganizerRole.HOST)] + [(n, OrganizerRole.CO_ORGANIZER) for n in co_organizers]
    for name, role in names:
        name = name.strip()
        if name and name.lower() not in seen:
            seen.add(name.lower())
            wanted.append((_institution_named(name), role))
    db.session.flush()
    before = [
        (o.institution_id, o.role, o.position)
        for o in conference.organizers
        if o.role != OrganizerRole.SUPPORTER
    ]
    existing = {o.institution_id: o for o in conference.organizers}
    keep: set[int] = {
        o.institution_id for o in conference.organizers if o.role == OrganizerRole.SUPPORTER
    }
    for position, (institution, role) in enumerate(wanted):
        row = existing.get(institution.id)
        if row is None:
            row = ConferenceOrganizer(institution=institution)
            conference.organizers.append(row)
        row.role, row.position = role, position
        keep.add(institution.id)
    for row in list(conference.organizers):
        if row.institution_id is not None and row.institution_id not in keep:
            conference.organizers.remove(row)
    after = [(i.id, r, p) for p, (i, r) in enumerate(wanted)]
    return sorted(before, key=lambda t: t[2]) != after


def co_organizers(conference: Conference) -> list[Institution]:
    return [o.institution for o in conference.organizers if o.role == OrganizerRole.CO_ORGANIZER]


def supporters(conference: Conference) -> list[Institution]:
    return [o.institution for o in conference.organizers if o.role == OrganizerRole.SUPPORTER]


# ---------------------------------------------------------------- panels


@dataclass(frozen=True)
class PersonLine:
    """A speaker or moderator as typed: 'Name — Position, Institution'."""

    name: str
    position: str = ""
    institution: str = ""


@dataclass
class PanelData:
    title: str
    starts_at: datetime
    ends_at: datetime
    kind: PanelKind = PanelKind.PANEL
    theme: str = ""
    room: str = ""
    join_url: str = ""
    translations: Translations = field(default_factory=dict)
    speakers: list[PersonLine] = field(default_factory=list)
    moderators: list[PersonLine] = field(default_factory=list)


@dataclass(frozen=True)
class PanelChange(_FieldChanges):
    """What a change of a panel did; callers queue update mails from it."""

    location_fields: ClassVar[frozenset[str]] = PANEL_LOCATION_FIELDS

    panel_id: int
    conference_id: int
    fields: frozenset[str]
    removed: bool = False
    job_id: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.fields) or self.removed


def add_panel(conference: Conference, data: PanelData) -> Panel:
    _check_times(data.starts_at, data.ends_at)
    panel = Panel(conference=conference, sequence=0, status=PanelStatus.SCHEDULED)
    db.session.add(panel)
    _assign_panel(panel, data)
    panel.position = _next_position(conference, data.starts_at, panel)
    _set_people(panel, data)
    conference.updated_at = utcnow()
    db.session.commit()
    return panel


def update_panel(panel: Panel, data: PanelData) -> PanelChange:
    """Apply an edit; bumps the sequence when its time, place or status changes."""
    _check_times(data.starts_at, data.ends_at)
    changed = set(_assign_panel(panel, data))
    if "starts_at" in changed:
        panel.position = _next_position(panel.conference, data.starts_at, panel)
    changed |= _set_people(panel, data)
    return _finish_panel_change(panel, frozenset(changed))


def cancel_panel(panel: Panel) -> PanelChange:
    if panel.status == PanelStatus.CANCELLED:
        raise ChangeError("status", "This panel is already cancelled.")
    panel.status = PanelStatus.CANCELLED
    return _finish_panel_change(panel, frozenset({"status"}))


def remove_panel(panel: Panel) -> PanelChange:
    """Delete a panel outright (for drafts and mistakes; a held panel is better cancelled)."""
    conference = panel.conference
    change = PanelChange(panel.id, conference.id, frozenset(), removed=True)
    messages.panel_removed(panel)
    conference.panels.remove(panel)
    conference.updated_at = utcnow()
    db.session.commit()
    return change


def move_panel(panel: Panel, direction: Literal["up", "down"]) -> bool:
    """Swap a panel with its neighbour starting at the same time; False if there is none."""
    siblings = [p for p in ordered_panels(panel.conference) if p.starts_at == panel.starts_at]
    for position, sibling in enumerate(siblings):
        sibling.position = position
    index = siblings.index(panel)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        db.session.rollback()
        return False
    siblings[index].position, siblings[other].position = other, index
    panel.conference.updated_at = utcnow()
    db.session.commit()
    return True


def _next_position(conference: Conference, starts_at: datetime, panel: Panel) -> int:
    positions = [
        p.position for p in conference.panels if p is not panel and p.starts_at == starts_at
    ]
    return max(positions, default=-1) + 1


def _assign_panel(panel: Panel, data: PanelData) -> list[str]:
    values = {
        "title": data.title,
        "theme": data.theme,
        "kind": data.kind,
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "room": data.room,
        "join_url": data.join_url,
        "translations": data.translations,
    }
    changed = [name for name, value in values.items() if getattr(panel, name, None) != value]
    for name in changed:
        setattr(panel, name, values[name])
    return changed


def _finish_panel_change(panel: Panel, fields: frozenset[str]) -> PanelChange:
    change = PanelChange(panel.id, panel.conference_id, fields)
    if change.sequence_bumped:
        panel.sequence += 1
    if change.changed:
        panel.updated_at = utcnow()
        panel.conference.updated_at = panel.updated_at
    cancelled = panel.status is PanelStatus.CANCELLED and change.status_changed
    job_id = None
    if cancelled or change.schedule_changed or change.location_changed:
        what = "Cancellation" if cancelled else "Calendar updates"
        job_id = _tell_attendees(panel.conference_id, f"{what}: {panel.title}", [panel.id])
    db.session.commit()
    return PanelChange(panel.id, change.conference_id, fields, job_id=job_id)


def person_line(person: Person) -> str:
    """A person as the panel form shows them: 'Name — Position, Institution'."""
    return f"{person.display_name} — {person.affiliation}" if person.affiliation else person.name


def _person_for(line: PersonLine) -> Person:
    """The known person of that name, updated if the line says more; else a new person."""
    lowered = line.name.lower()
    person = db.session.scalar(
        db.select(Person)
        .where(
            or_(
                func.lower(Person.name) == lowered,
                func.lower(Person.honorific + " " + Person.name) == lowered,
            )
        )
        .order_by(Person.id)
    )
    if person is None:
        person = Person(name=line.name, honorific="")
        db.session.add(person)
    elif not (line.position or line.institution) or _affiliation(line) == person.affiliation:
        return person
    person.position = line.position
    person.institution = _institution_named(line.institution) if line.institution else None
    _touch_panels_of(person)
    return person


def _touch_panels_of(person: Person) -> None:
    """A person's affiliation is written into the events of every panel they speak at or
    moderate, in any conference: those panels and their conferences have changed too."""
    now = utcnow()
    panel_ids = select(PanelPerson.panel_id).where(PanelPerson.person_id == person.id)
    conference_ids = select(Panel.conference_id).where(Panel.id.in_(panel_ids))
    db.session.execute(update(Panel).where(Panel.id.in_(panel_ids)).values(updated_at=now))
    db.session.execute(
        update(Conference).where(Conference.id.in_(conference_ids)).values(updated_at=now)
    )


def _affiliation(line: PersonLine) -> str:
    return ", ".join(part for part in (line.position, line.institution) if part)


def _set_people(panel: Panel, data: PanelData) -> set[str]:
    """Make the panel's speakers and moderators those listed; returns which lists changed."""
    changed: set[str] = set()
    wanted_rows: list[tuple[Person, PanelRole, int]] = []
    for role, lines, name in (
        (PanelRole.MODERATOR, data.moderators, "moderators"),
        (PanelRole.SPEAKER, data.speakers, "speakers"),
    ):
        before = [person_line(r.person) for r in panel.roles if r.role == role]
        people: list[Person] = []
        for line in lines:
            person = _person_for(line)
            if person not in people:
                people.append(person)
        db.session.flush()
        if [person_line(p) for p in people] != before:
            changed.add(name)
        wanted_rows += [(person, role, position) for position, person in enumerate(people)]
    existing = {(r.person_id, r.role): r for r in panel.roles}
    keep = set()
    for person, role, position in wanted_rows:
        row = existing.get((person.id, role))
        if row is None:
            row = PanelPerson(person=person, role=role)
            panel.roles.append(row)
        row.position = position
        keep.add((person.id, role))
    for row in list(panel.roles):
        if row.person_id is not None and (row.person_id, row.role) not in keep:
            panel.roles.remove(row)
    return changed
