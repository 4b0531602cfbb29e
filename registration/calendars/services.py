"""Calendar feeds: what each feed holds, its version key, its bytes, and the private tokens.

Every feed is answered in steps, each cached in-process:
1. One small query reads the feed's *version* (`versions`): an unchanged feed, and so a
   304, costs this one round trip. The feed's DTSTAMP and Last-Modified are the latest
   `updated_at` of the conference(s) and of the panels as loaded, so the bytes are the same
   as before this shortcut.
2. A new version reads the panels, their conferences, and the speakers and moderators of
   only the panels changed since they were last read (`loading`): three queries whatever
   the size.
3. Only new or changed panels are serialised (`render`, `serialise`: icalendar's bytes).
Cached feeds expire after `FEED_TTL` seconds, which picks up a change that moves no
`updated_at` (an edit made outside the services); the ETag is a digest of the bytes (of
each event's, made once with the event, and of the calendar's own lines: `render`), so it
changes whenever they do, and only then.

Personal feeds: the URL carries ``<registration id>.<feed_token>``. The registration is found
by its primary key and the token compared with `hmac.compare_digest`, so the time taken does
not depend on how much of a guessed token is right (a lookup by the token itself would go
through an index comparison). Rotating the token makes the old URL answer 404.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property, partial

from flask import current_app
from flask_babel import gettext
from werkzeug.http import http_date

from registration.calendars import ical, loading, render
from registration.calendars.cache import Locked, lru
from registration.calendars.loading import PanelRow, panel_rows
from registration.calendars.render import render_feed
from registration.calendars.versions import (
    ALL_VERSION,
    ATTENDED,
    PERSONAL_VERSION,
    PUBLISHED,
    conference_version,
    panel_version,
    read_version,
    series_version,
)
from registration.conferences.models import Conference, Panel
from registration.database import db
from registration.i18n import N_, in_language
from registration.signed_tokens import personal_join_url
from registration.signup.models import Registration, RegistrationStatus, new_token

FEED_TTL = 300.0
EMPTY_STAMP = datetime(2000, 1, 1, tzinfo=UTC)

# A 1,000-panel feed is about 1 MB: at most 128 feeds per worker process, one version of each.
FEEDS: Locked[tuple[tuple[Hashable, ...], Feed]] = lru(maxsize=128, ttl=FEED_TTL)


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
        """The response headers of this feed, made once."""
        headers = {
            "ETag": self.etag,
            "Last-Modified": http_date(self.last_modified),
            "Cache-Control": PRIVATE_CACHE if self.private else PUBLIC_CACHE,
        }
        if self.private:
            headers["Referrer-Policy"] = "no-referrer"
            headers["X-Robots-Tag"] = "noindex"
        return headers


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


def _feed_for(
    identity: tuple[Hashable, ...], version: Sequence[Hashable], make: Callable[[], Feed]
) -> Feed:
    """The feed kept for `identity` if it was made at `version` (the row `read_version`
    gave), else `make()`'s, kept in its place: one version a feed, so the bodies of a busy
    feed's earlier versions do not take the cache's places until they expire."""
    key, made_at = (_base_url(), *identity), tuple(version)
    kept = FEEDS.get(key)
    if kept is not None and kept[0] == made_at:
        return kept[1]
    feed = make()
    FEEDS.put(key, (made_at, feed))
    return feed


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
    languages: Sequence[str | None] = (None, None),
) -> Feed:
    """`languages`: those of the name and the description (None: no one known language)."""
    name_language, description_language = languages or (None, None)
    rendered = render_feed(
        panels,
        base_url=_base_url(),
        include_join_link=include_join_link,
        stamp=stamp,
        uid=uid,
        name=name,
        description=description,
        url=url,
        join_url_for=join_url_for,
        name_language=name_language,
        description_language=description_language,
    )
    return Feed(rendered.body, rendered.etag, stamp, filename, private)


def clear_caches() -> None:
    """Forget every feed, panel's people and serialised event, as a new process would (what
    the tests and the benchmark's cold case start from)."""
    FEEDS.clear()
    loading.PEOPLE.clear()
    render.clear_caches()


# Conference


def conference_feed(slug: str, language: str | None = None) -> Feed | None:
    """All panels of a published or cancelled conference (in `language` if given); None for
    drafts and unknown slugs."""
    # The version row's title and theme are in `language` (the feed's name and description),
    # then, in a feed in a language, the languages they are in.
    row = read_version(conference_version(language), slug=slug)
    if row is None:
        return None
    conference_id, updated_at, _, _, title, theme, *languages = row

    def make() -> Feed:
        panels = panel_rows(Conference.id == conference_id, language=language)
        return _make_feed(
            panels,
            stamp=_latest(updated_at, _panels_updated(panels)),
            uid=f"conference-{conference_id}@{_domain()}",
            name=title,
            description=theme,
            url=f"{_base_url()}/conferences/{slug}",
            filename=f"{slug}.ics",
            languages=languages,
        )

    return _feed_for(("conference", language, slug), row, make)


