"""The list of participants as a PDF, built by a worker (it reads everyone's attendance);
the organiser follows the job's page and downloads the file from it when it is ready."""

from __future__ import annotations

from registration.accounts.models import User
from registration.attendance import documents
from registration.audit import recorder as audit
from registration.conferences.models import Conference
from registration.database import db
from registration.jobs import built_files
from registration.jobs import services as jobs
from registration.jobs.models import Job, JobState
from registration.jobs.registry import Counts, counts, handles

PARTICIPANTS = "attendance.participants"


def start(conference: Conference, *, consented_only: bool, language: str, user: User) -> Job:
    """The job building the list (all who attended, or those who agreed to be listed) in
    `language`; commits."""
    suffix = "-public" if consented_only else ""
    job = jobs.start(
        PARTICIPANTS,
        f"List of participants (PDF{', listed only' if consented_only else ''}, {language}): "
        f"{conference.title}",
        conference_id=conference.id,
        total=1,
        consented_only=consented_only,
        language=language,
        user_id=user.id,
        filename=f"participants-{conference.slug}{suffix}.pdf",
        mimetype="application/pdf",
    )
    db.session.commit()
    return job


@handles(PARTICIPANTS)
def build(job: Job) -> int:
    """Write the list and keep the file with the job; the export is noted in the audit log
    in the name of the organiser who asked. A job run again keeps the first file."""
    subject = job.subject
    if subject.get("file"):
        return 0
    conference = db.session.get(Conference, job.conference_id)
    if conference is None:
        return 0
    user = db.session.get(User, subject["user_id"])
    actor = audit.Actor("organiser", user.name or user.email, user.id) if user else audit.SYSTEM
    with audit.acting_as(actor):
        content, people = documents.participants_pdf(
            conference, consented_only=subject["consented_only"], language=subject["language"]
        )
    built_files.keep(db.session.get(Job, job.id) or job, content, ".pdf", people)
    db.session.commit()
    return 1


@counts(PARTICIPANTS)
def list_counted(job: Job) -> Counts:
    """One step: the file, there or not (failed if the job gave up without it)."""
    built = bool(job.subject.get("file"))
    return Counts(1, int(built), int(job.state == JobState.FAILED and not built))
