"""Dispatch: an issued note and its enclosures mailed to the member states' contacts, each
in its languages, as a fan-out job; a register per dispatch from the outbox rows. The outbox
holds each address's intent; the worker that sends it composes it (`dispatch_mail`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

from registration.audit.recorder import record
from registration.correspondence.dispatch_mail import DISPATCH_MAIL
from registration.correspondence.dispatch_models import Dispatch, DispatchDelivery
from registration.correspondence.models import NoteStatus, NoteVerbale
from registration.correspondence.notes import NoteError
from registration.database import db, insert_ignoring_conflicts
from registration.directory import contacts
from registration.directory.models import Contact, Member
from registration.directory.services import member_key
from registration.i18n import N_, ngettext
from registration.jobs import services as jobs
from registration.jobs.models import Job
from registration.jobs.registry import handles, labels
from registration.mail.models import MailStatus, OutgoingMail
from registration.mail.outbox import queue_intent

DISPATCH = "correspondence.dispatch"


def start(note: NoteVerbale, member_ids: list[int] | None, user_id: int | None) -> Dispatch:
    """Record the dispatch and its job in one transaction; a worker writes the messages. A
    refusal (NoteError) comes before anything is added."""
    if note.status is not NoteStatus.ISSUED or note.entry is None:
        raise NoteError("", N_("Only an issued note can be dispatched."))
    if member_ids is not None and not member_ids:
        raise NoteError("members", N_("Choose at least one member state."))
    addresses = len(contacts.active_contacts(member_ids))
    if not addresses:
        raise NoteError("members", N_("None of these member states has a contact to write to."))
    dispatch = Dispatch(note=note, member_ids=member_ids, created_by_id=user_id)
    db.session.add(dispatch)
    db.session.flush()
    label = f"Note verbale No. {note.entry.reference()} to {addresses} addresses"
    job = jobs.start(
        DISPATCH,
        label,
        conference_id=note.conference_id,
        total=addresses,
        dispatch_id=dispatch.id,
        addresses=addresses,
    )
    dispatch.job_id = job.id
    record(
        "correspondence.dispatched",
        subject_type="dispatch",
        subject_id=dispatch.id,
        subject=N_("Note verbale No. %(number)s, addresses: %(count)s"),
        subject_values={"number": note.entry.references(), "count": addresses},
        conference_id=note.conference_id,
    )
    db.session.commit()
    return dispatch


@handles(DISPATCH)
def send_dispatch(job: Job) -> int:
    """Each address: its register row and its message in one transaction, keyed by the
    address, so a worker killed half-way and the job run again write nothing twice."""
    job_id, dispatch_id = job.id, int(job.subject["dispatch_id"])
    dispatch = db.session.get(Dispatch, dispatch_id)
    if dispatch is None:
        return 0
    recipients = [c.id for c in contacts.active_contacts(dispatch.member_ids)]
    jobs.heartbeat(job_id, total=len(recipients))
    db.session.commit()
    written = 0
    for contact_id in recipients:
        written += _deliver(dispatch_id, contact_id, job_id)
        jobs.heartbeat(job_id)
        db.session.commit()
    return written


def _deliver(dispatch_id: int, contact_id: int, batch: str) -> int:
    contact = db.session.get(Contact, contact_id)
    dispatch = db.session.get(Dispatch, dispatch_id)
    if contact is None or dispatch is None:
        return 0
    delivery_id = insert_ignoring_conflicts(
        DispatchDelivery,
        {
            "dispatch_id": dispatch_id,
            "member_id": contact.member_id,
            "contact_id": contact.id,
            "email": contact.email,
            "languages": list(contact.languages),
            "resends": 0,
        },
    )
    if delivery_id is None:  # written, with its message, by an earlier run
        db.session.rollback()
        return 0
    outbox_id = queue_intent(
        DISPATCH_MAIL,
        {"delivery": delivery_id},
        key=f"dispatch:{dispatch_id}:{contact.email}",
        recipient=contact.email,
        batch=batch,
    )
    db.session.get(DispatchDelivery, delivery_id).outbox_id = outbox_id  # type: ignore[union-attr]
    db.session.commit()
    return 1


def resend(delivery: DispatchDelivery) -> int | None:
    """The same note again to one address: a new message in the outbox; commits."""
    delivery.resends += 1
    key = f"dispatch:{delivery.dispatch_id}:{delivery.email}:again-{delivery.resends}"
    outbox_id = queue_intent(
        DISPATCH_MAIL,
        {"delivery": delivery.id},
        key=key,
        recipient=delivery.email,
        batch=delivery.dispatch.job_id,
    )
    delivery.outbox_id = outbox_id
    record(
        "correspondence.resent",
        subject_type="dispatch",
        subject_id=delivery.dispatch_id,
        subject=delivery.email,
        conference_id=delivery.dispatch.note.conference_id,
    )
    db.session.commit()
    return outbox_id


@dataclass(frozen=True)
class RegisterLine:
    """One address of a dispatch as the register shows it."""

    delivery: DispatchDelivery
    state: str  # queued, sent, refused
    at: datetime | None
    answer: str


# Address states as the register shows them (`|translate`).
STATE_LABELS = (N_("Queued"), N_("Sent"), N_("Refused"))


def _state(mail: OutgoingMail | None) -> tuple[str, datetime | None, str]:
    if mail is None:
        return "queued", None, ""
    if mail.status is MailStatus.SENT:
        return "sent", mail.sent_at, "accepted"
    if mail.status is MailStatus.FAILED:
        return "refused", mail.updated_at, mail.last_error
    return "queued", mail.updated_at, mail.last_error


def register_lines(
    dispatch: Dispatch, language: str = "en"
) -> list[tuple[Member, list[RegisterLine]]]:
    """Per member state (by name in `language`), each address with its state, time and the
    server's answer."""
    rows = db.session.execute(
        db.select(DispatchDelivery, OutgoingMail)
        .outerjoin(OutgoingMail, OutgoingMail.id == DispatchDelivery.outbox_id)
        .where(DispatchDelivery.dispatch_id == dispatch.id)
        .order_by(DispatchDelivery.id)
    ).all()
    grouped: dict[int, tuple[Member, list[RegisterLine]]] = {}
    for delivery, mail in rows:
        _, lines = grouped.setdefault(delivery.member_id, (delivery.member, []))
        lines.append(RegisterLine(delivery, *_state(mail)))
    return sorted(grouped.values(), key=lambda group: member_key(group[0], language))


def counts(dispatch: Dispatch) -> dict[str, int]:
    found = {"queued": 0, "sent": 0, "refused": 0}
    for _, lines in register_lines(dispatch):
        for line in lines:
            found[line.state] += 1
    return found


def running(dispatch: Dispatch, counted: dict[str, int]) -> bool:
    """Still moving: its job has not written every address yet, or a message waits to go
    (the register page refreshes itself until neither is so)."""
    if counted["queued"]:
        return True
    return dispatch.job_id is not None and not jobs.progress(dispatch.job_id).expanded


@labels(DISPATCH)
def label(job: Job) -> Markup:
    """The dispatch job's name in the page's language: the note's number and how many
    addresses it goes to (as counted when it was asked for)."""
    dispatch = db.session.get(Dispatch, job.subject.get("dispatch_id"))
    if dispatch is None or dispatch.note.entry is None:
        return Markup('<span lang="en">{}</span>').format(job.label)
    return Markup("{}").format(
        ngettext(
            "Note verbale No. %(number)s to %(num)s address",
            "Note verbale No. %(number)s to %(num)s addresses",
            int(job.subject.get("addresses", job.total)),
            number=dispatch.note.entry.reference(),
        )
    )
