"""What the job progress page says about each kind of job, in the reader's language: mail
sent ("Sent 120 of 5,000"), a file built ("Built."), places given from the waiting list
("Promoted 3 people"), decisions in bulk ("Decided 40 of 42"), reminders; and for a job that
failed, why and what to do. The page and its progress.json say the same sentences.

It sits above the capabilities (it names their kinds of jobs); `jobs` stays plumbing.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from flask_babel import gettext

from registration.attendance.badge_sheets import BADGES
from registration.attendance.participant_lists import PARTICIPANTS
from registration.calendars.reminders import REMINDERS
from registration.i18n import format_number, ngettext
from registration.jobs import built_files
from registration.jobs.models import Job, JobState
from registration.jobs.services import Progress
from registration.signup.bulk import BULK, WRITE
from registration.signup.promotion import PROMOTE

OUT_OF_ATTEMPTS = "out of attempts"  # what the sweeper writes when it gives a job up


class Family(enum.StrEnum):
    MAIL = "mail"
    FILE = "file"
    PROMOTION = "promotion"
    DECISIONS = "decisions"
    REMINDERS = "reminders"


def family(job: Job | None) -> Family:
    """How the page speaks of the job (a job it does not know, or none: mail sent)."""
    if job is None:
        return Family.MAIL
    if job.kind in (BADGES, PARTICIPANTS):
        return Family.FILE
    if job.kind == PROMOTE:
        return Family.PROMOTION
    if job.kind == BULK and job.subject.get("action") != WRITE:
        return Family.DECISIONS
    return Family.REMINDERS if job.kind == REMINDERS else Family.MAIL


@dataclass(frozen=True)
class Wording:
    done_label: str  # the count of what is done: "Sent", "Built", "Promoted", "Decided"
    summary: str  # "Sent 120 of 5,000."
    state: str  # working, finished, or failed
    failed: bool = False
    reason: str = ""  # a failed job's error, as the worker wrote it (English)
    advice: str = ""  # what to do about failures


def _done_label(kind: Family) -> str:
    return {
        Family.FILE: gettext("Built"),
        Family.PROMOTION: gettext("Promoted"),
        Family.DECISIONS: gettext("Decided"),
    }.get(kind, gettext("Sent"))


def _summary(kind: Family, job: Job | None, progress: Progress) -> str:
    done, total, failed = progress.sent, progress.total, progress.failed
    if kind is Family.FILE:
        if job is not None and job.subject.get("file"):
            return gettext("Built.")
        return "" if progress.finished or failed else gettext("Building the file.")
    if kind is Family.PROMOTION:
        if progress.finished and not total:
            return gettext("Nobody on the waiting list fits in the places now free.")
        return ngettext(
            "Promoted %(count)s person from the waiting list; told %(sent)s of them.",
            "Promoted %(count)s people from the waiting list; told %(sent)s of them.",
            total,
            count=format_number(total),
            sent=format_number(done),
        )
    if not progress.expanded and not total:
        return gettext("Preparing the messages.")
    counts = {"done": format_number(done), "total": format_number(total)}
    if kind is Family.DECISIONS:
        line = gettext("Decided %(done)s of %(total)s.", **counts)
        refused = ngettext(
            "%(count)s registration could not be decided.",
            "%(count)s registrations could not be decided.",
            failed,
            count=format_number(failed),
        )
    else:
        line = (
            gettext("Sent %(done)s of %(total)s reminders.", **counts)
            if kind is Family.REMINDERS
            else gettext("Sent %(done)s of %(total)s.", **counts)
        )
        refused = ngettext(
            "%(count)s message could not be sent.",
            "%(count)s messages could not be sent.",
            failed,
            count=format_number(failed),
        )
    return f"{line} {refused}" if failed else line


def _advice(kind: Family, progress: Progress) -> str:
    """What to do about the failures counted (a failed job: `AGAIN`)."""
    if not progress.failed or kind is Family.FILE:
        return ""
    if kind is Family.DECISIONS:
        return gettext("The action's page lists each registration that was not decided and why.")
    return gettext(
        "They are dead letters in the outbox: once the address or the mail server is right, "
        "resend them from there."
    )


def _working(kind: Family) -> str:
    return {
        Family.FILE: gettext("Working in the background; this page updates itself."),
        Family.PROMOTION: gettext("Promoting in the background; this page updates itself."),
        Family.DECISIONS: gettext("Deciding in the background; this page updates itself."),
    }.get(kind, gettext("Sending in the background; this page updates itself."))


def _reason(job: Job) -> str:
    if job.last_error == OUT_OF_ATTEMPTS:
        return gettext(
            "It was tried %(num)s times without finishing: a worker stopped or the work took "
            "too long.",
            num=format_number(job.attempts),
        )
    return job.last_error


def wording(job: Job | None, progress: Progress) -> Wording:
    """The page's sentences for the job and its counts."""
    kind = family(job)
    summary = _summary(kind, job, progress)
    if job is not None and job.state is JobState.FAILED:
        return Wording(
            _done_label(kind),
            summary,
            gettext("This job failed."),
            failed=True,
            reason=_reason(job),
            advice=gettext(
                "Run it again with the button below: what was already done is not done twice. "
                "If it fails again, give the reason above to the service's administrators."
            ),
        )
    if job is not None and built_files.removed_because(job):
        return Wording(_done_label(kind), summary, gettext("Finished."))
    state = gettext("Finished.") if progress.finished else _working(kind)
    return Wording(_done_label(kind), summary, state, advice=_advice(kind, progress))
