"""Feed bytes for big programmes: each VEVENT is serialised once per version and reused.

Each panel's VEVENT bytes (written by `serialise`, equal to icalendar's) are cached with
the `PanelRow` they were made of (every value the event is built from), in two parts around
the DTSTAMP line: the feed's DTSTAMP (which changes whenever anything in the feed changes) goes
between them. The result is byte for byte what `ical.feed_calendar(...).to_ical()` gives
(a test checks this).
"""

from __future__ import annotations

import hashlib
import operator
import struct
from collections.abc import Callable, Hashable, Iterable
from datetime import UTC, datetime
from functools import lru_cache
from typing import NamedTuple

from registration.calendars import ical, serialise
from registration.calendars.cache import Locked, lru
from registration.calendars.loading import PanelRow

_CALENDAR_END = b"END:VCALENDAR\r\n"
_PLACEHOLDER = datetime(1970, 1, 1, tzinfo=UTC)
_PLACEHOLDER_LINE = b"LAST-MODIFIED:19700101T000000Z\r\n"


class EventBytes(NamedTuple):
    """One serialised VEVENT, before and after its DTSTAMP line, and the TZID it uses."""

    start: datetime
    uid: str
    head: bytes
    tail: bytes
    tzid: str | None


class Texts(NamedTuple):
    """A feed's name and description, each with the language it is in (None: no one known
    language, or a feed without ?lang=): `ical.feed_calendar`'s arguments."""

    name: str
    description: str
    name_language: str | None
    description_language: str | None


class Rendered(NamedTuple):
    """A feed's bytes and its strong ETag."""

    body: bytes
    etag: str


def _digest(*parts: bytes) -> bytes:
    """SHA-256 of the parts, each after its length: different parts, different digests."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.digest()


_CHUNK = 32
# Digests of runs of `_CHUNK` consecutive events, one entry per feed (its uid and kind) and
# run: each entry holds its events, so no other object can take their ids while it is kept,
# and a run made of other events replaces it, so a feed's earlier versions are not kept.
# 1,024 runs are 32,768 events, most of them those `EVENTS` holds.
CHUNKS: Locked[tuple[tuple[EventBytes, ...], bytes]] = lru(maxsize=1024)


def _chunk_digest(chunk: list[EventBytes], place: tuple[Hashable, ...] | None) -> bytes:
    """SHA-256 of the events' heads' and tails' lengths, then of them; made again only when
    one of them is another object than the run at `place` had (None: a person's events, not
    kept in `EVENTS`)."""
    found = CHUNKS.get(place) if place is not None else None
    if (
        found is not None
        and len(found[0]) == len(chunk)
        and all(map(operator.is_, found[0], chunk))
    ):
        return found[1]
    parts = [part for event in chunk for part in (event.head, event.tail)]
    lengths = struct.pack(f">{len(parts)}Q", *map(len, parts))
    digest = hashlib.sha256(b"".join([lengths, *parts])).digest()
    if place is not None:
        CHUNKS.put(place, (tuple(chunk), digest))
    return digest


# The latest event of each panel in each kind of feed and language, with the row it was made
# of. About 700 bytes an event: 20,000 events are some 15 MB per worker process.
EVENTS: Locked[tuple[PanelRow, EventBytes]] = lru(maxsize=20_000)


def event_bytes(
    row: PanelRow,
    *,
    base_url: str,
    include_join_link: bool,
    join_url_for: Callable[[int], str] | None = None,
) -> EventBytes:
    """The panel's VEVENT, serialised again only when its row (every value the event is made
    of) differs from the one it was last serialised from. Events with a personal join link
    (`join_url_for(panel id)`) belong to one person's feed and are not kept."""
    key = (base_url, include_join_link, row.conference.language, row.panel.id)
    cached = EVENTS.get(key) if join_url_for is None else None
    if cached is not None and cached[0] == row:
        return cached[1]
    common = serialise.shared(row.conference, base_url, include_join_link)
    join_url = join_url_for(row.panel.id) if join_url_for is not None else ""
    head, tail = serialise.event_parts(row, common, join_url)
    uid = ical.panel_uid(row.panel.id, base_url)
    event = EventBytes(row.panel.starts_at, uid, head, tail, common.tzid)
    if join_url_for is None:
        EVENTS.put(key, (row, event))
    return event


def clear_caches() -> None:
    """Forget the events, the calendars' own lines, and what conferences and people share."""
    EVENTS.clear()
    CHUNKS.clear()
    _header.cache_clear()
    serialise.clear_caches()


@lru_cache(maxsize=1024)
def _header(uid: str, url: str, texts: Texts) -> tuple[bytes, bytes]:
    """The calendar's own lines, before and after its LAST-MODIFIED line, as icalendar writes
    them (building them takes a millisecond or two)."""
    header = ical.feed_calendar(
        [], uid=uid, url=url, last_modified=_PLACEHOLDER, **texts._asdict()
    ).to_ical()
    before, placeholder, after = header.removesuffix(_CALENDAR_END).partition(_PLACEHOLDER_LINE)
    if not placeholder:
        raise RuntimeError("LAST-MODIFIED placeholder not found in the calendar's lines")
    return before, after


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
    join_url_for: Callable[[int], str] | None = None,
    name_language: str | None = None,
    description_language: str | None = None,
) -> Rendered:
    """The feed's bytes, equal to `ical.feed_calendar` of the panels' events serialised (the
    name's and description's languages as given), and
    its ETag: a digest of the calendar's own lines, the DTSTAMP line and the digests of its
    events by runs of `_CHUNK` (a run's kept while its events are the same objects), so a
    feed whose bytes change gets a new ETag without its megabyte being hashed again at each
    version: after one panel changed, one run is."""
    rows = list(panels)
    events = sorted(
        (
            event_bytes(
                p,
                base_url=base_url,
                include_join_link=include_join_link,
                join_url_for=join_url_for,
            )
            for p in rows
        ),
        key=lambda e: (e.start, e.uid),
    )
    texts = Texts(name, description, name_language, description_language)
    before, after = _header(uid, url, texts)
    tzids = sorted({e.tzid for e in events if e.tzid is not None})
    own = [before, f"LAST-MODIFIED:{serialise.utc(stamp)}\r\n".encode(), after]
    own.extend(_vtimezone_bytes(tzid) for tzid in tzids)
    calendar = b"".join(own)
    stamp_line = serialise.stamp_line(stamp)
    parts = [calendar]
    for event in events:
        parts += (event.head, stamp_line, event.tail)
    parts.append(_CALENDAR_END)
    language = rows[0].conference.language if rows else None  # the feed's, in each row
    feed = (uid, base_url, include_join_link, language) if join_url_for is None else None
    runs = [
        _chunk_digest(events[i : i + _CHUNK], feed and (*feed, i))
        for i in range(0, len(events), _CHUNK)
    ]
    digest = _digest(calendar, stamp_line, len(events).to_bytes(8, "big"), b"".join(runs))
    return Rendered(b"".join(parts), '"' + digest.hex()[:40] + '"')
