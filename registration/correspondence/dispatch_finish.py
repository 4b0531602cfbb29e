"""A dispatch is finished when its job has written every address and each message is sent
or refused for good: then, once, `document.dispatched` is announced (beat, every few seconds)."""

from __future__ import annotations

from sqlalchemy import func, update

from registration.correspondence.dispatch_models import Dispatch, DispatchDelivery
from registration.database import db, utcnow
from registration.jobs.events import announce
from registration.jobs.models import Job, JobState
from registration.mail.models import MailStatus, OutgoingMail

UNSETTLED = [status for status in MailStatus if not status.settled]


def finish_dispatches(limit: int = 100) -> int:
    """Mark finished dispatches (compare-and-set, so each is announced once); commits.
    Returns how many finished."""
    waiting = (
        db.select(OutgoingMail.id)
        .where(OutgoingMail.batch == Dispatch.job_id, OutgoingMail.status.in_(UNSETTLED))
        .exists()
    )
    candidates = list(
        db.session.scalars(
            db.select(Dispatch.id)
            .join(Job, Job.id == Dispatch.job_id)
            .where(
                Dispatch.finished_at.is_(None),
                Job.state.in_((JobState.DONE, JobState.FAILED)),
                ~waiting,
            )
            .order_by(Dispatch.id)
            .limit(limit)
        )
    )
    finished = 0
    for dispatch_id in candidates:
        finished += _finish(dispatch_id)
    return finished


def _finish(dispatch_id: int) -> int:
    now = utcnow()
    claimed = db.session.execute(
        update(Dispatch)
        .where(Dispatch.id == dispatch_id, Dispatch.finished_at.is_(None))
        .values(finished_at=now)
        .returning(Dispatch.id)
    ).scalar()
    if claimed is None:
        db.session.rollback()
        return 0
    dispatch = db.session.get(Dispatch, dispatch_id)
    assert dispatch is not None
    counted = dict(  # each address's latest message (a resend replaces the one before)
        db.session.execute(
            db.select(OutgoingMail.status, func.count())
            .join(DispatchDelivery, DispatchDelivery.outbox_id == OutgoingMail.id)
            .where(DispatchDelivery.dispatch_id == dispatch_id)
            .group_by(OutgoingMail.status)
        ).all()
    )
    note = dispatch.note
    reference = note.entry.reference() if note.entry else ""
    announce(
        "document.dispatched",
        conference_id=note.conference_id,
        document={"id": note.document_id, "reference": reference},
        dispatch={
            "id": dispatch.id,
            "addresses": sum(counted.values()),
            "sent": counted.get(MailStatus.SENT, 0),
            "refused": counted.get(MailStatus.FAILED, 0),
            "finished_at": now.isoformat(),
        },
    )
    db.session.commit()
    return 1
