"""A panel's VEVENT written straight to bytes: what icalendar writes, some 20 times faster.

`ical.panel_event(...).to_ical()` costs about 0.8 ms an event (a third of it in icalendar's
line folding), so a 1,000-panel feed rendered from nothing took about a second. This writes
the same content lines, in icalendar's order, with its TEXT escaping and folding; what could
differ between zones and parameters (how DTSTART is written, the CONFERENCE parameters) is
asked of icalendar once and reused. Tests check the bytes against icalendar's for many panels
(commas, backslashes, new lines, long and non-Latin text, UTC and other zones, online links).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Conference, Event

from registration.calendars import ical

_FOLD_LIMIT = 75


def _escape(text: str) -> str:
    """icalendar's TEXT escaping (RFC 5545 §3.3.11), in its order."""
    return (
        text.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def _fold(line: str) -> str:
    """icalendar's folding: at most 74 octets a line, never after a backslash or caret."""
    if line.isascii():
        return _fold_ascii(line)
    folded: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode())
        if current and size + width >= _FOLD_LIMIT:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                folded.append("".join(current))
                current, size = [carried], len(carried.encode())
            else:
                folded.append("".join(current))
                current, size = [], 0
        current.append(char)
        size += width
    folded.append("".join(current))
    return "\r\n ".join(folded)


def _fold_ascii(line: str) -> str:
    """The same for one byte a character, by slicing: 74 characters a line, or 73 when the
    74th is a backslash or caret (it then starts the next line)."""
    width = _FOLD_LIMIT - 1
    folded = []
    start = 0
    while len(line) - start > width:
        end = start + width
        if line[end - 1] in "\\^":
            end -= 1
        folded.append(line[start:end])
        start = end
    folded.append(line[start:])
    return "\r\n ".join(folded)


def _utc(instant: datetime) -> str:
    return _digits(instant if instant.tzinfo is UTC else instant.astimezone(UTC)) + "Z"


def _digits(t: datetime) -> str:
    """'%Y%m%dT%H%M%S', a fifth faster than strftime (years have four digits here)."""
    return f"{t.year:04}{t.month:02}{t.day:02}T{t.hour:02}{t.minute:02}{t.second:02}"


@lru_cache(maxsize=256)
def _time_shape(zone: str) -> str:
    """How icalendar writes a time in `zone`: ';TZID=<zone>' or '' for a UTC time ('Z')."""
    event = Event()
    event.add("DTSTART", datetime(2030, 1, 1, 12, tzinfo=ZoneInfo(zone)))
    line = event.to_ical().split(b"\r\n")[1].decode()
    head, _, value = line.partition(":")
    return "Z" if value.endswith("Z") else head.removeprefix("DTSTART")


def is_utc(zone: str) -> bool:
    """Times in this zone are written in UTC ('Z'), with no TZID and no VTIMEZONE."""
    return _time_shape(zone) == "Z"


def _time(name: str, instant: datetime, zone: str) -> str:
    shape = _time_shape(zone)
    if shape == "Z":
        return f"{name}:{_utc(instant)}"
    return f"{name}{shape}:{_digits(instant.astimezone(ZoneInfo(zone)))}"


@lru_cache(maxsize=1)
def _conference_head() -> str:
    """'CONFERENCE;FEATURE=VIDEO;LABEL=...;VALUE=URI' as icalendar writes it."""
    event = Event.new(conferences=[Conference("x:", feature="VIDEO", label=ical.JOIN_LABEL)])
    (line,) = (ln for ln in event.to_ical().decode().split("\r\n") if ln.startswith("CONF"))
    return line.removesuffix(":x:")


def event_bytes(
    panel: ical.PanelLike, *, base_url: str, stamp: datetime, include_join_link: bool
) -> bytes:
    """Equal to `ical.panel_event(panel, ...).to_ical()`."""
    conference = panel.conference
    zone = conference.zone.key
    link = ical.join_link(panel) if include_join_link else ""
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{_escape(panel.title)}",
        _time("DTSTART", panel.starts_at, zone),
        _time("DTEND", panel.ends_at, zone),
        f"DTSTAMP:{_utc(stamp)}",
        f"UID:{_escape(ical.panel_uid(panel.id, base_url))}",
        f"SEQUENCE:{ical.panel_sequence(panel)}",
    ]
    if link:
        lines.append(f"{_conference_head()}:{link}")
    lines += [
        f"DESCRIPTION:{_escape(ical.description(panel, link))}",
        f"LAST-MODIFIED:{_utc(ical.panel_last_modified(panel))}",
        f"LOCATION:{_escape(ical.location(panel, link))}",
        f"STATUS:{'CANCELLED' if ical.panel_is_cancelled(panel) else 'CONFIRMED'}",
        f"URL:{ical.panel_url(panel, base_url)}",
        "END:VEVENT",
    ]
    # Most lines are short ASCII, which folding leaves as they are.
    folded = [ln if len(ln) < _FOLD_LIMIT and ln.isascii() else _fold(ln) for ln in lines]
    return ("\r\n".join(folded) + "\r\n").encode()
