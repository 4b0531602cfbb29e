"""Calendar mail that other capabilities queue inside their transactions.

Each function adds outbox rows (no commit) and returns how many. Idempotency keys carry the
registration, the panel and its iCalendar SEQUENCE, so calling one twice for the same state
queues nothing more, while a change that raised the SEQUENCE queues the update.
Attendees of a panel: approved registrations linked to it, or with no panel chosen (they
attend the whole conference; breaks excluded).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import exists, or_

from registration.calendars.ical import join_link, panel_is_cancelled, panel_sequence
from registration.calendars.itip import CANCEL, REQUEST, itip_calendar
from registration.conferences.models import Conference, Panel, PanelKind
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


def _key(registration: Registration, panel: Panel, kind: str) -> str:
    return f"itip:{registration.id}:panel-{panel.id}:{kind}:{panel_sequence(panel)}"


def panels_of(registration: Registration) -> list[Panel]:
    """The panels a registration attends: those chosen, else all but breaks."""
    chosen = registration.panels
    if chosen:
        return chosen
    return [p for p in registration.conference.panels if p.kind != PanelKind.BREAK]


def attendees_of(panel: Panel) -> list[Registration]:
    """Approved registrations attending this panel."""
    linked = exists().where(
        RegistrationPanel.registration_id == Registration.id,
        RegistrationPanel.panel_id == panel.id,
    )
    chose_none = ~exists().where(RegistrationPanel.registration_id == Registration.id)
    whole_conference = chose_none if panel.kind != PanelKind.BREAK else False
    query = db.select(Registration).where(
        Registration.conference_id == panel.conference_id,
        Registration.status == RegistrationStatus.APPROVED,
        or_(linked, whole_conference),
    )
    return list(db.session.scalars(query.order_by(Registration.id)))


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


def _place(panel: Panel, online: bool) -> str:
    conference = panel.conference
    if online:
        return join_link(panel) or "Online (the join link will follow)"
    return ", ".join(p for p in (panel.room, conference.venue, conference.city) if p)


def panel_mail(registration: Registration, panel: Panel, method: str) -> Mail:
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
    )
    if method == CANCEL:
        kind = "Cancelled"
    elif panel_sequence(panel) > 0:
        kind = "Updated"
    else:
        kind = "Invitation"
    return _panel_mail(registration, panel, kind, CalendarPart(method=method, ics=ics))


def _queue(registration: Registration, panel: Panel, method: str) -> bool:
    kind = "request" if method == REQUEST else "cancel"
    row = queue_mail(
        panel_mail(registration, panel, method),
        key=_key(registration, panel, kind),
        batch=calendar_batch(panel.conference_id),
    )
    return row is not None


def _was_invited(registration: Registration, panel: Panel) -> bool:
    prefix = f"itip:{registration.id}:panel-{panel.id}:request:"
    return (
        db.session.scalar(
            db.select(OutgoingMail.id)
            .where(OutgoingMail.idempotency_key.startswith(prefix, autoescape=True))
            .limit(1)
        )
        is not None
    )


def registration_approved(registration: Registration) -> int:
    """A calendar REQUEST for each panel the newly approved participant attends."""
    if registration.id is None:
        db.session.flush()
    return sum(
        _queue(registration, panel, REQUEST)
        for panel in panels_of(registration)
        if not panel_is_cancelled(panel)
    )


def registration_withdrawn(registration: Registration) -> int:
    """A CANCEL for each panel this participant had been invited to."""
    return panels_dropped(registration, panels_of(registration))


def panels_dropped(registration: Registration, panels: Iterable[Panel]) -> int:
    """A CANCEL for each of these panels the participant had been invited to and left."""
    return sum(
        _queue(registration, panel, CANCEL)
        for panel in panels
        if not panel_is_cancelled(panel) and _was_invited(registration, panel)
    )


def panel_changed(panel: Panel, schedule_or_location_changed: bool) -> int:
    """An update (same UID, the raised SEQUENCE) to every attendee when time or place moved."""
    if not schedule_or_location_changed or panel_is_cancelled(panel):
        return 0
    return sum(_queue(registration, panel, REQUEST) for registration in attendees_of(panel))


def panel_cancelled(panel: Panel) -> int:
    """METHOD:CANCEL with STATUS:CANCELLED to every attendee of the panel."""
    return sum(_queue(registration, panel, CANCEL) for registration in attendees_of(panel))


def conference_cancelled(conference: Conference) -> int:
    return sum(panel_cancelled(panel) for panel in conference.panels)


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
        "place": _place(panel, online),
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
