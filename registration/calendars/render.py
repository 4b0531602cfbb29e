"""Feed bytes for big programmes: each VEVENT is serialised once per version and reused.

Each panel's VEVENT bytes (written by `serialise`, equal to icalendar's) are cached under
its `PanelRow`, which holds every value the event is built from; the feed's DTSTAMP (which
changes whenever anything in the feed changes) is spliced into the cached bytes in place of
a placeholder. The result is byte for byte what `ical.feed_calendar(...).to_ical()` gives
(a test checks this).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from registration.calendars import ical, serialise
from registration.calendars.cache import LRUCache
from registration.calendars.loading import PanelRow, panel_view

STAMP_PLACEHOLDER = datetime(1970, 1, 1, tzinfo=UTC)
_PLACEHOLDER_LINE = b"\r\nDTSTAMP:19700101T000000Z\r\n"
_CALENDAR_END = b"END:VCALENDAR\r\n"


@dataclass(frozen=True)
class EventBytes:
    """One serialised VEVENT (with the placeholder DTSTAMP) and the TZIDs it uses."""

    start: float
    uid: str
    body: bytes
    tzids: tuple[str, ...]


# About 700 bytes an event: 20,000 events are some 15 MB per worker process.
EVENTS: LRUCache[EventBytes] = LRUCache(maxsize=20_000)


def _serialise(row: PanelRow, base_url: str, include_join_link: bool) -> EventBytes:
    panel = panel_view(row)
    body = serialise.event_bytes(
        panel, base_url=base_url, stamp=STAMP_PLACEHOLDER, include_join_link=include_join_link
    )
    if body.count(_PLACEHOLDER_LINE) != 1:
        raise RuntimeError(f"DTSTAMP placeholder not found once in panel {panel.id}")
    zone = panel.conference.timezone
    return EventBytes(
        start=panel.starts_at.timestamp(),
        uid=ical.panel_uid(panel.id, base_url),
        body=body,
        tzids=() if serialise.is_utc(zone) else (zone,),
    )


def event_bytes(row: PanelRow, *, base_url: str, include_join_link: bool) -> EventBytes:
    """The panel's VEVENT, serialised once: the row holds every value it is made of."""
    key = (base_url, include_join_link, row)
    return EVENTS.get_or_make(key, lambda: _serialise(row, base_url, include_join_link))


@lru_cache(maxsize=64)
def _vtimezone_bytes(tzid: str) -> bytes:
    zone = ical.vtimezone(tzid)
    return zone.to_ical() if zone is not None else b""


def render_feed(
    panels: Iterable[PanelRow],
    *,
    base_url: str,
    include_join_link: bool,
    stamp: datetime,
    uid: str,
    name: str,
    description: str = "",
    url: str = "",
) -> bytes:
    """The feed's bytes, equal to `ical.feed_calendar` of the panels' events serialised."""
    events = sorted(
        (event_bytes(p, base_url=base_url, include_join_link=include_join_link) for p in panels),
        key=lambda e: (e.start, e.uid),
    )
    header = ical.feed_calendar(
        [], uid=uid, name=name, description=description, url=url, last_modified=stamp
    ).to_ical()
    stamp_line = b"\r\nDTSTAMP:" + stamp.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ").encode()
    stamp_line += b"\r\n"
    tzids = sorted({tzid for e in events for tzid in e.tzids})
    parts = [header.removesuffix(_CALENDAR_END)]
    parts.extend(_vtimezone_bytes(tzid) for tzid in tzids)
    parts.extend(e.body.replace(_PLACEHOLDER_LINE, stamp_line) for e in events)
    parts.append(_CALENDAR_END)
    return b"".join(parts)
