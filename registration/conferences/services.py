"""Reading and changing series, conferences and panels; views, CLI and workers call these.

Every function that changes something commits its own transaction and returns what changed.
A change attendees must hear about (a panel moved or cancelled, a conference cancelled)
writes one fan-out job in the same transaction (`CALENDAR_UPDATES`, handled by the calendars
capability in a worker): the request does not grow with the number of attendees.
Panels are changed in `panels`; what both share (the SEQUENCE rule) is in `changes`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import ClassVar
from zoneinfo import ZoneInfo

from sqlalchemy.orm import selectinload

from registration.conferences.changes import (
    CONFERENCE_LOCATION_FIELDS,
    ChangeError,
    FieldChanges,
    check_times,
    institution_named,
    name_in_languages,
    tell_attendees,
)
from registration.conferences.events import announce_change
from registration.conferences.models import (
    Conference,
    ConferenceFormat,
    ConferenceOrganizer,
    ConferenceStatus,
    OrganizerRole,
    Panel,
    PanelPerson,
    Person,
    Series,
)
from registration.database import db, utcnow
from registration.directory.models import Institution
from registration.i18n import N_
from registration.stored_text import TEXT_LANGUAGES, Translations

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


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
        raise ChangeError("slug", N_("Use lowercase letters, digits and single hyphens only."))
    if slug_in_use(wanted, model, except_id):
        raise ChangeError(
            "slug",
            N_("The address “%(slug)s” is already taken; choose another one."),
            slug=wanted,
        )
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
    host: str = ""  # in the main language; else the first of `host_names` is taken
    host_names: dict[str, str] = field(default_factory=dict)  # {language: the host's name}
    co_organizers: list[str] = field(default_factory=list)
    venue: str = ""
    city: str = ""
    online_url: str = ""
    # The language of the texts above; their other-language versions (stored_text.pack).
    language: str = "en"
    translations: Translations = field(default_factory=dict)


@dataclass(frozen=True)
class ConferenceChange(FieldChanges):
    """What an edit of a conference changed; callers queue mails and feed updates from it."""

    location_fields: ClassVar[frozenset[str]] = CONFERENCE_LOCATION_FIELDS

    conference_id: int
    fields: frozenset[str]
    resequenced_panel_ids: tuple[int, ...] = ()
    job_id: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.fields)


def create_conference(data: ConferenceData) -> Conference:
    """A new draft conference."""
    check_times(data.starts_at, data.ends_at)
    conference = Conference(
        slug=_claim_slug(data.slug, data.title, Conference, None),
        status=ConferenceStatus.DRAFT,
        sequence=0,
    )
    _assign_conference(conference, data)
    db.session.add(conference)
    _set_organizers(conference, data)
    db.session.commit()
    return conference


def update_conference(conference: Conference, data: ConferenceData) -> ConferenceChange:
    """Apply an edit; bumps the sequence per the module's rule."""
    check_times(data.starts_at, data.ends_at)
    slug = _claim_slug(data.slug or conference.slug, data.title, Conference, conference.id)
    old_zone = conference.zone
    changed = set(_assign_conference(conference, data))
    if "timezone" in changed:
        _keep_panels_wall_clock(conference, old_zone)
    if slug != conference.slug:
        conference.slug = slug
        changed.add("slug")
    if _set_organizers(conference, data):
        changed.add("organizers")
    return _finish_conference_change(conference, frozenset(changed))


def publish_conference(conference: Conference) -> ConferenceChange:
    if conference.status != ConferenceStatus.DRAFT:
        raise ChangeError("status", N_("Only a draft can be published."))
    conference.status = ConferenceStatus.PUBLISHED
    return _finish_conference_change(conference, frozenset({"status"}))


def cancel_conference(conference: Conference) -> ConferenceChange:
    if conference.status == ConferenceStatus.CANCELLED:
        raise ChangeError("status", N_("This conference is already cancelled."))
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
        label = f"{what}: {conference.title}"
        job_id = tell_attendees(conference.id, label, resequenced, cancelled=cancelled)
    announce_change(conference, fields)
    db.session.commit()
    return ConferenceChange(conference.id, fields, tuple(resequenced), job_id)


def _host(data: ConferenceData) -> tuple[str, str]:
    """The host's name and its language: the one in the conference's main language, else the
    first given in the forms' order."""
    if data.host.strip():
        return data.host.strip(), data.language
    for code in TEXT_LANGUAGES:
        if data.host_names.get(code, "").strip():
            return data.host_names[code].strip(), code
    return "", data.language


def _set_organizers(conference: Conference, data: ConferenceData) -> bool:
    """Make the host and co-organisers those named (the host with its names in the other
    languages); supporters stay. True if anything changed."""
    wanted: list[tuple[Institution, OrganizerRole]] = []
    seen: set[str] = set()
    host, host_language = _host(data)
    names = [(host, host_language, OrganizerRole.HOST)] + [
        (n, data.language, OrganizerRole.CO_ORGANIZER) for n in data.co_organizers
    ]
    renamed = False
    for name, language, role in names:
        name = name.strip()
        if name and name.lower() not in seen:
            seen.add(name.lower())
            institution = institution_named(name, language)
            if role == OrganizerRole.HOST:
                renamed = name_in_languages(institution, data.host_names)
            wanted.append((institution, role))
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
    return renamed or sorted(before, key=lambda t: t[2]) != after


def co_organizers(conference: Conference) -> list[Institution]:
    return [o.institution for o in conference.organizers if o.role == OrganizerRole.CO_ORGANIZER]


def supporters(conference: Conference) -> list[Institution]:
    return [o.institution for o in conference.organizers if o.role == OrganizerRole.SUPPORTER]
