"""Promotion from the waiting list: one freed place in the request, the whole list in a job.

A withdrawal, a rejection or a change of mode frees at most a place or two: the request
looks at the next few in line only (`promote_next`). Raising the capacity or the quotas may
free many: the request starts one job (`start`) and the worker promotes in chunks, each
under the conference's settings lock (the lock every allocation takes), so nobody is
overbooked and a job run again promotes nobody twice (the promoted wait no more).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import func, tuple_

from registration.conferences.models import Conference
from registration.database import db
from registration.i18n import ngettext
from registration.jobs import services as jobs
from registration.jobs.models import Job
from registration.jobs.registry import handles, labels
from registration.signup.mailing import mail_registrant, mail_stamp
from registration.signup.models import Registration, RegistrationSettings, RegistrationStatus
from registration.signup.places import (
    Tally,
    admitted_status,
    follow_in_calendars,
    lock_settings,
    tell,
)

PROMOTE = "signup.promote_waiting"
# How many waiting people a request looks at after freeing a place; the job sees the rest.
LOOKAHEAD = 20
CHUNK = 200
# What `Tally.why_not` checks a waiting person against.
LIMITS = ("in_person_capacity", "delegation_in_person_quota", "delegation_total_quota")


def _waiting(
    conference_id: int, limit: int, after: tuple[datetime, int] | None = None
) -> Sequence[Registration]:
    """The next `limit` waiting registrations in arrival order (after `after`)."""
    query = db.select(Registration).where(
        Registration.conference_id == conference_id,
        Registration.status == RegistrationStatus.WAITLISTED,
    )
    if after is not None:
        query = query.where(tuple_(Registration.created_at, Registration.id) > after)
    order = (Registration.created_at, Registration.id)
    return db.session.scalars(query.order_by(*order).limit(limit)).all()


def _promote(
    settings: RegistrationSettings,
    tally: Tally,
    waiting: Sequence[Registration],
    batch: str | None = None,
) -> int:
    """Give places to those of `waiting` who fit, in order; how many were promoted."""
    promoted = 0
    for registration in waiting:
        if tally.why_not(registration.member_id, registration.mode) is not None:
            continue
        tally.take(registration.member_id, registration.mode)
        registration.status = admitted_status(settings)
        registration.status_reason = ""
        promoted += 1
        mail_registrant(
            registration,
            "promoted",
            f"signup-promoted:{registration.id}:{mail_stamp()}",
            batch=batch,
        )
        follow_in_calendars(registration)
        if registration.status is RegistrationStatus.APPROVED:
            tell(registration, "approved")
    return promoted


def promote_next(settings: RegistrationSettings, tally: Tally) -> None:
    """After a place was freed (settings locked): promote who fits among the next
    LOOKAHEAD in line; if more wait behind them, a job looks at the rest."""
    waiting = list(_waiting(settings.conference_id, LOOKAHEAD + 1))
    _promote(settings, tally, waiting[:LOOKAHEAD])
    if len(waiting) > LOOKAHEAD:
        start(settings)


def waiting_count(conference_id: int) -> int:
    return (
        db.session.scalar(
            db.select(func.count()).where(
                Registration.conference_id == conference_id,
                Registration.status == RegistrationStatus.WAITLISTED,
            )
        )
        or 0
    )


def start(settings: RegistrationSettings) -> Job | None:
    """In the caller's transaction: the job promoting from the whole waiting list, or None
    when nobody waits."""
    count = waiting_count(settings.conference_id)
    if not count:
        return None
    label = f"Promoting from the waiting list ({count} waiting)"
    return jobs.start(PROMOTE, label, conference_id=settings.conference_id, waiting=count)


@labels(PROMOTE)
def label(job: Job) -> Markup:
    """The job's name in the page's language, with the conference's title (and its lang)."""
    waiting = int(job.subject.get("waiting", 0))
    what = ngettext(
        "Promoting from the waiting list (%(num)s waiting)",
        "Promoting from the waiting list (%(num)s waiting)",
        waiting,
    )
    conference = db.session.get(Conference, job.conference_id)
    if conference is None:
        return Markup("{}").format(what)
    return Markup("{}: {}").format(what, conference.shown("title"))


def limits(settings: RegistrationSettings) -> tuple[int | None, ...]:
    """The limits a waiting person must fit in (`Tally.why_not`); None: no limit."""
    return tuple(getattr(settings, name) for name in LIMITS)


def start_if_freed(settings: RegistrationSettings, before: tuple[int | None, ...]) -> Job | None:
    """`start`, if a limit was raised or removed since it was `before` (`limits`): places
    may have freed. Dates, approval, panels, a lowered or a new limit free none: None."""
    for old, new in zip(before, limits(settings), strict=True):
        if old is not None and (new is None or new > old):
            return start(settings)
    return None


@handles(PROMOTE)
def promote_waiting(job: Job) -> int:
    """Promote, in chunks under the settings lock, every waiting person who fits, in order."""
    conference_id = job.conference_id or 0
    return promote_all(conference_id, job.id)


def promote_all(conference_id: int, batch: str | None = None) -> int:
    """The worker's (and the demo seed's) promotion of the whole waiting list; commits."""
    promoted = 0
    after: tuple[datetime, int] | None = None
    while True:
        settings = lock_settings(conference_id)
        tally = Tally.load(settings)
        chunk = list(_waiting(conference_id, CHUNK, after))
        if not chunk:
            db.session.commit()
            break
        after = (chunk[-1].created_at, chunk[-1].id)
        promoted += _promote(settings, tally, chunk, batch)
        if batch is not None:
            jobs.heartbeat(batch)
        db.session.commit()
    if batch is not None:
        # The progress bar counts the promotion mails: that many were planned.
        jobs.heartbeat(batch, total=sum(jobs.status_counts(batch).values()))
        db.session.commit()
    return promoted
