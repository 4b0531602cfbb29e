"""A panel's event text: the DESCRIPTION, LOCATION and CONFERENCE link of its VEVENT.

Written here once for both writers of a VEVENT: icalendar's (`ical.panel_event`, used by
invitations) and the fast feed writer (`serialise.event_parts`), which tests compare byte
for byte. Each passes plain values: ORM objects for the one, a feed's rows for the other.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import NamedTuple

from flask_babel import gettext

from registration.conferences.models import ConferenceFormat
from registration.i18n import N_, in_language


class Labels(NamedTuple):
    """The words an event's text adds to the stored texts; English by default."""

    cancelled: str = N_("CANCELLED")
    moderators: str = N_("Moderators")
    speakers: str = N_("Speakers")
    join: str = N_("Join online")
    online: str = N_("Online")
    and_online: str = N_("(and online)")
    how_to_join: str = N_("Registered participants receive the join link")


ENGLISH = Labels()


@cache
def labels_in(language: str) -> Labels:
    """The labels in one of our languages (from the catalogue; needs an app context)."""
    with in_language(language):
        return Labels(*(gettext(label) for label in ENGLISH))


class EventText(NamedTuple):
    """The event's texts as pieces (texts and the separators between them), unescaped:
    the fast writer escapes and encodes each recurring piece once (`serialise`)."""

    description_parts: list[str]
    location_parts: list[str]
    conference_label: str  # '' when the event has no CONFERENCE property
    conference_uri: str

    @property
    def description(self) -> str:
        return "".join(self.description_parts)

    @property
    def location(self) -> str:
        return "".join(self.location_parts)


def person_line(display_name: str, affiliation: str) -> str:
    """'- <display name>, <affiliation>' (no comma without an affiliation)."""
    return f"- {display_name}, {affiliation}" if affiliation else f"- {display_name}"


def joined(*parts: str) -> str:
    """The non-empty parts, comma-separated: a place from room, venue and city."""
    return ", ".join(part for part in parts if part)


def affiliation(position: str, institution: str | None, member: str | None) -> str:
    """A person's affiliation in an event: position and institution, or the member state
    of a person without an institution. `institution` is its name in the event's language
    (else its main name), None for none; `member` the member's name in that language
    (`member_name`): both writers pass what they read, so the invitations' and the feeds'
    bytes stay equal."""
    if institution is None:
        return joined(position, member or "")
    return joined(position, institution)


def event_text(
    *,
    conference_title: str,
    conference_format: str,
    place: str,
    room: str,
    theme: str,
    cancelled: bool,
    moderators: Iterable[str],
    speakers: Iterable[str],
    link: str,
    how_to_join_url: str,
    labels: Labels = ENGLISH,
) -> EventText:
    """The text of a panel's event.

    `place` is the conference's venue and city (`joined`), `moderators` and `speakers` their
    `person_line`s, `link` the join link written in this event ('' for none), and
    `how_to_join_url` the panel's page, given for an online or hybrid panel in a feed without
    join links: its CONFERENCE property then says that registered participants get the link.
    `labels` are the words added, in the event's language (`labels_in`).
    """
    # Paragraphs separated by blank lines; the conference's title is always one.
    parts = [labels.cancelled, "\n\n", conference_title] if cancelled else [conference_title]
    if theme:
        parts += ("\n\n", theme)
    for label, people in ((labels.moderators, moderators), (labels.speakers, speakers)):
        lines = "\n".join(people)
        if lines:
            parts += ("\n\n", label, ":\n", lines)
    if link:
        parts += ("\n\n", labels.join, ": ", link)
    if conference_format == ConferenceFormat.ONLINE:
        location = [link or labels.online]
    else:
        location = [room, ", ", place] if room and place else [room or place]
        if conference_format == ConferenceFormat.HYBRID:
            location = [*location, " ", labels.and_online] if room or place else [labels.online]
    if link:
        label, uri = labels.join, link
    elif how_to_join_url:
        label, uri = labels.how_to_join, how_to_join_url
    else:
        label, uri = "", ""
    return EventText(parts, location, label, uri)
