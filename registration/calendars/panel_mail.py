"""The mail about one panel for one attendee: times, place, bodies and the iMIP calendar.

`calendars.itip` is the composer a worker calls for the calendar messages queued by
`messages` (the outbox holds only their intent); reminders use the same bodies.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from flask import current_app
from flask_babel import gettext

from registration.calendars.ical import join_link
from registration.calendars.itip import CANCEL
from registration.calendars.itip_cache import attendee_calendar
from registration.conferences.models import Panel
from registration.database import db, utcnow
from registration.i18n import N_, format_clock, format_day, in_language, offset_label
from registration.mail.compose import CalendarPart, Mail, render_mail
from registration.mail.composers import composes
from registration.mail.models import MailStatus, OutgoingMail
from registration.signed_tokens import personal_join_url
from registration.signup.models import AttendanceMode, Registration

ITIP = "calendars.itip"
# The subject of each kind of message about a panel.
SUBJECTS = {
    "Invitation": N_("Invitation: %(title)s — %(date)s"),
    "Updated": N_("Updated: %(title)s — %(date)s"),
    "Cancelled": N_("Cancelled: %(title)s — %(date)s"),
    "Reminder": N_("Reminder: %(title)s — %(date)s"),
}


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


def personal_link(registration: Registration, panel: Panel) -> str:
    """The attendee's own join link (it records the join); empty while the panel has none."""
    return personal_join_url(registration.id, panel.id) if join_link(panel) else ""


def _place(registration: Registration, panel: Panel, online: bool, language: str) -> str:
    conference = panel.conference
    if online:
        return personal_link(registration, panel) or gettext("Online (the join link will follow)")
    parts = (
        panel.text_in("room", language),
        conference.text_in("venue", language),
        conference.text_in("city", language),
    )
    return ", ".join(p for p in parts if p)


def panel_mail(
    registration: Registration,
    panel: Panel,
    kind: str,
    calendar: CalendarPart | None = None,
    online: bool | None = None,
) -> Mail:
    """Text and HTML bodies about one panel for one attendee, with an optional calendar, in
    their mail language; `online` says how they attend (default: their registration's mode)."""
    if online is None:
        online = registration.mode == AttendanceMode.ONLINE
    with in_language(registration.mail_language) as language:
        when = times(panel)
        context = {
            "registration": registration,
            "panel": panel,
            "conference": panel.conference,
            "language": language,
            "kind": kind,
            "times": when,
            "place": _place(registration, panel, online, language),
            "online": online,
            "page_url": f"{current_app.config['BASE_URL']}/conferences/{panel.conference.slug}",
        }
        title = panel.text_in("title", language)
        return Mail(
            to=registration.email,
            subject=gettext(SUBJECTS[kind], title=title, date=when["date"]),
            text=render_mail("mail/panel.txt", **context),
            html=render_mail("mail/panel.html", **context),
            calendar=calendar,
        )


@composes(ITIP)
def itip_mail(intent: dict[str, Any]) -> Mail | None:
    """The iMIP message of an intent {registration, panel, method, sequence, thread, mode}:
    the panel as it is when the message goes, with the SEQUENCE and mode queued."""
    registration = db.session.get(Registration, intent["registration"])
    panel = db.session.get(Panel, intent["panel"])
    if registration is None or panel is None:
        return None
    method = intent["method"]
    online = intent.get("mode", registration.mode.value) == AttendanceMode.ONLINE.value
    if method == CANCEL:
        kind = "Cancelled"
    elif _invited_before(intent["thread"], intent["update"]):
        kind = "Updated"
    else:
        kind = "Invitation"
    return itip_message(registration, panel, method, intent["sequence"], online, kind)


def itip_message(
    registration: Registration, panel: Panel, method: str, sequence: int, online: bool, kind: str
) -> Mail:
    """One attendee's iMIP message about a panel, in their mail language: bodies, calendar."""
    config = current_app.config
    with in_language(registration.mail_language) as language:
        ics = attendee_calendar(
            panel,
            method=method,
            attendee_email=registration.email,
            attendee_name=registration.name,
            online=online,
            organizer=config["MAIL_DEFAULT_SENDER"],
            base_url=config["BASE_URL"],
            stamp=utcnow(),
            sequence=sequence,
            join_url=personal_link(registration, panel) if online else "",
            language=language,
        )
    return panel_mail(registration, panel, kind, CalendarPart(method=method, ics=ics), online)


def _invited_before(thread: str, queued_as_update: bool) -> bool:
    """Whether this REQUEST updates an invitation the attendee has: it was queued as an
    update, unless nothing of its thread was sent and the invitation was superseded before
    it went (then this REQUEST is their invitation)."""
    if not queued_as_update:
        return False
    statuses = set(
        db.session.scalars(
            db.select(OutgoingMail.status)
            .where(
                OutgoingMail.thread == thread,
                OutgoingMail.status.in_((MailStatus.SENT, MailStatus.SUPERSEDED)),
            )
            .distinct()
        )
    )
    return MailStatus.SENT in statuses or MailStatus.SUPERSEDED not in statuses
