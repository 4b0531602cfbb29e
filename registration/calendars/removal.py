"""A deleted panel's CANCELs: the request writes one job, a worker tells each attendee.

The panel row (and what each attendee was last sent about it, `CalendarNotice`) is gone once
the request commits, so the request keeps what the messages need, at a cost that does not
grow with the attendees: the panel and its conference as they were (a snapshot of their
columns in the job's subject, texts in every language included) and, copied in one
INSERT ... SELECT, who was invited with the SEQUENCE they last had (`RemovedPanelAttendee`).
The job's worker queues one CANCEL intent per attendee and takes them off the list in the
same transaction, so a retried job queues nothing twice; the worker that sends each one
composes it from the snapshot (`removed_panel_mail`).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import DateTime, String, delete, func, insert, inspect, literal

from registration.calendars.ical import panel_sequence
from registration.calendars.itip import CANCEL, REQUEST
from registration.calendars.messages import itip_thread
from registration.calendars.models import CalendarNotice, RemovedPanelAttendee
from registration.calendars.panel_mail import itip_message
from registration.conferences.models import Conference, Panel, PanelPerson, PanelRole, Person
from registration.database import UTCDateTime, db
from registration.directory.models import Institution, Member, MemberKind
from registration.jobs import services as jobs
from registration.jobs.models import Job
from registration.jobs.registry import handles
from registration.mail.compose import Mail
from registration.mail.composers import composes
from registration.mail.outbox import queue_intent
from registration.signup.models import AttendanceMode, Registration

PANEL_REMOVED = "calendars.panel_removed"
REMOVED_ITIP = "calendars.removed_panel"
CHUNK = 250
Model = TypeVar("Model", Conference, Panel)


def _columns(record: db.Model) -> dict[str, Any]:
    """A record's column values as JSON (instants in ISO 8601, enums as their values)."""
    values: dict[str, Any] = {}
    for attribute in inspect(type(record)).column_attrs:
        value = getattr(record, attribute.key)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, enum.Enum):
            value = value.value
        values[attribute.key] = value
    return values


def _record(model: type[Model], values: dict[str, Any]) -> Model:
    """A transient (never added to the session) record from `_columns`' values."""
    known: dict[str, Any] = {}
    for attribute in inspect(model).column_attrs:
        if attribute.key not in values:
            continue
        value = values[attribute.key]
        kind = getattr(attribute.columns[0].type, "enum_class", None)
        if value is not None and kind is not None:
            value = kind(value)
        elif isinstance(value, str) and _is_instant(attribute.columns[0].type):
            value = datetime.fromisoformat(value)
        known[attribute.key] = value
    return model(**known)


def _is_instant(column_type: Any) -> bool:
    return isinstance(column_type, DateTime | UTCDateTime)


def _person(role: PanelPerson) -> dict[str, Any]:
    """A person as named, with what their affiliation is made of: the institution's names in
    every language, and the member's code, kind and English name, so each attendee's CANCEL
    names them in theirs (a member's other names come with its code: `member_name`). ("of",
    the affiliation with the main name, is what snapshots written before held, and a member
    as its English name alone; both are still read.)"""
    person = role.person
    institution, member = person.institution, person.member
    return {
        "role": role.role.value,
        "position": role.position,
        "name": person.display_name,
        "of": person.affiliation,
        "job": person.position,
        "institution": None
        if institution is None
        else {
            "name": institution.name,
            "language": institution.language,
            "translations": institution.translations or {},
        },
        "member": None
        if member is None
        else {"code": member.code, "kind": member.kind.value, "name": member.name},
    }


def snapshot(panel: Panel) -> dict[str, Any]:
    """What a CANCEL says of a panel: its columns, its conference's, its people as named."""
    people = [_person(r) for r in panel.roles]
    return {
        "panel": _columns(panel),
        "conference": _columns(panel.conference),
        "people": people,
    }


