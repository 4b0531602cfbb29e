"""Calendar messages that follow what organisers and participants do.

Each function queues outbox intents (no commit; the worker composes them with
`panel_mail.itip_mail`) and returns how many. A message is queued unless the attendee's last
one about the panel (`CalendarNotice`, written in the same transaction as the message) said
the same: same method, same panel SEQUENCE and, for a REQUEST, the same attendance mode. So
calling one twice queues nothing more, while a moved panel, an invitation after a
cancellation (a re-approval, a panel chosen again) or a switch between in person and online
queues a new one. The SEQUENCE an attendee receives is the panel's, raised past the last one
they received where needed, so every message outranks the one before in their calendar; it
also orders the messages of one attendee about one panel in the outbox (a thread), so an
older one never arrives after a newer one.
Attendees of a panel: approved registrations linked to it, or with no panel chosen (they
attend the whole conference; breaks excluded).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, false, or_
from sqlalchemy.sql.elements import ColumnElement

from registration.calendars.ical import panel_is_cancelled, panel_sequence
from registration.calendars.itip import CANCEL, REQUEST
from registration.calendars.models import CalendarNotice
from registration.calendars.panel_mail import ITIP
from registration.conferences.models import Panel, PanelKind
from registration.database import db, upsert, utcnow
from registration.mail.outbox import queue_intent, queue_intents
from registration.signup.models import (
    AttendanceMode,
    Registration,
    RegistrationPanel,
    RegistrationStatus,
)
from registration.signup.places import panels_of


def calendar_batch(conference_id: int) -> str:
    return f"conference-{conference_id}-calendar"


@dataclass(frozen=True)
class LastMessage:
    """The last calendar message one attendee had about one panel (none: method '')."""

    method: str = ""
    panel_sequence: int = -1
    sequence: int = -1  # the SEQUENCE it carried
    mode: str | None = None

    @property
    def invited(self) -> bool:
        return self.method == REQUEST

    def says(self, method: str, panel_sequence: int, mode: str | None) -> bool:
        """Whether it said this already; a request recorded without a mode (before modes
        were part of the state) says the same for either mode."""
        same = self.method == method and self.panel_sequence == panel_sequence
        return same and (method == CANCEL or self.mode in (None, mode))


def _last(notices: Iterable[CalendarNotice]) -> Iterable[tuple[CalendarNotice, LastMessage]]:
    for n in notices:
        yield n, LastMessage(n.method, n.panel_sequence, n.sequence, n.mode)


def last_messages(registration: Registration) -> dict[int, LastMessage]:
    """Per panel id, the last calendar message this registration had, in one query."""
    notices = db.session.scalars(
        db.select(CalendarNotice).filter_by(registration_id=registration.id)
    )
    return {notice.panel_id: last for notice, last in _last(notices)}


def last_messages_about(panel: Panel, registration_ids: list[int]) -> dict[int, LastMessage]:
    """Per registration id (of those given), the last calendar message about this panel."""
    notices = db.session.execute(
        db.select(
            CalendarNotice.registration_id,
            CalendarNotice.method,
            CalendarNotice.panel_sequence,
            CalendarNotice.sequence,
            CalendarNotice.mode,
        ).where(
            CalendarNotice.panel_id == panel.id,
            CalendarNotice.registration_id.in_(registration_ids),
        )
    )
    return {registration_id: LastMessage(*said) for registration_id, *said in notices}


def attending(panel: Panel) -> list[ColumnElement[bool]]:
    """Conditions on Registration: approved and attending this panel."""
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


def attendee_ids(panel: Panel) -> list[int]:
    """The approved registrations attending this panel, by id."""
    query = db.select(Registration.id).where(*attending(panel)).order_by(Registration.id)
    return list(db.session.scalars(query))


def itip_thread(registration_id: int, panel_id: int) -> str:
    """The thread of one attendee's calendar messages about one panel (sent in order)."""
    return f"itip:{registration_id}:panel-{panel_id}"


@dataclass(frozen=True)
class _Message:
    """One attendee's calendar message to queue: its outbox row and its notice."""

    outbox: dict[str, Any]
    notice: dict[str, Any]


def _message(
    registration_id: int,
    email: str,
    mode: AttendanceMode,
    panel: Panel,
    method: str,
    last: LastMessage,
    batch: str = "",
) -> _Message | None:
    """The message unless the attendee's last one about this panel said the same."""
    said_mode = mode.value if method == REQUEST else None
    if last.says(method, panel_sequence(panel), said_mode):
        return None
    sequence = max(panel_sequence(panel), last.sequence + 1)
    thread = itip_thread(registration_id, panel.id)
    intent = {
        "registration": registration_id,
        "panel": panel.id,
        "method": method,
        "sequence": sequence,
        "thread": thread,
        "update": last.invited,
        "mode": mode.value,
    }
    outbox = {
        "key": f"{thread}:s{sequence}",
        "recipient": email,
        "intent": intent,
        "batch": batch or calendar_batch(panel.conference_id),
        "thread": thread,
        "sequence": sequence,
    }
    notice = {
        "registration_id": registration_id,
        "panel_id": panel.id,
        "method": method,
        "panel_sequence": panel_sequence(panel),
        "sequence": sequence,
        "mode": said_mode,
        "sent_at": utcnow(),
    }
    return _Message(outbox, notice)


def _queue(
    registration: Registration, panel: Panel, method: str, last: LastMessage, batch: str = ""
) -> bool:
    """Queue the message unless the attendee's last one about this panel said the same."""
    message = _message(
        registration.id, registration.email, registration.mode, panel, method, last, batch
    )
    if message is None:
        return False
    outbox = dict(message.outbox)
    row = queue_intent(ITIP, outbox.pop("intent"), **outbox)
    if row is not None:
        _remember(message.notice)
    return row is not None


def _remember(values: dict[str, Any]) -> None:
    notice = db.session.get(CalendarNotice, (values["registration_id"], values["panel_id"]))
    if notice is None:
        db.session.add(CalendarNotice(**values))
    else:
        for name, value in values.items():
            setattr(notice, name, value)


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


def tell(panel: Panel, method: str, registration_ids: list[int], batch: str = "") -> int:
    """The REQUEST or CANCEL about this panel to these attendees, unless their last message
    about it said the same; returns how many were queued (no commit). The outbox rows and
    the notices are each written in one statement."""
    sent = last_messages_about(panel, registration_ids)
    attendees = db.session.execute(
        db.select(Registration.id, Registration.email, Registration.mode)
        .where(Registration.id.in_(registration_ids))
        .order_by(Registration.id)
    )
    messages = [
        message
        for registration_id, email, mode in attendees
        if (
            message := _message(
                registration_id,
                email,
                mode,
                panel,
                method,
                sent.get(registration_id, LastMessage()),
                batch,
            )
        )
        is not None
    ]
    written = queue_intents(ITIP, [message.outbox for message in messages])
    notices = [m.notice for m in messages if m.outbox["key"] in written]
    upsert(CalendarNotice, notices, ("registration_id", "panel_id"))
    return len(notices)
