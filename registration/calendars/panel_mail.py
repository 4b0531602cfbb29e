"""The mail about one panel for one attendee: its bodies (`panel_bodies`) and iMIP calendar.

`calendars.itip` is the composer a worker calls for the calendar messages queued by
`messages` (the outbox holds only their intent); reminders use the same bodies.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy.orm import joinedload

from registration.calendars.ical import join_link
from registration.calendars.itip import CANCEL
from registration.calendars.itip_cache import attendee_calendar
from registration.calendars.panel_bodies import Attendee, bodies
from registration.conferences.models import Panel
from registration.database import db, utcnow
from registration.i18n import in_language
from registration.mail.compose import CalendarPart, Mail
from registration.mail.composers import composes
from registration.mail.models import MailStatus, OutgoingMail
from registration.signed_tokens import personal_join_url
from registration.signup.models import AttendanceMode, Registration

ITIP = "calendars.itip"
_INVITED_BEFORE = "calendars.invited_before"  # db.session.info: {thread: bool} of a batch


def personal_link(registration: Registration, panel: Panel) -> str:
    """The attendee's own join link (it records the join); empty while the panel has none."""
    return personal_join_url(registration.id, panel.id) if join_link(panel) else ""


def panel_mail(
    registration: Registration,
    panel: Panel,
    kind: str,
    calendar: CalendarPart | None = None,
    online: bool | None = None,
    link: str | None = None,
) -> Mail:
    """Text and HTML bodies about one panel for one attendee, with an optional calendar, in
    their mail language; `online` says how they attend (default: their registration's mode),
    `link` is their `personal_link` if known."""
    if online is None:
        online = registration.mode == AttendanceMode.ONLINE
    if link is None:
        link = personal_link(registration, panel) if online else ""
    with in_language(registration.mail_language) as language:
        attendee = Attendee(registration.name, registration.email, link)
        written = bodies(panel, kind, online, language, attendee)
    return Mail(
        to=registration.email,
        subject=written.subject,
        text=written.text,
        html=written.html,
        calendar=calendar,
    )


def _prepare(intents: list[dict[str, Any]]) -> list[object]:
    """A batch's registrations and panels (with their conferences) in two queries, and
    whether each update's attendee was invited before in one."""
    db.session.info.pop(_INVITED_BEFORE, None)
    registrations = db.session.scalars(
        db.select(Registration).where(Registration.id.in_({i["registration"] for i in intents}))
    ).all()
    panels = db.session.scalars(
        db.select(Panel)
        .where(Panel.id.in_({i["panel"] for i in intents}))
        .options(joinedload(Panel.conference))
    ).all()
    threads = [i["thread"] for i in intents if i.get("update")]
    db.session.info[_INVITED_BEFORE] = _invited_before(threads)
    return [registrations, panels]


@composes(ITIP, prepare=_prepare)
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
    elif intent["update"] and _was_invited(intent["thread"]):
        kind = "Updated"
    else:
        kind = "Invitation"
    return itip_message(registration, panel, method, intent["sequence"], online, kind)


def itip_message(
    registration: Registration, panel: Panel, method: str, sequence: int, online: bool, kind: str
) -> Mail:
    """One attendee's iMIP message about a panel, in their mail language: bodies, calendar."""
    config = current_app.config
    link = personal_link(registration, panel) if online else ""
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
            join_url=link,
            language=language,
        )
    calendar = CalendarPart(method=method, ics=ics)
    return panel_mail(registration, panel, kind, calendar, online, link)


def _was_invited(thread: str) -> bool:
    known = db.session.info.get(_INVITED_BEFORE, {})
    return known[thread] if thread in known else _invited_before([thread])[thread]


def _invited_before(threads: list[str]) -> dict[str, bool]:
    """Per thread of a REQUEST queued as an update, whether it updates an invitation the
    attendee has: yes, unless nothing of its thread was sent and the invitation was
    superseded before it went (then this REQUEST is their invitation)."""
    statuses: dict[str, set[MailStatus]] = {thread: set() for thread in threads}
    if threads:
        for thread, status in db.session.execute(
            db.select(OutgoingMail.thread, OutgoingMail.status)
            .where(
                OutgoingMail.thread.in_(threads),
                OutgoingMail.status.in_((MailStatus.SENT, MailStatus.SUPERSEDED)),
            )
            .distinct()
        ):
            statuses[thread].add(status)
    return {
        thread: MailStatus.SENT in seen or MailStatus.SUPERSEDED not in seen
        for thread, seen in statuses.items()
    }
