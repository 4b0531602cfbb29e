"""What a change of a conference or a panel means for attendees, and what both share.

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

from datetime import datetime
from typing import ClassVar

from flask_babel import gettext
from markupsafe import Markup

from registration.conferences.models import Conference, Panel
from registration.database import db
from registration.directory.institution_names import institution_by_name
from registration.directory.models import Institution
from registration.i18n import N_
from registration.jobs import services as jobs
from registration.jobs.models import Job
from registration.jobs.registry import labels

SCHEDULE_FIELDS = frozenset({"starts_at", "ends_at", "timezone"})
CONFERENCE_LOCATION_FIELDS = frozenset({"venue", "city", "online_url"})
PANEL_LOCATION_FIELDS = frozenset({"room", "join_url"})
# The job kind that tells each attendee of these panels what changed (calendars.fanout).
CALENDAR_UPDATES = "calendars.panels_changed"


class ChangeError(ValueError):
    """A change the data does not allow; `field` names the form field to show it next to.
    `message` is English (logs, the API); `translated()` is for pages. Every service raises
    it before changing anything, so the session stays clean and callers roll nothing back."""

    def __init__(self, field: str, message: str, **values: object) -> None:
        super().__init__(message % values if values else message)
        self.field = field
        self.message = str(self.args[0])
        self.template = message
        self.values = values

    def translated(self) -> str:
        """The message in the page's language (the template is marked with N_)."""
        return gettext(self.template, **self.values)


class FieldChanges:
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


def check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise ChangeError("ends_at", N_("The end must be after the start."))


def tell_attendees(
    conference_id: int,
    label: str,
    panel_ids: list[int],
    *,
    cancelled: bool = False,
    panel_id: int | None = None,
) -> str:
    """One job that sends each attendee of these panels its calendar update or CANCEL; the
    page names it by `cancelled` and the panel's title (`panel_id`), else the conference's."""
    job = jobs.start(
        CALENDAR_UPDATES,
        label,
        conference_id=conference_id,
        panel_ids=panel_ids,
        cancelled=cancelled,
        panel_id=panel_id,
    )
    return job.id


@labels(CALENDAR_UPDATES)
def calendar_updates_label(job: Job) -> Markup:
    """The job's name in the page's language, with the panel's or conference's title."""
    what = gettext("Cancellation") if job.subject.get("cancelled") else gettext("Calendar updates")
    panel_id = job.subject.get("panel_id")
    titled = db.session.get(Panel, panel_id) if panel_id else None
    if titled is None:
        titled = db.session.get(Conference, job.conference_id)
    if titled is None:
        return Markup("{}").format(what)
    return Markup("{}: {}").format(what, titled.shown("title"))


def institution_named(name: str, language: str = "en") -> Institution:
    """The institution of that name (without regard to case, spaces or quotes), by its main
    name or one of its translations; created with `language` as its main one if it is new."""
    found = institution_by_name(name)
    if found is None:
        found = Institution(name=name, language=language)
        db.session.add(found)
    return found


def name_in_languages(institution: Institution, names: dict[str, str]) -> bool:
    """Give the institution its name in the other languages typed ({language: text}); an
    empty text, or one in its main language, leaves its names as they are (the main name
    is how it is found). True if a translation changed."""
    translations = {code: dict(texts) for code, texts in (institution.translations or {}).items()}
    changed = False
    for code, typed in names.items():
        text = typed.strip()
        if text and code != institution.language and translations.get(code, {}).get("name") != text:
            translations.setdefault(code, {})["name"] = text
            changed = True
    if changed:
        institution.translations = translations  # a new dict: the JSON column sees the change
    return changed