# One panel


def panel_feed(slug: str, panel_id: int, language: str | None = None) -> Feed | None:
    row = read_version(panel_version(language), slug=slug, panel_id=panel_id)
    if row is None:
        return None
    conference_updated, panel_updated, title, conference_title, theme, *languages = row
    stamp = _latest(conference_updated, panel_updated)
    # The name is the panel's title and the conference's: one language if both are in it.
    title_language, conference_language, theme_language = languages or (None, None, None)
    same = title_language if title_language == conference_language else None

    def make() -> Feed:
        return _make_feed(
            panel_rows(Panel.id == panel_id, language=language),
            stamp=stamp,
            uid=f"panel-feed-{panel_id}@{_domain()}",
            name=f"{title} ({conference_title})",
            description=theme,
            url=f"{_base_url()}/conferences/{slug}#panel-{panel_id}",
            filename=f"{slug}-panel-{panel_id}.ics",
            languages=(same, theme_language),
        )

    return _feed_for(("panel", language, slug, panel_id), row, make)


# A series and all conferences


def series_feed(slug: str, language: str | None = None) -> Feed | None:
    """Every panel of every published or cancelled conference of a series."""
    row = read_version(series_version(language), slug=slug)
    if row is None:
        return None
    series_id, series_updated, _, conferences_updated, name, description, *languages = row

    def make() -> Feed:
        panels = panel_rows(Conference.series_id == series_id, PUBLISHED, language=language)
        return _make_feed(
            panels,
            stamp=_latest(series_updated, conferences_updated, _panels_updated(panels)),
            uid=f"series-{series_id}@{_domain()}",
            name=name,
            description=description,
            url="",
            filename=f"{slug}.ics",
            languages=languages,
        )

    return _feed_for(("series", language, slug), row, make)


ALL_NAME = N_("CICA conferences")
ALL_DESCRIPTION = N_("Every published CICA conference and Think Tank Forum meeting.")
PERSONAL_NAME = N_("%(title)s: my programme")
PERSONAL_DESCRIPTION = N_("The sessions you registered for.")


def all_conferences_feed(language: str | None = None) -> Feed:
    """Every panel of every published or cancelled conference."""
    version = read_version(ALL_VERSION)
    assert version is not None

    def make() -> Feed:
        panels = panel_rows(PUBLISHED, language=language)
        with in_language(language or "en"):
            name, description = gettext(ALL_NAME), gettext(ALL_DESCRIPTION)
        return _make_feed(
            panels,
            stamp=_latest(version[1], _panels_updated(panels)),
            uid=f"all-conferences@{_domain()}",
            name=name,
            description=description,
            url=_base_url() + "/",
            filename="cica-conferences.ics",
            languages=(language, language),  # the catalogue's words: in `language` if asked
        )

    return _feed_for(("all", language), version, make)


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
    row = read_version(PERSONAL_VERSION, registration_id=registration_id)
    if row is None or not hmac.compare_digest(row[0].encode(), token):
        return None
    _, status, updated_at, _, panels_updated, conferences_updated, title, slug, language, main = row
    stamp = _latest(updated_at, panels_updated, conferences_updated)
    active = status not in {RegistrationStatus.REJECTED, RegistrationStatus.WITHDRAWN}
    approved = status == RegistrationStatus.APPROVED

    def make() -> Feed:
        """In the person's mail language, like their mail."""
        with in_language(language) as code:
            rows = (
                panel_rows(*ATTENDED, registration_id=registration_id, language=code)
                if active
                else []
            )
            shown = rows[0].conference.title if rows else title  # one conference's panels
            name = gettext(PERSONAL_NAME, title=shown)
            description = gettext(PERSONAL_DESCRIPTION)
        # The title is in the person's language if translated (or written) in it.
        in_code = shown != title or main == code
        return _make_feed(
            rows,
            stamp=stamp,
            uid=f"personal-{registration_id}@{_domain()}",
            name=name,
            description=description,
            url="",
            filename=f"{slug}-my-programme.ics",
            private=True,
            languages=(code if in_code else None, code),
            include_join_link=approved,
            join_url_for=partial(personal_join_url, registration_id) if approved else None,
        )

    return _feed_for(("personal", registration_id), row, make)


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
