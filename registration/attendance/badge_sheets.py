"""The badges of a conference as one PDF, built by a worker: with photos, a sheet of a
thousand badges takes longer than a request may; the organiser follows the job's page and
downloads the file from it when it is ready (one person's badge stays immediate)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func

from registration.audit import recorder as audit
from registration.collation import sort_key
from registration.conferences.models import Conference
from registration.database import db
from registration.directory.models import Member
from registration.directory.services import member_key
from registration.i18n import N_
from registration.jobs import built_files
from registration.jobs import services as jobs
from registration.jobs.models import Job, JobState
from registration.jobs.registry import Counts, counts, handles
from registration.signup.badges import badges_pdf
from registration.signup.models import AttendanceMode, Registration, RegistrationStatus

BADGES = "attendance.badges"


def badge_query(conference_id: int, *, all_modes: bool, member_id: int | None) -> Select[Any]:
    """Approved registrations to print: in person unless `all_modes`, one delegation's if
    `member_id`."""
    query = db.select(Registration).where(
        Registration.conference_id == conference_id,
        Registration.status == RegistrationStatus.APPROVED,
    )
    if not all_modes:
        query = query.where(Registration.mode == AttendanceMode.IN_PERSON)
    if member_id is not None:
        query = query.where(Registration.member_id == member_id)
    return query


def to_print(
    conference_id: int, *, all_modes: bool, member_id: int | None, language: str
) -> list[Registration]:
    """The badges of `badge_query` in print order: by delegation, named in `language`, then
    by name, each in that language's alphabetical order (registration/collation.py)."""
    query = badge_query(conference_id, all_modes=all_modes, member_id=member_id)
    return sorted(
        db.session.scalars(query),
        key=lambda r: (member_key(r.member, language), sort_key(r.name)),
    )


def start(conference: Conference, *, all_modes: bool, member: Member | None, language: str) -> Job:
    """The job building the badges PDF, in the print order of `language` (the organiser's
    page), and the export's note in the audit log; commits."""
    query = badge_query(conference.id, all_modes=all_modes, member_id=member and member.id)
    count = db.session.scalar(db.select(func.count()).select_from(query.subquery())) or 0
    filename = f"badges-{conference.slug}" + (f"-{member.code}" if member else "") + ".pdf"
    job = jobs.start(
        BADGES,
        f"Badges (PDF, {count}): {conference.title}",
        conference_id=conference.id,
        total=1,
        all_modes=all_modes,
        member_id=member and member.id,
        language=language,
        title=f"Badges — {conference.title}",
        count=count,
        filename=filename,
        mimetype="application/pdf",
    )
    audit.exported(N_("Badges (PDF)"), conference_id=conference.id, count=count)
    return job


@handles(BADGES)
def build(job: Job) -> int:
    """Draw the badges and keep the file with the job; a job run again keeps the first."""
    subject = job.subject
    if subject.get("file"):
        return 0
    registrations = to_print(
        job.conference_id or 0,
        all_modes=subject["all_modes"],
        member_id=subject["member_id"],
        language=subject.get("language", "en"),  # jobs started before it was kept: English
    )
    content = badges_pdf(registrations, subject["title"])
    built_files.keep(job, content, ".pdf", [registration.id for registration in registrations])
    db.session.commit()
    return 1


@counts(BADGES)
def badges_counted(job: Job) -> Counts:
    """One step: the file, there or not (failed if the job gave up without it)."""
    built = bool(job.subject.get("file"))
    return Counts(1, int(built), int(job.state == JobState.FAILED and not built))
