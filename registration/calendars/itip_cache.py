"""The iMIP calendar of one panel for each of its attendees, written once per panel version.

A fan-out sends the same panel to thousands of attendees; icalendar takes about 2 ms to
write each calendar, almost all of it the lines every attendee shares (the event, the
VTIMEZONE). So a worker asks icalendar once for the calendar of a stand-in attendee (per
panel version, method, mode, SEQUENCE and every other argument of `itip.itip_calendar`),
keeps its lines, and for each attendee has icalendar write only the lines that are theirs:
ATTENDEE, DTSTAMP, and the lines carrying their personal join link (LOCATION, DESCRIPTION,
CONFERENCE), each escaped and folded by icalendar. `tests/test_itip_cache.py` compares the
result byte for byte with `itip_calendar` for every kind of attendee and panel.

A panel's version is its and its conference's `updated_at` (the conference services move
both on every change of the panel, its conference or its people; `versions` relies on the
same), its SEQUENCE and status; entries also expire after TEMPLATE_SECONDS.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from icalendar import Event, vText
from icalendar.parser import Contentline, Contentlines

from registration.calendars.cache import Locked, lru
from registration.calendars.ical import panel_is_cancelled, panel_sequence
from registration.calendars.itip import attendee_address, itip_calendar
from registration.conferences.models import Panel

log = logging.getLogger(__name__)

TEMPLATE_SECONDS = 300
STAND_IN_EMAIL = "attendee@stand-in.invalid"
STAND_IN_LINK = "https://stand-in.invalid/personal-join-link"
STAND_IN_STAMP = datetime(2000, 1, 1, tzinfo=UTC)
# How a join link is written in each property that may carry it (TEXT is escaped, URIs not).
_LINK_VALUES = {
    "LOCATION": lambda link: vText(link).to_ical().decode(),
    "DESCRIPTION": lambda link: vText(link).to_ical().decode(),
    "CONFERENCE": lambda link: link,
}


@dataclass(frozen=True)
class _Template:
    """A calendar's lines: bytes written once, or the name of a line written per attendee
    ('ATTENDEE', 'DTSTAMP', or a property carrying the join link, unfolded)."""

    pieces: tuple[bytes | tuple[str, str], ...]

    def fill(self, email: str, name: str, stamp: datetime, link: str) -> bytes:
        out = []
        for piece in self.pieces:
            if isinstance(piece, bytes):
                out.append(piece)
            elif piece[0] == "ATTENDEE":
                address = attendee_address(email, name)
                out.append(_folded(Contentline.from_parts("ATTENDEE", address.params, address)))
            elif piece[0] == "DTSTAMP":
                out.append(_dtstamp(stamp.replace(microsecond=0)))
            else:
                written = _LINK_VALUES[piece[0]](link)
                out.append(_folded(Contentline(piece[1].replace(STAND_IN_LINK, written))))
        return b"".join(out)


_WHOLE = _Template(())  # a panel whose attendees' calendars are each written whole
_TEMPLATES: Locked[_Template] = lru(256, ttl=TEMPLATE_SECONDS)
_NAME = re.compile(r"[A-Za-z0-9-]+")


def attendee_calendar(
    panel: Panel,
    *,
    attendee_email: str,
    attendee_name: str,
    stamp: datetime,
    join_url: str = "",
    **event: Any,
) -> bytes:
    """What `itip_calendar(panel, attendee_email=..., ..., **event)` returns, from the
    panel's template (`event`: the method, mode, SEQUENCE and the other arguments all its
    attendees share)."""
    key = (panel.id, panel_version(panel), bool(join_url), *sorted(event.items()))
    template = _TEMPLATES.get_or_make(key, lambda: _template(panel, bool(join_url), event))
    if template is _WHOLE:
        return itip_calendar(
            panel,
            attendee_email=attendee_email,
            attendee_name=attendee_name,
            stamp=stamp,
            join_url=join_url,
            **event,
        )
    return template.fill(attendee_email, attendee_name, stamp, join_url)


def panel_version(panel: Panel) -> tuple[Any, ...]:
    """What changes whenever anything written about the panel changes (module docstring)."""
    conference = panel.conference
    return (
        panel.updated_at,
        conference.updated_at,
        panel_sequence(panel),
        panel_is_cancelled(panel),
    )


def _template(panel: Panel, with_link: bool, event: dict[str, Any]) -> _Template:
    """The stand-in attendee's calendar in pieces; `_WHOLE` if a line the attendee changes
    is one this does not know how to write (then each attendee's is written whole)."""
    stand_in = itip_calendar(
        panel,
        attendee_email=STAND_IN_EMAIL,
        attendee_name="",
        stamp=STAND_IN_STAMP,
        join_url=STAND_IN_LINK if with_link else "",
        **event,
    )
    pieces: list[bytes | tuple[str, str]] = []
    for line in Contentlines.from_ical(stand_in):
        if not line:
            continue
        found = _NAME.match(line)
        name = found.group(0).upper() if found else ""
        if name in ("ATTENDEE", "DTSTAMP") or STAND_IN_LINK in line:
            if name not in ("ATTENDEE", "DTSTAMP", *_LINK_VALUES):
                log.warning("calendar template: a join link in %s; written whole", name)
                return _WHOLE
            pieces.append((name, str(line)))
        elif pieces and isinstance(pieces[-1], bytes):
            pieces[-1] += _folded(line)
        else:
            pieces.append(_folded(line))
    return _Template(tuple(pieces))


@lru_cache(maxsize=8)
def _dtstamp(stamp: datetime) -> bytes:
    """The DTSTAMP line as icalendar writes it (whole seconds: it drops the microseconds);
    a fan-out's messages share a handful of stamps."""
    event = Event()
    event.DTSTAMP = stamp
    return _folded(event.content_line("DTSTAMP", event["DTSTAMP"]))


def _folded(line: str) -> bytes:
    """The line folded as icalendar folds it (`Contentline.to_ical`), with CRLF. An ASCII
    line is cut by slices instead of icalendar's loop over every character (a quarter of a
    message's composing, bench/fanout_profile.py): at most 74 characters a piece, and a
    backslash or caret that would end a piece starts the next one instead, as icalendar
    does; `tests/test_itip_cache.py` compares both on every kind of line."""
    if not line.isascii():
        return Contentline(line).to_ical() + b"\r\n"
    pieces, start = [], 0
    while len(line) - start > _FOLD_AT:
        end = start + _FOLD_AT
        if line[end - 1] in "\\^":
            end -= 1
        pieces.append(line[start:end])
        start = end
    pieces.append(line[start:])
    return "\r\n ".join(pieces).encode() + b"\r\n"


_FOLD_AT = 74  # icalendar's limit of 75 octets, less one: it folds before reaching it
