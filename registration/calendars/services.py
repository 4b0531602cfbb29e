"""Calendar feeds: what each feed holds, its version key, its bytes, and the private tokens.

Every feed is answered in steps, each cached in-process:
1. One small query reads the feed's *version*. The conference services move a conference's
   `updated_at` on every change of it, of its panels and of the people speaking at them, so
   for a conference this is its own row (one lookup by the unique slug), for a series and
   for all conferences the count and latest `updated_at` of the conferences; personal feeds
   add the registration and the panels it attends. It runs on an autocommit engine without
   pre-ping (`version_engine`): an unchanged feed, and so a 304, costs this one round trip.
   The feed's DTSTAMP and Last-Modified are the latest `updated_at` of the conference(s) and
   of the panels as loaded, so the bytes are the same as before this shortcut.
2. A new version reads the panels, their conferences, and the speakers and moderators of
   only the panels changed since they were last read (`loading`): three queries whatever
   the size.
3. Only new or changed panels are serialised (`render`, `serialise`: icalendar's bytes).
Cached feeds expire after `FEED_TTL` seconds, which picks up a change that moves no
`updated_at` (an edit made outside the services); the ETag is over the bytes, so it only
changes if they do.

Personal feeds: the URL carries ``<registration id>.<feed_token>``. The registration is found
by its primary key and the token compared with `hmac.compare_digest`, so the time taken does
not depend on how much of a guessed token is right (a lookup by the token itself would go
through an index comparison). Rotating the token makes the old URL answer 404.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property, partial
from typing import Any
from urllib.parse import quote, urlencode

from blinker import Namespace
from flask import current_app
from sqlalchemy import URL, Engine, Row, Select, bindparam, create_engine, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import ScalarSelect

from registration.attendance.tokens import personal_join_url
from registration.calendars import ical, loading, render
from registration.calendars.cache import LRUCache
from registration.calendars.loading import PanelRow, panel_rows
from registration.calendars.render import render_feed
from registration.conferences.models import (
    Conference,
    ConferenceStatus,
    Panel,
    Series,
)
from registration.database import db
from registration.signup.models import (
    Registration,
    RegistrationPanel,
    RegistrationStatus,
    new_token,
)

FEED_TTL = 300.0
EMPTY_STAMP = datetime(2000, 1, 1, tzinfo=UTC)

# A 1,000-panel feed is about 600 kB: at most 128 feeds per worker process.
FEEDS: LRUCache[Feed] = LRUCache(maxsize=128, ttl=FEED_TTL)


PUBLIC_CACHE = "public, max-age=900"
PRIVATE_CACHE = "private, no-cache, max-age=0"


@dataclass(frozen=True)
class Feed:
    body: bytes
    etag: str
    last_modified: datetime
    filename: str
    private: bool = False

    @cached_property
    def headers(self) -> dict[str, str]:
        """The response headers of this feed (a 304 sends the same), made once."""
        headers = {
            "ETag": self.etag,
            "Last-Modified": self.last_modified.strftime("%a, %d %b %Y %H:%M:%S GMT"),
            "Cache-Control": PRIVATE_CACHE if self.private else PUBLIC_CACHE,
        }
        if self.private:
            headers["Referrer-Policy"] = "no-referrer"
            headers["X-Robots-Tag"] = "noindex"
        return headers


@dataclass(frozen=True)
class SubscribeLinks:
    """Where to get a feed: download, webcal, Google and Outlook web; rotate for private ones."""

    name: str
    feed: str
    download: str
    webcal: str
    google: str
    outlook: str
    rotate: str = ""


def _base_url() -> str:
    return current_app.config["BASE_URL"]


def _domain() -> str:
    return ical.domain_of(_base_url())


def _latest(*instants: datetime | None) -> datetime:
    """The last change among the given instants, to the second (iCalendar's precision)."""
    present = [i for i in instants if i is not None]
    return max(present, default=EMPTY_STAMP).replace(microsecond=0)


def _panels_updated(panels: Sequence[PanelRow]) -> datetime | None:
    """The loaded panels' latest `updated_at` (loaded as naive UTC datetimes)."""
    latest = max((row.panel.updated_at for row in panels), default=None)
    return latest.replace(tzinfo=UTC) if latest is not None else None


def _feed_for(key: tuple[Hashable, ...], make: Callable[[], Feed]) -> Feed:
    return FEEDS.get_or_make((_base_url(), *key), make)


def _make_feed(
    panels: Sequence[PanelRow],
    *,
    stamp: datetime,
    uid: str,
    name: str,
    description: str,
    url: str,
    filename: str,
    private: bool = False,
    include_join_link: bool = False,
    join_url_for: Callable[[int], str] | None = None,
) -> Feed:
    body = render_feed(
        panels,
        base_url=_base_url(),
        include_join_link=include_join_link,
        stamp=stamp,
        uid=uid,
        name=name,
        description=description,
        url=url,
        join_url_for=join_url_for,
    )
    etag = '"' + hashlib.sha256(body).hexdigest()[:40] + '"'
    return Feed(body, etag, stamp, filename, private)


def clear_caches() -> None:
    """Forget every feed, panel's people and serialised event, as a new process would (what
    the tests and the benchmark's cold case start from)."""
    FEEDS.clear()
    loading.PEOPLE.clear()
    render.clear_caches()


def version_engine() -> Engine:
    """An engine for version reads: autocommit (no BEGIN / ROLLBACK round trips) and no
    pre-ping (a `SELECT 1` round trip at every checkout), one per database per process."""
    url = db.engine.url
    engine = _VERSION_ENGINES.get(url)
    if engine is None:
        options: dict[str, Any] = {"isolation_level": "AUTOCOMMIT", "pool_pre_ping": False}
        engine = _VERSION_ENGINES.setdefault(url, create_engine(url, **options))
    return engine


_VERSION_ENGINES: dict[URL, Engine] = {}


def _version(statement: Select[Any], **parameters: object) -> Row[Any] | None:
    """A feed's version row: one small read, the whole cost of a 304.

    On PostgreSQL the row is read through the driver alone (a prepared statement on a pooled
    connection: about half the CPU of a SQLAlchemy execution) and its plain values are
    compared with those last seen for the same feed; only when they differ is it read again
    through SQLAlchemy, for typed values. Without pre-ping a connection the server closed
    fails on use; the pool then drops it and the read is tried once more on a new one.
    """
    engine = version_engine()
    if engine.dialect.name != "postgresql":
        return _retrying(_read_one, engine, statement, parameters)
    plain = _retrying(_read_plain, engine, statement, parameters)
    key = (id(statement), *sorted(parameters.items()))
    seen = _TYPED_VERSIONS.get(key)
    if seen is not None and seen[0] == plain:
        return seen[1]
    row = _retrying(_read_one, engine, statement, parameters)
    _TYPED_VERSIONS.put(key, (plain, row))
    return row


# Per feed: the plain values of its version row when last read, and the typed row.
_TYPED_VERSIONS: LRUCache[tuple[tuple[Any, ...] | None, Row[Any] | None]] = LRUCache(4096)


def _retrying(read: Callable[..., Any], *args: Any) -> Any:
    try:
        return read(*args)
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
    return read(*args)


def _read_one(
    engine: Engine, statement: Select[Any], parameters: dict[str, Any]
) -> Row[Any] | None:
    with engine.connect() as connection:
        return connection.execute(statement, parameters).one_or_none()


def _read_plain(
    engine: Engine, statement: Select[Any], parameters: dict[str, Any]
) -> tuple[Any, ...] | None:
    """The row as the driver returns it, on an autocommit connection (nothing to end).

    SQLAlchemy's engine events do not see it: `version_read` is sent instead, so query counts
    (tests, benchmarks) can include it.
    """
    sql, constants = _driver_sql(engine, statement)
    values = {**constants, **parameters}
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        version_read.send(sql)
        cursor.execute(sql, values, prepare=True)
        row = cursor.fetchone()
        cursor.close()
    except engine.dialect.loaded_dbapi.Error as error:
        gone = engine.dialect.is_disconnect(error, connection.dbapi_connection, None)
        if gone:
            connection.invalidate()
        raise DBAPIError.instance(
            sql,
            values,
            error,
            engine.dialect.loaded_dbapi.Error,
            connection_invalidated=gone,
            dialect=engine.dialect,
        ) from error
    finally:
        connection.close()
    return tuple(row) if row is not None else None


version_read = Namespace().signal("calendars.version-read")

_DRIVER_SQL: dict[tuple[int, str], tuple[str, dict[str, Any]]] = {}


def _driver_sql(engine: Engine, statement: Select[Any]) -> tuple[str, dict[str, Any]]:
    """The statement compiled for the driver once, with its constant parameters."""
    key = (id(statement), engine.dialect.name)
    found = _DRIVER_SQL.get(key)
    if found is None:
        compiled = statement.compile(dialect=engine.dialect)
        found = _DRIVER_SQL.setdefault(key, (str(compiled), dict(compiled.params)))
    return found


def _panels_of(*where: ColumnElement[bool]) -> tuple[ScalarSelect[int], ScalarSelect[datetime]]:
    """Correlated subqueries: how many panels match and when the last of them changed."""
    panels = select(Panel).join(Conference, Conference.id == Panel.conference_id).where(*where)
    return (
        panels.with_only_columns(func.count(Panel.id)).scalar_subquery(),
        panels.with_only_columns(func.max(Panel.updated_at)).scalar_subquery(),
    )


PUBLISHED = Conference.status != ConferenceStatus.DRAFT
IN_SERIES = (Conference.series_id == Series.id, PUBLISHED)
ATTENDED = (
    Panel.id.in_(
        select(RegistrationPanel.panel_id).where(
            RegistrationPanel.registration_id == bindparam("registration_id")
        )
    ),
    PUBLISHED,
)

# The conference row is the version of its feed: the conference services move its
# `updated_at` on every change of the conference, of one of its panels (added, edited,
# cancelled, moved, removed) and of a person speaking at one of them. A single-row read by
# the unique slug, so a 304 costs one index lookup.
CONFERENCE_VERSION = select(
    Conference.id,
    Conference.updated_at,
    Conference.sequence,
    Conference.status,
    Conference.title,
    Conference.theme,
).where(Conference.slug == bindparam("slug"), PUBLISHED)
PANEL_VERSION = (
    select(Conference.updated_at, Panel.updated_at, Panel.title, Conference.title, Panel.theme)
    .join(Panel, Panel.conference_id == Conference.id)
    .where(Conference.slug == bindparam("slug"), Panel.id == bindparam("panel_id"), PUBLISHED)
)
# Series and all conferences: the conferences' rows (every panel change moves its
# conference's `updated_at`), no scan of the panels.
SERIES_VERSION = select(
    Series.id,
    Series.updated_at,
    select(func.count(Conference.id)).where(*IN_SERIES).scalar_subquery(),
    select(func.max(Conference.updated_at)).where(*IN_SERIES).scalar_subquery(),
    Series.name,
    Series.description,
).where(Series.slug == bindparam("slug"))
ALL_VERSION = select(
    func.count(Conference.id),
    func.max(Conference.updated_at),
).where(PUBLISHED)
PERSONAL_VERSION = (
    select(
        Registration.feed_token,
        Registration.status,
        Registration.updated_at,
        *_panels_of(*ATTENDED),
        select(func.max(Conference.updated_at))
        .join(Panel, Panel.conference_id == Conference.id)
        .where(*ATTENDED)
        .scalar_subquery(),
        Conference.title,
        Conference.slug,
    )
    .join(Conference, Conference.id == Registration.conference_id)
    .where(Registration.id == bindparam("registration_id"))
)


# Conference


def conference_feed(slug: str) -> Feed | None:
    """All panels of a published or cancelled conference; None for drafts and unknown slugs."""
    row = _version(CONFERENCE_VERSION, slug=slug)
    if row is None:
        return None
    conference_id, updated_at, _, _, title, theme = row

    def make() -> Feed:
        panels = panel_rows(Conference.id == conference_id)
        return _make_feed(
            panels,
            stamp=_latest(updated_at, _panels_updated(panels)),
            uid=f"conference-{conference_id}@{_domain()}",
            name=title,
            description=theme,
            url=f"{_base_url()}/conferences/{slug}",
            filename=f"{slug}.ics",
        )

    return _feed_for(("conference", slug, *row), make)


# One panel


def panel_feed(slug: str, panel_id: int) -> Feed | None:
    row = _version(PANEL_VERSION, slug=slug, panel_id=panel_id)
    if row is None:
        return None
    conference_updated, panel_updated, title, conference_title, theme = row
    stamp = _latest(conference_updated, panel_updated)

    def make() -> Feed:
        return _make_feed(
            panel_rows(Panel.id == panel_id),
            stamp=stamp,
            uid=f"panel-feed-{panel_id}@{_domain()}",
            name=f"{title} ({conference_title})",
            description=theme,
            url=f"{_base_url()}/conferences/{slug}#panel-{panel_id}",
            filename=f"{slug}-panel-{panel_id}.ics",
        )

    return _feed_for(("panel", slug, panel_id, *row), make)


# A series and all conferences


def series_feed(slug: str) -> Feed | None:
    """Every panel of every published or cancelled conference of a series."""
    row = _version(SERIES_VERSION, slug=slug)
    if row is None:
        return None
    series_id, series_updated, _, conferences_updated, name, description = row

    def make() -> Feed:
        panels = panel_rows(Conference.series_id == series_id, PUBLISHED)
        return _make_feed(
            panels,
            stamp=_latest(series_updated, conferences_updated, _panels_updated(panels)),
            uid=f"series-{series_id}@{_domain()}",
            name=name,
            description=description,
            url="",
            filename=f"{slug}.ics",
        )

    return _feed_for(("series", slug, *row), make)


def all_conferences_feed() -> Feed:
    """Every panel of every published or cancelled conference."""
    version = _version(ALL_VERSION)
    assert version is not None

    def make() -> Feed:
        panels = panel_rows(PUBLISHED)
        return _make_feed(
            panels,
            stamp=_latest(version[1], _panels_updated(panels)),
            uid=f"all-conferences@{_domain()}",
            name="CICA conferences",
            description="Every published CICA conference and Think Tank Forum meeting.",
            url=_base_url() + "/",
            filename="cica-conferences.ics",
        )

    return _feed_for(("all", *version), make)


# Personal feeds


def feed_key(registration: Registration) -> str:
    """The secret part of a personal feed's URL: ``<registration id>.<feed token>``."""
    return f"{registration.id}.{registration.feed_token}"


def _registration_id(key: str) -> tuple[int, bytes] | None:
    number, _, token = key.partition(".")
    if not (number.isascii() and number.isdigit()) or not token or len(number) > 12:
        return None
    return int(number), token.encode("utf-8", "replace")


def personal_feed(key: str) -> Feed | None:
    """The panels a registration attends, with their personal join links (which record the
    join) once approved; None if the key fails."""
    parsed = _registration_id(key)
    if parsed is None:
        return None
    registration_id, token = parsed
    row = _version(PERSONAL_VERSION, registration_id=registration_id)
    if row is None or not hmac.compare_digest(row[0].encode(), token):
        return None
    _, status, updated_at, _, panels_updated, conferences_updated, title, slug = row
    stamp = _latest(updated_at, panels_updated, conferences_updated)
    active = status not in {RegistrationStatus.REJECTED, RegistrationStatus.WITHDRAWN}
    approved = status == RegistrationStatus.APPROVED

    def make() -> Feed:
        return _make_feed(
            panel_rows(*ATTENDED, registration_id=registration_id) if active else [],
            stamp=stamp,
            uid=f"personal-{registration_id}@{_domain()}",
            name=f"{title}: my programme",
            description="The sessions you registered for.",
            url="",
            filename=f"{slug}-my-programme.ics",
            private=True,
            include_join_link=approved,
            join_url_for=partial(personal_join_url, registration_id) if approved else None,
        )

    return _feed_for(("personal", registration_id, *row), make)


def rotate_feed_token(registration: Registration) -> str:
    """Give the registration a new private feed URL; the old one answers 404 from now on."""
    registration.feed_token = new_token()
    db.session.commit()
    return feed_key(registration)


def registration_by_feed_key(key: str) -> Registration | None:
    parsed = _registration_id(key)
    if parsed is None:
        return None
    registration_id, token = parsed
    registration = db.session.get(Registration, registration_id)
    if registration is None or not hmac.compare_digest(registration.feed_token.encode(), token):
        return None
    return registration


# Links


def subscribe_links(path: str, name: str, rotate: str = "") -> SubscribeLinks:
    """Download, webcal, Google and Outlook links for the feed at `path` (e.g. '/calendar.ics')."""
    feed = _base_url() + path
    rest = feed.partition("://")[2]
    webcal = f"webcal://{rest}"
    return SubscribeLinks(
        name=name,
        feed=feed,
        download=f"{feed}?download=1",
        webcal=webcal,
        google="https://calendar.google.com/calendar/r?" + urlencode({"cid": webcal}),
        outlook="https://outlook.live.com/calendar/0/addfromweb?"
        + urlencode({"url": feed, "name": name}, quote_via=quote),
        rotate=rotate,
    )


def conference_links(conference: Conference) -> SubscribeLinks:
    return subscribe_links(f"/conferences/{conference.slug}/calendar.ics", conference.title)


def panel_links(panel: Panel) -> SubscribeLinks:
    conference = panel.conference
    return subscribe_links(
        f"/conferences/{conference.slug}/panels/{panel.id}/calendar.ics", panel.title
    )


def series_links(series: Series) -> SubscribeLinks:
    return subscribe_links(f"/series/{series.slug}/calendar.ics", series.name)


def all_conferences_links() -> SubscribeLinks:
    return subscribe_links("/calendar.ics", "CICA conferences")


def personal_links(registration: Registration) -> SubscribeLinks:
    """A participant's private feed links, with the path of the form that rotates the token."""
    key = feed_key(registration)
    return subscribe_links(
        f"/calendar/personal/{key}.ics",
        f"{registration.conference.title}: my programme",
        rotate=f"/calendar/personal/{key}/rotate",
    )
