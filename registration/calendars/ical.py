"""iCalendar building blocks shared by the feeds and the iMIP invitations.

`panel_event` builds one panel's VEVENT; `build_calendar` wraps events in a VCALENDAR with
the given METHOD (the mail capability uses REQUEST / CANCEL and adds ATTENDEE and ORGANIZER
to the events first); `feed_calendar` adds what a subscribed feed needs (NAME, refresh hints).
Equal input gives equal bytes: the caller passes DTSTAMP, UIDs are stable, events are sorted
and VTIMEZONEs are added in a fixed order.

Decisions:
- UID is ``panel-<id>@<host of BASE_URL>``: it never changes, whatever the panel's title or time.
- SEQUENCE is ``panel.sequence + conference.sequence``. Cancelling or moving a whole conference
  bumps ``conference.sequence`` and so the SEQUENCE of every one of its panels; both numbers
  only ever grow, so the sum does too. Services that change a panel's time or status (or the
  conference's) must bump the matching counter.
- STATUS is CANCELLED when the panel or its conference is cancelled, else CONFIRMED.
- Join links are written only when the caller says so (`include_join_link`). Public feeds never
  include them: the model has no "this link is public" flag, and a join link handed to anyone
  who finds the feed lets strangers into a closed session. Personal feeds and invitations to
  approved participants include them (in DESCRIPTION, in LOCATION for online-only conferences,
  and as an RFC 7986 CONFERENCE property, since Gmail and Outlook ignore CONFERENCE). In a feed
  without join links, an online or hybrid panel's CONFERENCE is its page on our site, labelled
  to say that registered participants receive the link.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Protocol
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar, Component, Conference, Event, Timezone, vDuration, vText

from registration.calendars import event_text
from registration.conferences.models import ConferenceFormat, ConferenceStatus, PanelStatus
from registration.directory.services import name_in


class InstitutionLike(Protocol):
    @property
    def name(self) -> str: ...
    def text_in(self, field: str, language: str) -> str: ...


class MemberLike(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...


class PersonLike(Protocol):
    @property
    def display_name(self) -> str: ...
    @property
    def position(self) -> str: ...
    @property
    def institution(self) -> InstitutionLike | None: ...
    @property
    def member(self) -> MemberLike | None: ...


class ConferenceLike(Protocol):
    """What an event needs of a conference: the ORM `Conference` or a feed's row view."""

    @property
    def slug(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def zone(self) -> ZoneInfo: ...
    @property
    def format(self) -> ConferenceFormat: ...
    @property
    def status(self) -> ConferenceStatus: ...
    @property
    def has_online(self) -> bool: ...
    @property
    def online_url(self) -> str: ...
    @property
    def venue(self) -> str: ...
    @property
    def city(self) -> str: ...
    @property
    def sequence(self) -> int: ...


class PanelLike(Protocol):
    """What an event needs of a panel: the ORM `Panel` (with roles loaded) or a row view."""

    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def theme(self) -> str: ...
    @property
    def starts_at(self) -> datetime: ...
    @property
    def ends_at(self) -> datetime: ...
    @property
    def room(self) -> str: ...
    @property
    def join_url(self) -> str: ...
    @property
    def status(self) -> PanelStatus: ...
    @property
    def sequence(self) -> int: ...
    @property
    def updated_at(self) -> datetime: ...
    @property
    def conference(self) -> ConferenceLike: ...
    @property
    def speakers(self) -> Sequence[PersonLike]: ...
    @property
    def moderators(self) -> Sequence[PersonLike]: ...


PRODID = "-//CICA Secretariat//Registration//EN"
REFRESH_INTERVAL = timedelta(hours=1)
TIMEZONE_FIRST_DATE = date(2000, 1, 1)
TIMEZONE_LAST_DATE = date(2050, 1, 1)


@lru_cache(maxsize=16)
def domain_of(base_url: str) -> str:
    """The host name that makes our UIDs globally unique, e.g. 'events.cica.example'."""
    return urlsplit(base_url).hostname or "localhost"


def panel_uid(panel_id: int, base_url: str) -> str:
    return f"panel-{panel_id}@{domain_of(base_url)}"


def conference_page_url(conference: ConferenceLike, base_url: str) -> str:
    return f"{base_url.rstrip('/')}/conferences/{conference.slug}"


def panel_url(panel: PanelLike, base_url: str) -> str:
    """The panel on its conference's public page."""
    return conference_page_url(panel.conference, base_url) + f"#panel-{panel.id}"


def panel_sequence(panel: PanelLike) -> int:
    return panel.sequence + panel.conference.sequence


def panel_is_cancelled(panel: PanelLike) -> bool:
    cancelled_conference = panel.conference.status == ConferenceStatus.CANCELLED
    return panel.status == PanelStatus.CANCELLED or cancelled_conference


def join_link(panel: PanelLike) -> str:
    """The panel's own join link, else the conference's; empty for in-person conferences."""
    conference = panel.conference
    if not conference.has_online:
        return ""
    return panel.join_url or conference.online_url


def panel_last_modified(panel: PanelLike) -> datetime:
    """The panel's own last change: the conference services move it too when a change of the
    conference alters the panel's time, place or status. (Not the conference's `updated_at`,
    which moves with every edit of any panel: every event of a 1,000-panel feed would change.)"""
    return panel.updated_at


def panel_event(
    panel: PanelLike,
    *,
    base_url: str,
    stamp: datetime,
    include_join_link: bool,
    join_url: str = "",
    language: str | None = None,
) -> Event:
    """A panel as a VEVENT; the caller may add ATTENDEE / ORGANIZER for an invitation.

    Needs `panel.conference` and `panel.roles` (with people and their institutions) loaded.
    `join_url` replaces the panel's join link (a participant's personal link). With a
    `language` the texts are in it (stored texts falling back to the conference's language)
    and SUMMARY, DESCRIPTION and LOCATION say so (RFC 5545 LANGUAGE); without, the stored
    texts' own columns and English labels.
    """
    conference = panel.conference
    zone = conference.zone
    link = join_link(panel) if include_join_link else ""
    if link and join_url:
        link = join_url
    text = panel_text(panel, link, base_url, include_join_link, language)
    conferences = None
    if text.conference_label:
        conferences = [
            Conference(text.conference_uri, feature="VIDEO", label=text.conference_label)
        ]
    event = Event.new(
        uid=panel_uid(panel.id, base_url),
        summary=_in(panel, "title", language),
        start=panel.starts_at.astimezone(zone),
        end=panel.ends_at.astimezone(zone),
        stamp=stamp,
        sequence=panel_sequence(panel),
        url=panel_url(panel, base_url),
        description=text.description,
        location=text.location,
        last_modified=panel_last_modified(panel),
        conferences=conferences,
    )
    event.add("STATUS", "CANCELLED" if panel_is_cancelled(panel) else "CONFIRMED")
    if language:
        title_language = panel.shown("title", language).lang  # type: ignore[attr-defined]
        say_language(event, title_language, "SUMMARY")
        say_language(event, language, "DESCRIPTION", "LOCATION")
    return event


def say_language(component: Component, language: str | None, *names: str) -> None:
    """RFC 5545's LANGUAGE on the named text properties `component` has, for a text in a known
    language (None: nothing said). What writes it on events' texts and on a feed's name and
    description alike."""
    if language:
        for name in names:
            if name in component:
                component[name].params["LANGUAGE"] = language


def _in(record: object, field: str, language: str | None) -> str:
    """A stored text in `language` (with the record's fallback), or its own column's."""
    if language is None:
        return getattr(record, field)
    return record.text_in(field, language)  # type: ignore[attr-defined]


def panel_text(
    panel: PanelLike,
    link: str,
    base_url: str,
    include_join_link: bool,
    language: str | None = None,
) -> event_text.EventText:
    """The panel's description, location and CONFERENCE link (`event_text`), from its
    objects; `link` is the join link written in the event ('' for none)."""
    conference = panel.conference
    without_link = conference.has_online and not include_join_link
    return event_text.event_text(
        conference_title=_in(conference, "title", language),
        conference_format=conference.format,
        place=event_text.joined(
            _in(conference, "venue", language), _in(conference, "city", language)
        ),
        room=_in(panel, "room", language),
        theme=_in(panel, "theme", language),
        labels=event_text.labels_in(language) if language else event_text.ENGLISH,
        cancelled=panel_is_cancelled(panel),
        moderators=[_person_line(p, language) for p in panel.moderators],
        speakers=[_person_line(p, language) for p in panel.speakers],
        link=link,
        how_to_join_url=panel_url(panel, base_url) if without_link else "",
    )


def _person_line(person: PersonLike, language: str | None) -> str:
    """The person's line, their institution's name in `language` (else its main name), or
    their member's name in it (`member_name`); the feeds read the same names
    (`loading._institution_name`, `loading._load_people`)."""
    institution = person.institution
    if institution is None:
        name = None
    else:
        name = institution.text_in("name", language) if language else institution.name
    found = person.member
    member = (
        None if found is None else name_in(found.code, found.kind, found.name, language or "en")
    )
    affiliation = event_text.affiliation(person.position, name, member)
    return event_text.person_line(person.display_name, affiliation)


def _start_key(component: Component) -> tuple[float, str]:
    start = component.DTSTART
    if not isinstance(start, datetime):
        start = datetime.combine(start, datetime.min.time())
    return (start.timestamp(), str(component.get("UID", "")))


@lru_cache(maxsize=64)
def vtimezone(tzid: str) -> Timezone | None:
    """A VTIMEZONE for a TZID, built once per process (building takes milliseconds).

    icalendar lists all transitions in one RDATE; ical.js (Thunderbird) reads only the first
    value of each RDATE in a VTIMEZONE and then gets every later summer time wrong by an hour.
    One RDATE line per transition is equally valid RFC 5545 and read right by all parsers.
    """
    try:
        zone = Timezone.from_tzid(
            tzid, first_date=TIMEZONE_FIRST_DATE, last_date=TIMEZONE_LAST_DATE
        )
    except ValueError:
        return None
    for observance in zone.subcomponents:
        dates = observance.pop("RDATE", None)
        for rdate in dates.dts if dates is not None else ():
            observance.add("RDATE", rdate.dt)
    return zone


def _add_timezones(calendar: Calendar) -> None:
    """Add a VTIMEZONE for every TZID, sorted by name.

    `Calendar.add_missing_timezones` walks a set, whose order differs between processes
    (string hash randomisation), so two gunicorn workers would give different bytes and ETags.
    """
    zones = [vtimezone(tzid) for tzid in sorted(calendar.get_missing_tzids())]
    calendar.subcomponents[0:0] = [zone for zone in zones if zone is not None]


def build_calendar(
    events: Iterable[Event], *, method: str | None = "PUBLISH", uid: str | None = None
) -> Calendar:
    """A VCALENDAR with the events sorted by start then UID, and every VTIMEZONE they need."""
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    if method:
        calendar.add("METHOD", method)
    if uid:
        calendar.add("UID", uid)
    calendar.subcomponents.extend(sorted(events, key=_start_key))
    _add_timezones(calendar)
    return calendar


def feed_calendar(
    events: Iterable[Event],
    *,
    uid: str,
    name: str,
    description: str = "",
    url: str = "",
    last_modified: datetime | None = None,
    name_language: str | None = None,
    description_language: str | None = None,
) -> Calendar:
    """A subscribable feed: METHOD:PUBLISH plus name, description and refresh hints; the
    name and description with LANGUAGE when they are each in one known language."""
    calendar = build_calendar(events, method="PUBLISH", uid=uid)
    calendar.add("NAME", vText(name))
    calendar.add("X-WR-CALNAME", vText(name))
    say_language(calendar, name_language, "NAME", "X-WR-CALNAME")
    if description:
        calendar.add("DESCRIPTION", vText(description))
        calendar.add("X-WR-CALDESC", vText(description))
        say_language(calendar, description_language, "DESCRIPTION", "X-WR-CALDESC")
    if url:
        calendar.add("URL", url, parameters={"VALUE": "URI"})
    if last_modified is not None:
        calendar.add("LAST-MODIFIED", last_modified)
    calendar.add("REFRESH-INTERVAL", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH_INTERVAL))
    return calendar
