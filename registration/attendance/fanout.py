"""The attendance capability's fan-out: certificates of attendance mailed by a worker; the
names of its jobs (certificates, badges, lists of participants) in the page's language."""

from __future__ import annotations

from flask_babel import gettext
from markupsafe import Markup

from registration.attendance.badge_sheets import BADGES
from registration.attendance.certificates import CERTIFICATES, attendee_ids, queue_certificate
from registration.attendance.participant_lists import PARTICIPANTS
from registration.conferences.models import Conference
from registration.database import db
from registration.i18n import format_number, language_name
from registration.jobs import services as jobs
from registration.jobs.models import Job
from registration.jobs.registry import handles, labels


@handles(CERTIFICATES)
def mail_certificates(job: Job) -> int:
    """Queue the certificate of each participant of the job (each commits its own row)."""
    job_id, subject = job.id, dict(job.subject)
    ids = subject.get("registration_ids") or attendee_ids(job.conference_id or 0)
    jobs.heartbeat(job_id, total=len(ids))
    written = sum(queue_certificate(i, subject.get("request_key"), batch=job_id) for i in ids)
    jobs.heartbeat(job_id, total=written)
    return written


@labels(CERTIFICATES)
@labels(BADGES)
@labels(PARTICIPANTS)
def label(job: Job) -> Markup:
    """The job's name in the page's language, with the conference's title (and its lang)."""
    subject = job.subject
    if job.kind == CERTIFICATES:
        if subject.get("registration_ids") is None:
            what = gettext("Certificates of attendance to every attendee")
        else:
            what = gettext("Certificates of attendance to one participant")
    elif job.kind == BADGES:
        count = subject.get("count")
        if count is None:  # a job from before the count was kept
            what = gettext("Badges (PDF)")
        else:
            what = gettext("Badges (PDF, %(count)s)", count=format_number(count))
    else:
        language = language_name(subject.get("language") or "en")
        if subject.get("consented_only"):
            what = gettext(
                "List of participants (PDF, listed only, %(language)s)", language=language
            )
        else:
            what = gettext("List of participants (PDF, %(language)s)", language=language)
    conference = db.session.get(Conference, job.conference_id)
    if conference is None:
        return Markup("{}").format(what)
    return Markup("{}: {}").format(what, conference.shown("title"))
