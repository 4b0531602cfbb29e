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

from sqlalchemy import exists, false, or_
from sqlalchemy.sql.elements import ColumnElement

from registration.calendars.ical import panel_is_cancelled, panel_sequence
from registration.calendars.itip import CANCEL, REQUEST
from registration.calendars.models import CalendarNotice
from registration.calendars.panel_mail import ITIP
from registration.conferences.models import Panel, PanelKind
from registration.database import db, utcnow
from registration.mail.outbox import queue_intent
from registration.signup.models import Registration, RegistrationPanel, RegistrationStatus
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
    notices = db.session.scalars(
        db.select(CalendarNotice).where(
            CalendarNotice.panel_id == panel.id,
            CalendarNotice.registration_id.in_(registration_ids),
        )
    )
    return {notice.registration_id: last for notice, last in _last(notices)}


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


def _queue(
    registration: Registration,
    panel: Panel,
    method: str,
    last: LastMessage,
    batch: str = "",
) -> bool:
    """Queue the message unless the attendee's last one about this panel said the same."""
    mode = registration.mode.value if method == REQUEST else None
    if last.says(method, panel_sequence(panel), mode):
        return False
    sequence = max(panel_sequence(panel), last.sequence + 1)
    thread = itip_thread(registration.id, panel.id)
    intent = {
        "registration": registration.id,
        "panel": panel.id,
        "method": method,
        "sequence": sequence,
        "thread": thread,
        "update": last.invited,
        "mode": registration.mode.value,
    }
    where = {
        "key": f"{thread}:s{sequence}",
        "batch": batch or calendar_batch(panel.conference_id),
        "thread": thread,
        "sequence": sequence,
    }
    row = queue_intent(ITIP, intent, recipient=registration.email, **where)
    if row is not None:
        _remember(registration.id, panel, method, sequence, mode)
    return row is not None


def _remember(
    registration_id: int, panel: Panel, method: str, sequence: int, mode: str | None
) -> None:
    values = {
        "method": method,
        "panel_sequence": panel_sequence(panel),
        "sequence": sequence,
        "mode": mode,
        "sent_at": utcnow(),
    }
    notice = db.session.get(CalendarNotice, (registration_id, panel.id))
    if notice is None:
        db.session.add(CalendarNotice(registration_id=registration_id, panel_id=panel.id, **values))
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
    about it said the same; returns how many were queued (no commit)."""
    sent = last_messages_about(panel, registration_ids)
    registrations = db.session.scalars(
        db.select(Registration)
        .where(Registration.id.in_(registration_ids))
        .order_by(Registration.id)
    )
    return sum(
        _queue(registration, panel, method, sent.get(registration.id, LastMessage()), batch)
        for registration in registrations
    )
