"""When a conference's personal data goes, and erasing it: per conference or per person."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from registration.audit import recorder as audit
from registration.audit.models import ERASED
from registration.conferences.models import Conference
from registration.database import db, utcnow
from registration.invitations.models import Invitation
from registration.jobs import built_files
from registration.mail.erasure import cancel_unsent, erase_mailbox_files
from registration.retention import erasure
from registration.retention.erasure import Erased, Targets
from registration.signup import services as signup
from registration.signup.models import Registration
from registration.signup.own_erasure import erases_own_data

MAX_MONTHS = 600


def add_months(instant: datetime, months: int) -> datetime:
    """The same day and time `months` later (the month's last day when it is shorter)."""
    month = instant.month - 1 + months
    year, month = instant.year + month // 12, month % 12 + 1
    day = min(instant.day, calendar.monthrange(year, month)[1])
    return instant.replace(year=year, month=month, day=day)


def default_months() -> int:
    """PERSONAL_DATA_RETENTION_MONTHS: 0 keeps personal data (erasure off)."""
    return current_app.config["PERSONAL_DATA_RETENTION_MONTHS"]


def months_for(conference: Conference) -> int:
    own = conference.erase_personal_data_months
    return default_months() if own is None else own


def due_at(conference: Conference) -> datetime | None:
    """When the conference's personal data is to be erased; None: kept."""
    months = months_for(conference)
    return add_months(conference.ends_at, months) if months > 0 else None


def set_months(conference: Conference, months: int | None) -> None:
    """None: follow the service's default; 0: never erase; commits (audited)."""
    if months is not None and not 0 <= months <= MAX_MONTHS:
        raise ValueError(f"months must be between 0 and {MAX_MONTHS}")
    conference.erase_personal_data_months = months
    db.session.commit()


@dataclass(frozen=True)
class Due:
    conference: Conference
    due_at: datetime
    erased: Erased


def due_conferences(now: datetime | None = None) -> list[Conference]:
    """Conferences whose retention period is over and whose data is still there."""
    now = now or utcnow()
    candidates = db.session.scalars(
        db.select(Conference)
        .where(Conference.personal_data_erased_at.is_(None), Conference.ends_at < now)
        .order_by(Conference.ends_at)
    )
    return [c for c in candidates if (when := due_at(c)) is not None and when <= now]


def survey(now: datetime | None = None) -> list[Due]:
    """The dry run: each due conference and what its erasure would change."""
    return [Due(c, due_at(c) or c.ends_at, erasure.held(c.id)) for c in due_conferences(now)]


def erase_conference(conference_id: int, now: datetime | None = None) -> Erased | None:
    """Erase one due conference's personal data in one transaction; None if not due (any
    more: another worker may have done it). Commits."""
    now = now or utcnow()
    conference = db.session.scalar(
        db.select(Conference).where(Conference.id == conference_id).with_for_update()
    )
    due = due_at(conference) if conference is not None else None
    if conference is None or conference.personal_data_erased_at or due is None or due > now:
        db.session.rollback()
        return None
    targets = erasure.conference_targets(conference.id)
    done = erasure.erase(targets, now)
    built = built_files.forget_conference(conference.id)
    done.built_files = len(built)
    conference.personal_data_erased_at = now
    audit.record(
        "retention.erased",
        subject_type="conference",
        subject_id=conference.id,
        **audit.text_subject(conference.in_languages("title")),
        conference_id=conference.id,
        note=erasure.RETENTION_NOTE,
        note_values={"months": months_for(conference), **done.counts()},
    )
    db.session.commit()
    done.mailbox_files = erase_mailbox_files(targets.addresses)
    built_files.erase(built)
    return done


def erase_due(now: datetime | None = None) -> list[tuple[int, Erased]]:
    """Erase every due conference, each in its own transaction (the beat task)."""
    done = []
    for conference_id in [c.id for c in due_conferences(now)]:
        erased = erase_conference(conference_id, now)
        if erased is not None:
            done.append((conference_id, erased))
    return done


@erases_own_data
def erase_own_registration(registration: Registration) -> Erased:
    """The participant withdraws (their place goes to whoever waits) and their personal
    data in this conference is erased, in one transaction; commits.

    Sent mail is erased; mail to them not sent yet (their withdrawal note and calendar
    cancellations among it) is cancelled with what it says. A message a worker is sending
    at that moment goes, and is erased by the conference's retention run. The local mail
    catcher's copies of their mail, and the built files naming them (badges sheets,
    participant lists: their jobs' pages say the file was removed), are deleted after the
    commit.
    """
    if registration.is_active:
        registration = signup.withdraw(registration, commit=False)
    invitations = db.session.execute(
        db.select(Invitation.id, Invitation.email).where(
            Invitation.conference_id == registration.conference_id,
            Invitation.email == registration.email,
            Invitation.personal_data_erased_at.is_(None),
        )
    ).all()
    targets = Targets(
        [(registration.id, registration.email)], [(i.id, i.email) for i in invitations]
    )
    conference_id, registration_id = registration.conference_id, registration.id
    unsent = cancel_unsent(targets.mail_ids(done_only=False))
    done = erasure.erase(targets, utcnow())
    done.unsent_mails = unsent
    built = built_files.forget_person(conference_id, registration_id)
    done.built_files = len(built)
    audit.record(
        "registration.erased",
        subject_type="registration",
        subject_id=registration_id,
        subject=ERASED,
        conference_id=conference_id,
        registration_id=registration_id,
        note=erasure.ERASED_NOTE,
        note_values=done.counts(),
    )
    db.session.commit()
    done.mailbox_files = erase_mailbox_files(targets.addresses)
    built_files.erase(built)
    return done