def panel_from(saved: dict[str, Any]) -> Panel:
    """The panel of a snapshot as transient objects (the ORM's, so mail reads it as usual)."""
    panel = _record(Panel, saved["panel"])
    panel.conference = _record(Conference, saved["conference"])
    panel.roles = [
        PanelPerson(
            role=PanelRole(person["role"]),
            position=person["position"],
            person=_person_from(person),
        )
        for person in saved["people"]
    ]
    return panel


def _person_from(saved: dict[str, Any]) -> Person:
    """A transient person as `_person` kept them (an older snapshot: the affiliation as it
    was written, in the institution's main name)."""
    if "job" not in saved:
        return Person(name=saved["name"], honorific="", position=saved["of"])
    institution = saved["institution"]
    return Person(
        name=saved["name"],
        honorific="",
        position=saved["job"],
        institution=Institution(**institution) if institution is not None else None,
        member=_member_from(saved["member"]),
    )


def _member_from(saved: dict[str, str] | str | None) -> Member | None:
    """A transient member as `_person` kept it; from an older snapshot, its English name
    alone (named so in every language)."""
    if saved is None:
        return None
    if isinstance(saved, str):
        return Member(name=saved)
    return Member(code=saved["code"], kind=MemberKind(saved["kind"]), name=saved["name"])


def panel_removing(panel: Panel) -> str | None:
    """Before a panel is deleted: one job owing a CANCEL to each attendee it was sent an
    invitation to; its id, or None when nobody was. No commit; no work per attendee."""
    invited = (CalendarNotice.panel_id == panel.id, CalendarNotice.method == REQUEST)
    total = db.session.scalar(db.select(func.count()).where(*invited)) or 0
    if not total:
        return None
    job = jobs.start(
        PANEL_REMOVED,
        f"Cancellation: {panel.title}",
        conference_id=panel.conference_id,
        total=total,
        sequence=panel_sequence(panel),
        **snapshot(panel),
    )
    db.session.flush()
    db.session.execute(
        insert(RemovedPanelAttendee.__table__).from_select(
            ["job_id", "registration_id", "sequence"],
            db.select(
                literal(job.id, String), CalendarNotice.registration_id, CalendarNotice.sequence
            ).where(*invited),
        )
    )
    return job.id


@handles(PANEL_REMOVED)
def tell_attendees(job: Job) -> int:
    """Queue the CANCEL of each attendee the job owes one, CHUNK at a time."""
    job_id, panel_id, panel_seq = job.id, job.subject["panel"]["id"], job.subject["sequence"]
    owed = RemovedPanelAttendee
    written = 0
    while True:
        chunk = db.session.execute(
            db.select(owed.registration_id, owed.sequence, Registration.email)
            .join(Registration, Registration.id == owed.registration_id)
            .where(owed.job_id == job_id)
            .order_by(owed.registration_id)
            .limit(CHUNK)
        ).all()
        if not chunk:
            return written
        for registration_id, last, email in chunk:
            sequence = max(panel_seq, last + 1)
            thread = itip_thread(registration_id, panel_id)
            row = queue_intent(
                REMOVED_ITIP,
                {"registration": registration_id, "job": job_id, "sequence": sequence},
                key=f"{thread}:s{sequence}",
                recipient=email,
                batch=job_id,
                thread=thread,
                sequence=sequence,
            )
            written += row is not None
        done = [registration_id for registration_id, _, _ in chunk]
        db.session.execute(
            delete(owed).where(owed.job_id == job_id, owed.registration_id.in_(done))
        )
        jobs.heartbeat(job_id)
        db.session.commit()


@composes(REMOVED_ITIP)
def removed_panel_mail(intent: dict[str, Any]) -> Mail | None:
    """The CANCEL of an intent {registration, job, sequence}, about the job's snapshot."""
    registration = db.session.get(Registration, intent["registration"])
    job = db.session.get(Job, intent["job"])
    if registration is None or job is None:
        return None
    panel = panel_from(job.subject)
    online = registration.mode == AttendanceMode.ONLINE
    return itip_message(registration, panel, CANCEL, intent["sequence"], online, "Cancelled")
