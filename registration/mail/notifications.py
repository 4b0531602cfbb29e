"""Calendar mail that other capabilities queue inside their transactions.

Each function adds outbox rows (no commit) and returns how many. A message is queued unless
the attendee's last one about the panel said the same: same method, same panel SEQUENCE and,
for a REQUEST, the same attendance mode. So calling one twice queues nothing more, while a
moved panel, an invitation after a cancellation (a re-approval, a panel chosen again) or a
switch between in person and online queues a new one. The SEQUENCE an attendee receives is
the panel's, raised past the last one they received where needed, so every message outranks
the one before in their calendar. Idempotency keys carry that state and SEQUENCE.
Attendees of a panel: approved registrations linked to it, or with no panel chosen (they
attend the whole conference; breaks excluded).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import exists, false, or_
from sqlalchemy.sql.elements import ColumnElement

from registration.attendance.tokens import personal_join_url
from registration.calendars.ical import join_link, panel_is_cancelled, panel_sequence
from registration.calendars.itip import CANCEL, REQUEST, itip_calendar
from registration.conferences.models import Panel, PanelKind
from registration.database import db, utcnow
from registration.mail.compose import CalendarPart, Mail, render_mail
from registration.mail.models import OutgoingMail
from registration.mail.outbox import queue_mail
from registration.signup.models import (
    AttendanceMode,
    Registration,
    RegistrationPanel,
    RegistrationStatus,
)


def calendar_batch(conference_id: int) -> str:
    return f"conference-{conference_id}-calendar"


def reminder_batch(conference_id: int) -> str:
    return f"conference-{conference_id}-reminders"


@dataclass
class LastMessage:
    """The last calendar message one attendee had about one panel."""

    state: str = ""  # 'request:<panel SEQUENCE>:<mode>' or 'cancel:<panel SEQUENCE>'
    sequence: int = -1  # the SEQUENCE it carried

    @property
    def invited(self) -> bool:
        return self.state.startswith("request:")

    def says(self, state: str) -> bool:
        """Whether this message said `state` already. A request key written before the mode
        was part of the state ('request:<SEQUENCE>') says the same for either mode."""
        if state == self.state:
            return True
        legacy = self.invited and self.state.count(":") == 1
        return legacy and state.rsplit(":", 1)[0] == self.state


def _prefix(registration: Registration) -> str:
    return f"itip:{registration.id}:panel-"


def _read_keys(keys: Iterable[str]) -> dict[tuple[int, int], LastMessage]:
    """Keys `itip:<registration>:panel-<id>:<state>:s<SEQUENCE sent>`, oldest first, as the
    last message per (registration, panel). Keys written before the SEQUENCE was part of them
    end with the state, whose second field is the SEQUENCE."""
    last: dict[tuple[int, int], LastMessage] = {}
    for key in keys:
        fields = key.split(":")
        message = LastMessage()
        if fields[-1].startswith("s"):
            message.sequence = int(fields[-1][1:])
            fields = fields[:-1]
        else:
            message.sequence = int(fields[4])
        message.state = ":".join(fields[3:])
        last[(int(fields[1]), int(fields[2].removeprefix("panel-")))] = message
    return last


def last_messages(registration: Registration) -> dict[int, LastMessage]:
    """Per panel id, the last calendar message this registration had, in one query."""
    keys = db.session.scalars(
        db.select(OutgoingMail.idempotency_key)
        .where(OutgoingMail.idempotency_key.startswith(_prefix(registration), autoescape=True))
        .order_by(OutgoingMail.id)
    )
    return {panel_id: message for (_, panel_id), message in _read_keys(keys).items()}


def last_messages_about(panel: Panel) -> dict[int, LastMessage]:
    """Per registration id, the last calendar message about this panel, in one query."""
    keys = db.session.scalars(
        db.select(OutgoingMail.idempotency_key)
        .where(OutgoingMail.idempotency_key.like(f"itip:%:panel-{panel.id}:%"))
        .order_by(OutgoingMail.id)
    )
    return {registration_id: message for (registration_id, _), message in _read_keys(keys).items()}


def _state(registration: Registration, panel: Panel, kind: str) -> str:
    state = f"{kind}:{panel_sequence(panel)}"
    return f"{state}:{registration.mode.value}" if kind == "request" else state


def _sequence(panel: Panel, last: LastMessage) -> int:
    """The panel's SEQUENCE, raised past the last one this attendee received if need be."""
    return max(panel_sequence(panel), last.sequence + 1)


def panels_of(registration: Registration) -> list[Panel]:
    """The panels a registration attends: those chosen, else all but breaks."""
    chosen = registration.panels
    if chosen:
        return chosen
    return [p for p in registration.conference.panels if p.kind != PanelKind.BREAK]


def _attending(panel: Panel) -> list[ColumnElement[bool]]:
    """Approved registrations attending this panel."""
    linked = exists().where(
        RegistrationPanel.registration_id == Registration.id,
        RegistrationPanel.panel_id == panel.id,
    )
    chose_none = ~exists().where(RegistrationPanel.registration_id == Registration.id)
    whole_conference = chose_none if panel.kind != PanelKind.BREAK else false()
    return [
        Registration.conference_id == panel.conference_id,
        Registration.status == RegistrationStatus.APPROVED,
        or_(linked, whole_conference),
    ]


