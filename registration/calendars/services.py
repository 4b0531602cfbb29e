"""Calendar feeds: what each feed holds, its version key, its bytes, and the private tokens.

Every feed is answered in two steps. First one small query reads the feed's *version*: the
rows' count and latest `updated_at` (the conference services move `updated_at` on every change,
of a panel also on its conference). The rendered feed is cached in-process under that version,
so an unchanged feed (and a 304) costs this one query. Only when the version is new is the
content loaded (eager, a fixed number of queries whatever the size) and rendered. Cached
feeds also expire after `FEED_TTL` seconds, which picks up the rare change that moves no
`updated_at` (renaming a person); the ETag is over the bytes, so it only changes if they do.

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
from urllib.parse import quote, urlencode

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.sql.elements import ColumnElement

from registration.calendars import ical
from registration.calendars.render import LRUCache, render_feed
from registration.conferences.models import (
    Conference,
    ConferenceStatus,
    Panel,
    PanelPerson,
    Person,
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

FEEDS: LRUCache[Feed] = LRUCache(maxsize=256, ttl=FEED_TTL)


@dataclass(frozen=True)
class Feed:
    body: bytes
    etag: str
    last_modified: datetime
    filename: str
    private: bool = False


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


def _feed_for(key: tuple[Hashable, ...], make: Callable[[], Feed]) -> Feed:
    return FEEDS.get_or_make((_base_url(), *key), make)


def _make_feed(
    panels: Sequence[Panel],
    *,
    stamp: datetime,
    uid: str,
    name: str,
    description: str,
    url: str,
    filename: str,
    private: bool = False,
    include_join_link: bool = False,
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
    )
    etag = '"' + hashlib.sha256(body).hexdigest()[:40] + '"'
    return Feed(body, etag, stamp, filename, private)


def _panel_loading() -> tuple[object, ...]:
    """Roles, people, institutions and member states of panels: one query."""
    return (
        selectinload(Panel.roles).options(
            joinedload(PanelPerson.person).options(
                joinedload(Person.institution), joinedload(Person.member)
            )
        ),
    )


def _published(column: ColumnElement[ConferenceStatus]) -> ColumnElement[bool]:
    return column != ConferenceStatus.DRAFT


# Conference


def conference_feed(slug: str) -> Feed | None:
    """All panels of a published or cancelled conference; None for drafts and unknown slugs."""
    count = (
        select(func.count(Panel.id)).where(Panel.conference_id == Conference.id).scalar_subquery()
    )
    latest = (
        select(func.max(Panel.updated_at))
        .where(Panel.conference_id == Conference.id)
        .scalar_subquery()
    )
    row = db.session.execute(
        select(Conference.id, Conference.updated_at, count, latest).where(
            Conference.slug == slug, _published(Conference.status)
        )
    ).one_or_none()
    if row is None:
        return None
    conference_id, updated_at, count, panel_updated = row
    stamp = _latest(updated_at, panel_updated)
    return _feed_for(
        ("conference", conference_id, count, stamp, panel_updated, updated_at),
        lambda: _render_conference(conference_id, stamp),
    )


def _render_conference(conference_id: int, stamp: datetime) -> Feed:
    conference = db.session.scalar(
        select(Conference)
        .where(Conference.id == conference_id)
        .options(selectinload(Conference.panels).options(*_panel_loading()))
        .execution_options(populate_existing=True)
    )
    assert conference is not None
    return _make_feed(
        conference.panels,
        stamp=stamp,
        uid=f"conference-{conference.id}@{_domain()}",
        name=conference.title,
        description=conference.theme,
        url=ical.conference_page_url(conference, _base_url()),
        filename=f"{conference.slug}.ics",
    )


# One panel


def panel_feed(slug: str, panel_id: int) -> Feed | None:
    row = db.session.execute(
        select(Conference.id, Conference.updated_at, Panel.updated_at)
        .join(Panel, Panel.conference_id == Conference.id)
        .where(Conference.slug == slug, Panel.id == panel_id, _published(Conference.status))
    ).one_or_none()
    if row is None:
        return None
    _, conference_updated, panel_updated = row
    stamp = _latest(conference_updated, panel_updated)
    return _feed_for(
        ("panel", panel_id, conference_updated, panel_updated),
        lambda: _render_panel(panel_id, stamp),
    )


def _render_panel(panel_id: int, stamp: datetime) -> Feed:
    panel = db.session.scalar(
        select(Panel)
        .where(Panel.id == panel_id)
        .options(joinedload(Panel.conference), *_panel_loading())
        .execution_options(populate_existing=True)
    )
    assert panel is not None
    conference = panel.conference
    return _make_feed(
        [panel],
        stamp=stamp,
        uid=f"panel-feed-{panel.id}@{_domain()}",
        name=f"{panel.title} ({conference.title})",
        description=panel.theme,
        url=ical.conference_page_url(conference, _base_url()) + f"#panel-{panel.id}",
        filename=f"{conference.slug}-panel-{panel.id}.ics",
    )


# A series and all conferences


def _conferences_version(*where: ColumnElement[bool]) -> tuple[Hashable, ...]:
    row = db.session.execute(
        select(
            func.count(func.distinct(Conference.id)),
            func.max(Conference.updated_at),
            func.count(Panel.id),
            func.max(Panel.updated_at),
        )
        .select_from(Conference)
        .outerjoin(Panel, Panel.conference_id == Conference.id)
        .where(_published(Conference.status), *where)
    ).one()
    return tuple(row)


def _published_conferences(*where: ColumnElement[bool]) -> list[Conference]:
    return list(
        db.session.scalars(
            select(Conference)
            .where(_published(Conference.status), *where)
            .options(
                joinedload(Conference.series),
                selectinload(Conference.panels).options(*_panel_loading()),
            )
            .order_by(Conference.starts_at, Conference.id)
            .execution_options(populate_existing=True)
        )
    )


def series_feed(slug: str) -> Feed | None:
    """Every panel of every published or cancelled conference of a series."""
    in_series = (Conference.series_id == Series.id, _published(Conference.status))
    row = db.session.execute(
        select(
            Series.id,
            Series.updated_at,
            select(func.count(Conference.id)).where(*in_series).scalar_subquery(),
            select(func.max(Conference.updated_at)).where(*in_series).scalar_subquery(),
            select(func.count(Panel.id))
            .join(Conference, Conference.id == Panel.conference_id)
            .where(*in_series)
            .scalar_subquery(),
            select(func.max(Panel.updated_at))
            .join(Conference, Conference.id == Panel.conference_id)
            .where(*in_series)
            .scalar_subquery(),
        ).where(Series.slug == slug)
    ).one_or_none()
    if row is None:
        return None
    series_id, series_updated, _, conferences_updated, _, panels_updated = row
    stamp = _latest(series_updated, conferences_updated, panels_updated)
    return _feed_for(("series", *row), lambda: _render_series(series_id, stamp))


def _render_series(series_id: int, stamp: datetime) -> Feed:
    conferences = _published_conferences(Conference.series_id == series_id)
    series = db.session.get_one(Series, series_id)  # joined with the conferences: no query
    return _make_feed(
        [panel for conference in conferences for panel in conference.panels],
        stamp=stamp,
        uid=f"series-{series.id}@{_domain()}",
        name=series.name,
        description=series.description,
        url="",
        filename=f"{series.slug}.ics",
    )


def all_conferences_feed() -> Feed:
    """Every panel of every published or cancelled conference."""
    version = _conferences_version()
    stamp = _latest(version[1], version[3])
    return _feed_for(("all", *version), lambda: _render_all(stamp))


def _render_all(stamp: datetime) -> Feed:
    conferences = _published_conferences()
    return _make_feed(
        [panel for conference in conferences for panel in conference.panels],
        stamp=stamp,
        uid=f"all-conferences@{_domain()}",
        name="CICA conferences",
        description="Every published CICA conference and Think Tank Forum meeting.",
        url=_base_url() + "/",
        filename="cica-conferences.ics",
    )


# Personal feeds


def feed_key(registration: Registration) -> str:
    """The secret part of a personal feed's URL."""
    return f"{registration.id}.{registration.feed_token}"


