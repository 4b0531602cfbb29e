"""A panel's event text: the DESCRIPTION, LOCATION and CONFERENCE link of its VEVENT.

Written here once for both writers of a VEVENT: icalendar's (`ical.panel_event`, used by
invitations) and the fast feed writer (`serialise.event_parts`), which tests compare byte
for byte. Each passes plain values: ORM objects for the one, a feed's rows for the other.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from registration.conferences.models import ConferenceFormat

JOIN_LABEL = "Join online"
HOW_TO_JOIN_LABEL = "Registered participants receive the join link"


class EventText(NamedTuple):
    description: str
    location: str
    conference_label: str  # '' when the event has no CONFERENCE property
    conference_uri: str


def person_line(display_name: str, affiliation: str) -> str:
    """'- <display name>, <affiliation>' (no comma without an affiliation)."""
    return f"- {display_name}, {affiliation}" if affiliation else f"- {display_name}"


def joined(*parts: str) -> str:
    """The non-empty parts, comma-separated: a place from room, venue and city."""
    return ", ".join(part for part in parts if part)


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
) -> EventText:
    """The text of a panel's event.

    `place` is the conference's venue and city (`joined`), `moderators` and `speakers` their
    `person_line`s, `link` the join link written in this event ('' for none), and
    `how_to_join_url` the panel's page, given for an online or hybrid panel in a feed without
    join links: its CONFERENCE property then says that registered participants get the link.
    """
    blocks = ["CANCELLED", conference_title] if cancelled else [conference_title]
    if theme:
        blocks.append(theme)
    for label, people in (("Moderators", moderators), ("Speakers", speakers)):
        lines = list(people)
        if lines:
            blocks.append("\n".join([f"{label}:", *lines]))
    if link:
        blocks.append(f"Join online: {link}")
    if conference_format == ConferenceFormat.ONLINE:
        location = link or "Online"
    elif conference_format == ConferenceFormat.HYBRID:
        location = f"{joined(room, place)} (and online)" if room or place else "Online"
    else:
        location = joined(room, place)
    if link:
        label, uri = JOIN_LABEL, link
    elif how_to_join_url:
        label, uri = HOW_TO_JOIN_LABEL, how_to_join_url
    else:
        label, uri = "", ""
    return EventText("\n\n".join(blocks), location, label, uri)
