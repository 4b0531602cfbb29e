"""Where to get a feed: download, webcal, Google and Outlook links, and the rotate form."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from flask import current_app
from flask_babel import gettext

from registration.calendars.services import ALL_NAME, PERSONAL_NAME, feed_key
from registration.conferences.models import Conference, Panel, Series
from registration.i18n import in_language, page_language, translate
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


def subscribe_links(path: str, name: str, rotate: str = "", language: str = "en") -> SubscribeLinks:
    """Download, webcal, Google and Outlook links for the feed at `path` (e.g. '/calendar.ics');
    a public feed in another language than English is asked for in it (?lang=)."""
    feed = current_app.config["BASE_URL"] + path
    if language != "en":
        feed += f"?lang={language}"
    rest = feed.partition("://")[2]
    webcal = f"webcal://{rest}"
    return SubscribeLinks(
        name=name,
        feed=feed,
        download=f"{feed}{'&' if '?' in feed else '?'}download=1",
        webcal=webcal,
        google="https://calendar.google.com/calendar/r?" + urlencode({"cid": webcal}),
        outlook="https://outlook.live.com/calendar/0/addfromweb?"
        + urlencode({"url": feed, "name": name}, quote_via=quote),
        rotate=rotate,
    )


def conference_links(conference: Conference) -> SubscribeLinks:
    """The conference's feed in the page's language."""
    language = page_language()
    return subscribe_links(
        f"/conferences/{conference.slug}/calendar.ics",
        conference.text_in("title", language),
        language=language,
    )


def panel_links(panel: Panel) -> SubscribeLinks:
    conference = panel.conference
    language = page_language()
    return subscribe_links(
        f"/conferences/{conference.slug}/panels/{panel.id}/calendar.ics",
        panel.text_in("title", language),
        language=language,
    )


def series_links(series: Series) -> SubscribeLinks:
    language = page_language()
    return subscribe_links(
        f"/series/{series.slug}/calendar.ics", series.text_in("name", language), language=language
    )


def all_conferences_links() -> SubscribeLinks:
    language = page_language()
    return subscribe_links("/calendar.ics", translate(ALL_NAME), language=language)


def personal_links(registration: Registration) -> SubscribeLinks:
    """A participant's private feed links, with the path of the form that rotates the token."""
    key = feed_key(registration)
    with in_language(registration.mail_language) as language:
        title = registration.conference.text_in("title", language)
        name = gettext(PERSONAL_NAME, title=title)
    return subscribe_links(
        f"/calendar/personal/{key}.ics", name, rotate=f"/calendar/personal/{key}/rotate"
    )
