"""The mail about one panel for one attendee: times, place, bodies and the iMIP calendar.

`calendars.itip` is the composer a worker calls for the calendar messages queued by
`messages` (the outbox holds only their intent); reminders use the same bodies.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from flask import current_app

from registration.calendars.ical import join_link
from registration.calendars.itip import CANCEL, itip_calendar
from registration.conferences.models import Panel
from registration.database import db, utcnow
from registration.mail.compose import CalendarPart, Mail, render_mail
from registration.mail.composers import composes
from registration.mail.models import MailStatus, OutgoingMail
from registration.signed_tokens import personal_join_url
from registration.signup.models import AttendanceMode, Registration

ITIP = "calendars.itip"


def times(panel: Panel) -> dict[str, str]:
    """Start and end in the conference's time zone and in UTC, for mail bodies."""
    conference = panel.conference
    local_start, local_end = conference.local(panel.starts_at), conference.local(panel.ends_at)
    utc_start, utc_end = panel.starts_at.astimezone(UTC), panel.ends_at.astimezone(UTC)
    offset = local_start.strftime("%z")
    return {
        "date": local_start.strftime("%A %d %B %Y"),
        "local": f"{local_start:%H:%M} - {local_end:%H:%M} {conference.timezone} "
        f"(UTC{offset[:3]}:{offset[3:]})",
        "utc": f"{utc_start:%d %B %Y, %H:%M} - {utc_end:%H:%M} UTC",
    }


def personal_link(registration: Registration, panel: Panel) -> str:
    """The attendee's own join link (it records the join); empty while the panel has none."""
    return personal_join_url(registration.id, panel.id) if join_link(panel) else ""


def _place(registration: Registration, panel: Panel, online: bool) -> str:
    conference = panel.conference
    if online:
        return personal_link(registration, panel) or "Online (the join link will follow)"
    return ", ".join(p for p in (panel.room, conference.venue, conference.city) if p)


def panel_mail(
    registration: Registration,
    panel: Panel,
    kind: str,
    calendar: CalendarPart | None = None,
    online: bool | None = None,
) -> Mail:
    """Text and HTML bodies about one panel for one attendee, with an optional calendar;
    `online` says how they attend (default: their registration's mode now)."""
    if online is None:
        online = registration.mode == AttendanceMode.ONLINE
    when = times(panel)
    context = {
        "registration": registration,
        "panel": panel,
        "conference": panel.conference,
        "kind": kind,
        "times": when,
        "place": _place(registration, panel, online),
        "online": online,
        "page_url": f"{current_app.config['BASE_URL']}/conferences/{panel.conference.slug}",
    }
    return Mail(
        to=registration.email,
        subject=f"{kind}: {panel.title} — {when['date']}",
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
    config = current_app.config
    online = intent.get("mode", registration.mode.value) == AttendanceMode.ONLINE.value
    ics = itip_calendar(
        panel,
        method=method,
        attendee_email=registration.email,
        attendee_name=registration.name,
        online=online,
        organizer=config["MAIL_DEFAULT_SENDER"],
        base_url=config["BASE_URL"],
        stamp=utcnow(),
        sequence=intent["sequence"],
        join_url=personal_link(registration, panel) if online else "",
    )
    if method == CANCEL:
        kind = "Cancelled"
    elif _invited_before(intent["thread"], intent["update"]):
        kind = "Updated"
    else:
        kind = "Invitation"
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
