"""Where to get a feed: download, webcal, Google and Outlook links, and the rotate form."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from flask import current_app

from registration.calendars.services import feed_key
from registration.conferences.models import Conference, Panel, Series
from registration.signup.models import Registration


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


def subscribe_links(path: str, name: str, rotate: str = "") -> SubscribeLinks:
    """Download, webcal, Google and Outlook links for the feed at `path` (e.g. '/calendar.ics')."""
    feed = current_app.config["BASE_URL"] + path
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