def _registration_id(key: str) -> tuple[int, bytes] | None:
    number, _, token = key.partition(".")
    if not number.isdigit() or not token or len(number) > 12:
        return None
    return int(number), token.encode("utf-8", "replace")


def personal_feed(key: str) -> Feed | None:
    """The panels a registration attends, with join links once approved; None if the key fails."""
    parsed = _registration_id(key)
    if parsed is None:
        return None
    registration_id, token = parsed
    row = db.session.execute(
        select(
            Registration.feed_token,
            Registration.status,
            Registration.updated_at,
            func.count(Panel.id),
            func.max(Panel.updated_at),
            func.max(Conference.updated_at),
        )
        .select_from(Registration)
        .outerjoin(RegistrationPanel, RegistrationPanel.registration_id == Registration.id)
        .outerjoin(Panel, Panel.id == RegistrationPanel.panel_id)
        .outerjoin(Conference, Conference.id == Panel.conference_id)
        .where(Registration.id == registration_id)
        .group_by(Registration.id)
    ).one_or_none()
    if row is None or not hmac.compare_digest(row[0].encode(), token):
        return None
    _token, _status, registration_updated, _count, panels_updated, conferences_updated = row
    stamp = _latest(registration_updated, panels_updated, conferences_updated)
    return _feed_for(
        ("personal", registration_id, *row),
        lambda: _render_personal(registration_id, stamp),
    )


def _render_personal(registration_id: int, stamp: datetime) -> Feed:
    registration = db.session.get_one(
        Registration,
        registration_id,
        options=[joinedload(Registration.conference)],
        populate_existing=True,
    )
    panels: list[Panel] = []
    if registration.is_active:
        panels = list(
            db.session.scalars(
                select(Panel)
                .join(RegistrationPanel, RegistrationPanel.panel_id == Panel.id)
                .join(Conference, Conference.id == Panel.conference_id)
                .where(
                    RegistrationPanel.registration_id == registration_id,
                    _published(Conference.status),
                )
                .options(joinedload(Panel.conference), *_panel_loading())
                .execution_options(populate_existing=True)
            ).unique()
        )
    conference = registration.conference
    return _make_feed(
        panels,
        stamp=stamp,
        uid=f"personal-{registration.id}@{_domain()}",
        name=f"{conference.title}: my programme",
        description=f"The sessions {registration.name} attends.",
        url="",
        filename=f"{conference.slug}-my-programme.ics",
        private=True,
        include_join_link=registration.status == RegistrationStatus.APPROVED,
    )


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
