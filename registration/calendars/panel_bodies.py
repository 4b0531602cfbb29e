"""The subject and bodies of the mail about one panel, rendered once per panel version.

The templates (`mail/panel.txt`, `mail/panel.html`) see of the attendee only `attendee.name`,
`attendee.email` and, for those who join online, `place` (their personal join link); the
rest is the panel's. So the bodies are rendered once per panel version, kind, mode and
language for a stand-in attendee, and each attendee's are the stand-in's with their values
put in its place (HTML-escaped in the HTML, as Jinja escapes them). Before a rendering is
kept, a second stand-in whose name and link need escaping is rendered and compared with
the first one filled in with its values: a template that uses a value some other way (a
filter, a new attendee field) fails the comparison and is then rendered per attendee.
`tests/test_panel_bodies.py` compares filled-in bodies with rendered ones.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC
from typing import NamedTuple

from flask import current_app
from flask_babel import gettext
from markupsafe import escape

from registration.calendars.cache import Locked, lru
from registration.calendars.itip_cache import TEMPLATE_SECONDS, panel_version
from registration.conferences.models import Panel
from registration.i18n import N_, format_clock, format_day, offset_label
from registration.mail.compose import render_mail

log = logging.getLogger(__name__)

# The subject of each kind of message about a panel.
SUBJECTS = {
    "Invitation": N_("Invitation: %(title)s — %(date)s"),
    "Updated": N_("Updated: %(title)s — %(date)s"),
    "Cancelled": N_("Cancelled: %(title)s — %(date)s"),
    "Reminder": N_("Reminder: %(title)s — %(date)s"),
}


class Attendee(NamedTuple):
    """What the bodies say of the person they go to."""

    name: str
    email: str
    link: str  # their personal join link ('' unless they join online and the panel has one)


_STAND_IN = Attendee(
    "Stand-in Name 7f3c", "stand-in-7f3c@stand-in.invalid", "https://s.invalid/7f3c"
)
_CHECK = Attendee(
    "Stand-in <b>\"Name\"</b> & '9d1e'",
    "stand-in-9d1e@x.invalid",
    "https://s.invalid/9d1e?a=1&b=<2>",
)
_SLOTS = re.compile("|".join(re.escape(value) for value in _STAND_IN if value))


@dataclass(frozen=True)
class Bodies:
    """A subject and the bodies written for `_STAND_IN` (unless `per_attendee`: then the
    bodies are rendered for each attendee)."""

    subject: str
    text: str = ""
    html: str = ""
    per_attendee: bool = False

    def fill(self, attendee: Attendee) -> tuple[str, str]:
        raw = dict(zip(_STAND_IN, attendee, strict=True))
        escaped = {stand_in: str(escape(value)) for stand_in, value in raw.items()}
        return (
            _SLOTS.sub(lambda found: raw[found.group(0)], self.text),
            _SLOTS.sub(lambda found: escaped[found.group(0)], self.html),
        )


_BODIES: Locked[Bodies] = lru(256, ttl=TEMPLATE_SECONDS)


def times(panel: Panel) -> dict[str, str]:
    """Start and end in the conference's time zone (with its id and offset) and in UTC, for
    mail bodies, in the language being written (Babel's dates)."""
    conference = panel.conference
    local_start, local_end = conference.local(panel.starts_at), conference.local(panel.ends_at)
    utc_start, utc_end = panel.starts_at.astimezone(UTC), panel.ends_at.astimezone(UTC)
    return {
        "date": format_day(local_start, "full"),
        "local": f"{format_clock(local_start)} - {format_clock(local_end)} "
        f"{conference.timezone} ({offset_label(local_start)})",
        "utc": f"{format_day(utc_start)}, {format_clock(utc_start)} - {format_clock(utc_end)} UTC",
    }


class Mailed(NamedTuple):
    """A subject and bodies for one attendee."""

    subject: str
    text: str
    html: str


def bodies(panel: Panel, kind: str, online: bool, language: str, attendee: Attendee) -> Mailed:
    """(subject, text, HTML) about the panel for this attendee, in `language` (the caller
    has switched to it)."""
    key = (panel.id, panel_version(panel), kind, online, language, bool(attendee.link))
    kept = _BODIES.get_or_make(key, lambda: _written(panel, kind, online, language, attendee))
    if kept.per_attendee:
        return Mailed(kept.subject, *render(panel, kind, online, language, attendee))
    return Mailed(kept.subject, *kept.fill(attendee))


def _written(panel: Panel, kind: str, online: bool, language: str, like: Attendee) -> Bodies:
    """The stand-in's bodies, if filling them in gives what rendering gives."""
    link = bool(like.link)
    stand_in = _STAND_IN if link else _STAND_IN._replace(link="")
    check = _CHECK if link else _CHECK._replace(link="")
    when = times(panel)
    title = panel.text_in("title", language)
    subject = gettext(SUBJECTS[kind], title=title, date=when["date"])
    written = Bodies(subject, *render(panel, kind, online, language, stand_in, when))
    if written.fill(check) != render(panel, kind, online, language, check, when):
        log.warning("the bodies of %s mail use the attendee in a way filling in cannot", kind)
        return Bodies(subject, per_attendee=True)
    return written


def render(
    panel: Panel,
    kind: str,
    online: bool,
    language: str,
    attendee: Attendee,
    when: dict[str, str] | None = None,
) -> tuple[str, str]:
    """The text and HTML bodies rendered for this attendee (`when`: the panel's `times`)."""
    conference = panel.conference
    base = current_app.config["BASE_URL"]
    if online:
        place = attendee.link or gettext("Online (the join link will follow)")
    else:
        parts = (
            panel.text_in("room", language),
            conference.text_in("venue", language),
            conference.text_in("city", language),
        )
        place = ", ".join(p for p in parts if p)
    context = {
        "attendee": attendee,
        "panel": panel,
        "conference": conference,
        "language": language,
        "kind": kind,
        "times": when or times(panel),
        "place": place,
        "online": online,
        "page_url": f"{base}/conferences/{conference.slug}?lang={language}",
    }
    return render_mail("mail/panel.txt", **context), render_mail("mail/panel.html", **context)