def attendees_of(panel: Panel) -> list[Registration]:
    """Approved registrations attending this panel."""
    query = db.select(Registration).where(*_attending(panel)).order_by(Registration.id)
    return list(db.session.scalars(query))


def attendee_ids(panel: Panel) -> list[int]:
    """The ids of `attendees_of(panel)`, in order."""
    query = db.select(Registration.id).where(*_attending(panel)).order_by(Registration.id)
    return list(db.session.scalars(query))


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


def panel_mail(registration: Registration, panel: Panel, method: str, last: LastMessage) -> Mail:
    """The iMIP message for one attendee: text and HTML bodies plus the calendar."""
    config = current_app.config
    online = registration.mode == AttendanceMode.ONLINE
    ics = itip_calendar(
        panel,
        method=method,
        attendee_email=registration.email,
        attendee_name=registration.name,
        online=online,
        organizer=config["MAIL_DEFAULT_SENDER"],
        base_url=config["BASE_URL"],
        stamp=utcnow(),
        sequence=_sequence(panel, last),
        join_url=personal_link(registration, panel) if online else "",
    )
    if method == CANCEL:
        kind = "Cancelled"
    elif last.invited:
        kind = "Updated"
    else:
        kind = "Invitation"
    return _panel_mail(registration, panel, kind, CalendarPart(method=method, ics=ics))


def _queue(
    registration: Registration,
    panel: Panel,
    method: str,
    last: LastMessage,
    batch: str | None = None,
) -> bool:
    """Queue the message unless the attendee's last one about this panel said the same."""
    kind = "request" if method == REQUEST else "cancel"
    state = _state(registration, panel, kind)
    if last.says(state):
        return False
    row = queue_mail(
        panel_mail(registration, panel, method, last),
        key=f"{_prefix(registration)}{panel.id}:{state}:s{_sequence(panel, last)}",
        batch=batch or calendar_batch(panel.conference_id),
    )
    return row is not None


def registration_approved(registration: Registration) -> int:
    """A calendar REQUEST for each panel the newly approved participant attends."""
    if registration.id is None:
        db.session.flush()
    sent = last_messages(registration)
    return sum(
        _queue(registration, panel, REQUEST, sent.get(panel.id, LastMessage()))
        for panel in panels_of(registration)
        if not panel_is_cancelled(panel)
    )


def registration_withdrawn(registration: Registration) -> int:
    """A CANCEL for each panel this participant had been invited to."""
    return panels_dropped(registration, panels_of(registration))


def panels_dropped(registration: Registration, panels: Iterable[Panel]) -> int:
    """A CANCEL for each of these panels the participant is invited to and left."""
    sent = last_messages(registration)
    return sum(
        _queue(registration, panel, CANCEL, sent[panel.id])
        for panel in panels
        if not panel_is_cancelled(panel) and panel.id in sent and sent[panel.id].invited
    )


def tell(panel: Panel, method: str, registration_ids: list[int], batch: str) -> int:
    """The REQUEST or CANCEL about this panel to these attendees, unless their last message
    about it said the same; returns how many were queued (no commit)."""
    sent = last_messages_about(panel)
    registrations = db.session.scalars(
        db.select(Registration)
        .where(Registration.id.in_(registration_ids))
        .order_by(Registration.id)
    )
    return sum(
        _queue(registration, panel, method, sent.get(registration.id, LastMessage()), batch)
        for registration in registrations
    )


def panel_cancelled(panel: Panel) -> int:
    """METHOD:CANCEL with STATUS:CANCELLED to every attendee of the panel."""
    sent = last_messages_about(panel)
    return sum(
        _queue(registration, panel, CANCEL, sent.get(registration.id, LastMessage()))
        for registration in attendees_of(panel)
    )


def queue_due_reminders(now: datetime | None = None) -> int:
    """A reminder before each panel starting within the lead time, once per attendee."""
    now = now or utcnow()
    lead = current_app.config["REMINDER_LEAD_MINUTES"]
    panels = db.session.scalars(
        db.select(Panel)
        .join(Panel.conference)
        .where(
            Panel.starts_at > now,
            Panel.starts_at <= now + timedelta(minutes=lead),
            Panel.kind != PanelKind.BREAK,
        )
        .order_by(Panel.starts_at)
    ).all()
    queued = 0
    for panel in panels:
        if panel_is_cancelled(panel) or not panel.conference.is_published:
            continue
        attendees = {f"reminder:{r.id}:panel-{panel.id}": r for r in attendees_of(panel)}
        done = set(
            db.session.scalars(
                db.select(OutgoingMail.idempotency_key).where(
                    OutgoingMail.idempotency_key.in_(attendees)
                )
            )
        )
        for key, registration in attendees.items():
            if key not in done:
                queue_mail(
                    reminder_mail(registration, panel),
                    key=key,
                    batch=reminder_batch(panel.conference_id),
                )
                queued += 1
    return queued


def reminder_mail(registration: Registration, panel: Panel) -> Mail:
    return _panel_mail(registration, panel, "Reminder")


def _panel_mail(
    registration: Registration, panel: Panel, kind: str, calendar: CalendarPart | None = None
) -> Mail:
    """Text and HTML bodies about one panel for one attendee, with an optional calendar."""
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
