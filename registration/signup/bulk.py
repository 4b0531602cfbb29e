"""Bulk actions on registrations: approve, reject with one reason, or write to many at once.

The organiser's request writes one job (and an audit entry) and answers; a worker applies
the action to each registration through the single decision's service (`services.decide`:
the same rules, audit entries and mails), writing the registration's `BulkOutcome` in the
same transaction, so a job run again (a retry, a duplicate) decides and sends nothing twice.

The pages word what they show when they show it, in the page's language: the job's label
(`label`), the outcome lines and the refusals, which are stored as the message and its values
(`BulkOutcome.reason`, `reason_values`), not as English text. The job's stored `label` stays
English, for the audit log.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext
from markupsafe import Markup
from sqlalchemy import func

from registration.accounts.models import User
from registration.audit import recorder as audit
from registration.conferences.models import Conference
from registration.database import db, insert_ignoring_conflicts, utcnow
from registration.i18n import N_, in_language, ngettext
from registration.jobs import services as jobs
from registration.jobs.models import Job
from registration.jobs.registry import Counts, counts, handles, labels
from registration.mail.compose import Mail
from registration.mail.composers import composes
from registration.mail.outbox import queue_intent
from registration.signup import answers, lists, services
from registration.signup.access import delegation_of
from registration.signup.bulk_models import BulkOutcome
from registration.signup.errors import SignupError
from registration.signup.links import manage_url
from registration.signup.mailing import render_mail
from registration.signup.models import Registration
from registration.staff.access import can
from registration.staff.roles import Permission

BULK = "signup.bulk"
MESSAGE = "signup.message"
APPROVE, REJECT, WRITE = "approve", "reject", "write"
VERB = {APPROVE: "approve", REJECT: "reject", WRITE: "write to"}  # the job's English label
# The audit entry's subject, worded in its reader's language: (action, chosen by hand).
SUBJECTS = {
    (APPROVE, True): N_("Approve the chosen registrations (%(count)s): %(title)s"),
    (APPROVE, False): N_("Approve all matching registrations: %(title)s"),
    (REJECT, True): N_("Reject the chosen registrations (%(count)s): %(title)s"),
    (REJECT, False): N_("Reject all matching registrations: %(title)s"),
    (WRITE, True): N_("Write to the chosen registrations (%(count)s): %(title)s"),
    (WRITE, False): N_("Write to all matching registrations: %(title)s"),
}
OUT_OF_REACH = N_("It is outside the registrations you may decide.")
NONE_CHOSEN = N_("Choose at least one registration, or all that match the filter.")


@dataclass(frozen=True)
class BulkAction:
    """What to do: approve or reject (with the reason the people read), or write to them."""

    action: str
    reason: str = ""
    subject: str = ""
    body: str = ""


@dataclass(frozen=True)
class Selection:
    """The chosen registrations, or (ids None) all that match the list's filter when the
    organiser asked (registrations that arrive later are left out)."""

    registration_ids: list[int] | None
    filter_args: Mapping[str, str] = field(default_factory=dict)


def start(
    conference: Conference,
    action: BulkAction,
    selection: Selection,
    *,
    user: User,
    member_ids: set[int] | None = None,
) -> Job:
    """Write the job (for a focal point, `member_ids` bounds it) and its audit entry; commits."""
    ids = selection.registration_ids
    if ids is not None and not ids:
        raise SignupError(NONE_CHOSEN)
    who = f"{len(ids)} registrations" if ids is not None else "all matching registrations"
    label = f"{VERB[action.action].capitalize()} {who}: {conference.title}"
    job = jobs.start(
        BULK,
        label,
        conference_id=conference.id,
        total=len(ids or []),
        action=action.action,
        reason=action.reason.strip(),
        message_subject=action.subject.strip(),
        body=action.body,
        registration_ids=ids,
        filter=dict(selection.filter_args),
        asked_at=utcnow().isoformat(),
        user_id=user.id,
        focal_point=member_ids is not None,
        member_ids=sorted(member_ids or []),
    )
    audit.record(
        "registration.bulk",
        subject_type="conference",
        subject_id=conference.id,
        subject=SUBJECTS[action.action, ids is not None],
        subject_values={"count": len(ids or []), "title": conference.in_languages("title")},
        conference_id=conference.id,
        note=action.reason.strip() or action.subject.strip(),
    )
    db.session.commit()
    return job


def _targets(job: Job) -> list[int]:
    """The registrations the job is about, in the order of arrival."""
    subject, conference_id = job.subject, job.conference_id or 0
    ids = subject.get("registration_ids")
    if ids is not None:
        chosen = set(ids)
        query = lists.matching(conference_id, lists.RegistrationFilter())
        query = query.where(Registration.id.in_(chosen))
    else:
        wanted = lists.filter_from(subject.get("filter") or {}, answers.questions_of(conference_id))
        query = lists.matching(conference_id, wanted).where(
            Registration.created_at <= datetime.fromisoformat(subject["asked_at"])
        )
    if subject.get("focal_point"):
        query = query.where(Registration.member_id.in_(subject.get("member_ids") or []))
    return list(db.session.scalars(query.with_only_columns(Registration.id)))


def _reach(job: Job, user: User | None) -> set[int] | None:
    """The members whose registrations the user may still act on now (None: all of them)."""
    conference = db.session.get(Conference, job.conference_id)
    if user is None or conference is None:
        return set()
    if job.subject.get("focal_point"):
        delegation = delegation_of(user.id, conference.slug)
        return delegation.member_ids if delegation is not None else set()
    return None if can(user, Permission.DECIDE, conference.id) else set()


def _actor(user: User | None, focal_point: bool) -> audit.Actor:
    if user is None:
        return audit.SYSTEM
    kind = "focal point" if focal_point else "organiser"
    return audit.Actor(kind, user.name or user.email, user.id)


@handles(BULK)
def apply_bulk(job: Job) -> int:
    """Each registration in its own transaction with its outcome; returns how many were done."""
    job_id, subject = job.id, dict(job.subject)
    targets = _targets(job)
    user = db.session.get(User, subject["user_id"])
    reach = _reach(job, user)
    jobs.heartbeat(job_id, total=len(targets))
    db.session.commit()
    done = 0
    with audit.acting_as(_actor(user, bool(subject.get("focal_point")))):
        for registration_id in targets:
            done += _apply_one(job_id, registration_id, subject, reach)
            jobs.heartbeat(job_id)
            db.session.commit()
    if subject["action"] == WRITE:  # the general progress page counts the messages queued
        jobs.heartbeat(job_id, total=done)
        db.session.commit()
    return done


def _apply_one(
    job_id: str, registration_id: int, subject: dict[str, Any], reach: set[int] | None
) -> int:
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        return 0
    outcome = {"job_id": job_id, "registration_id": registration_id, "at": utcnow()}
    done = {**outcome, "done": True, "reason": "", "reason_values": {}}
    if insert_ignoring_conflicts(BulkOutcome, done) is None:
        db.session.rollback()  # done, or refused, by an earlier run of the job
        return 0
    refusal = None
    if reach is not None and registration.member_id not in reach:
        refusal = SignupError(OUT_OF_REACH)
    if refusal is None:
        try:
            _act(job_id, registration, subject)  # commits, with the outcome
            return 1
        except SignupError as error:  # rolled back, the outcome too
            refusal = error
    db.session.rollback()
    refused = {**outcome, "done": False, "reason": refusal.message, "reason_values": refusal.values}
    insert_ignoring_conflicts(BulkOutcome, refused)
    db.session.commit()
    return 0


def _act(job_id: str, registration: Registration, subject: dict[str, Any]) -> None:
    action = subject["action"]
    if action in (APPROVE, REJECT):
        services.decide(registration, approve=action == APPROVE, reason=subject["reason"])
        return
    queue_intent(
        MESSAGE,
        {
            "registration": registration.id,
            "subject": subject["message_subject"],
            "body": subject["body"],
        },
        key=f"bulk-message:{job_id}:{registration.id}",
        recipient=registration.email,
        batch=job_id,
    )
    db.session.commit()


@composes(MESSAGE)
def message_mail(intent: dict[str, Any]) -> Mail | None:
    """An organiser's message to a registrant, with the link to their registration; our
    words and the conference's title in the registrant's language, the organiser's as typed."""
    registration = db.session.get(Registration, intent["registration"])
    if registration is None:
        return None
    with in_language(registration.mail_language) as language:
        text = render_mail(
            "signup/mail/message.txt",
            registration=registration,
            title=registration.conference.text_in("title", language),
            body=intent["body"],
            link=manage_url(registration),
        )
    return Mail(to=registration.email, subject=intent["subject"], text=text)


@dataclass(frozen=True)
class OutcomeLine:
    """`count` registrations done, or refused for one reason (then `names` says who)."""

    count: int
    text: str
    names: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BulkProgress:
    total: int
    done: int
    refused: int
    finished: bool
    lines: list[OutcomeLine]
    summary: str = ""

    def as_dict(self) -> dict[str, object]:
        """The counts as the page's progress script reads them."""
        return {
            "total": self.total,
            "done": self.done,
            "failed": self.refused,
            "remaining": max(self.total - self.done - self.refused, 0),
            "retrying": 0,
            "finished": self.finished,
            "outcomes": [{"text": line.text, "names": line.names} for line in self.lines],
            "summary": self.summary,
        }


def progress(job: Job) -> BulkProgress:
    """How far the job is, from its outcomes; what it did, with the refusals by reason, in
    the page's language."""
    rows = db.session.execute(
        db.select(BulkOutcome.done, BulkOutcome.reason, BulkOutcome.reason_values, func.count())
        .where(BulkOutcome.job_id == job.id)
        .group_by(BulkOutcome.done, BulkOutcome.reason, BulkOutcome.reason_values)
        .order_by(BulkOutcome.done.desc(), func.count().desc(), BulkOutcome.reason)
    ).all()
    done = sum(count for ok, _, _, count in rows if ok)
    refused = sum(count for ok, _, _, count in rows if not ok)
    action = job.subject.get("action", APPROVE)
    lines = [OutcomeLine(done, f"{_done(action, done)}.")] if done else []
    for ok, reason, values, count in rows:
        if not ok:
            why = SignupError(reason, **(values or {})).translated()
            text = f"{_refused(action, count)}: {why}"
            lines.append(OutcomeLine(count, text, _names(job.id, reason, values or {})))
    total = done + refused if job.finished else max(job.total, done + refused)
    return BulkProgress(total, done, refused, job.finished, lines, _summary(action, done, refused))


def _done(action: str, count: int) -> str:
    """'3 approved' in the page's language."""
    if action == APPROVE:
        return ngettext("%(num)s approved", "%(num)s approved", count)
    if action == REJECT:
        return ngettext("%(num)s rejected", "%(num)s rejected", count)
    return ngettext("%(num)s written to", "%(num)s written to", count)


def _refused(action: str, count: int) -> str:
    """'2 could not be approved' in the page's language."""
    if action == APPROVE:
        return ngettext("%(num)s could not be approved", "%(num)s could not be approved", count)
    if action == REJECT:
        return ngettext("%(num)s could not be rejected", "%(num)s could not be rejected", count)
    return ngettext("%(num)s could not be written to", "%(num)s could not be written to", count)


def _summary(action: str, done: int, refused: int) -> str:
    """The counts in one sentence, what the page's live region says when they change."""
    if not done and not refused:
        return ""
    text = _done(action, done)
    return f"{text}, {_refused(action, refused)}." if refused else f"{text}."


@labels(BULK)
def label(job: Job) -> Markup:
    """The job's name in the page's language: what it does and the conference's title (with
    its `lang` when in another language)."""
    ids = job.subject.get("registration_ids")
    what = _label_words(job.subject.get("action", APPROVE), None if ids is None else len(ids))
    conference = db.session.get(Conference, job.conference_id)
    if conference is None:
        return Markup("{}").format(what)
    return Markup("{}: {}").format(what, conference.shown("title"))


def _label_words(action: str, count: int | None) -> str:
    if count is None:
        return gettext(ALL_MATCHING[action])
    if action == APPROVE:
        return ngettext("Approve %(num)s registration", "Approve %(num)s registrations", count)
    if action == REJECT:
        return ngettext("Reject %(num)s registration", "Reject %(num)s registrations", count)
    return ngettext("Write to %(num)s registration", "Write to %(num)s registrations", count)


ALL_MATCHING = {
    APPROVE: N_("Approve all matching registrations"),
    REJECT: N_("Reject all matching registrations"),
    WRITE: N_("Write to all matching registrations"),
}


@counts(BULK)
def decisions_counted(job: Job) -> Counts | None:
    """The general progress page's figures of a decision job: the registrations selected,
    decided and refused (a message job's are its outbox rows)."""
    if job.subject.get("action") == WRITE:
        return None
    found = progress(job)
    return Counts(found.total, found.done, found.refused)


def _names(job_id: str, reason: str, values: dict[str, str]) -> list[str]:
    return list(
        db.session.scalars(
            db.select(Registration.name)
            .join(BulkOutcome, BulkOutcome.registration_id == Registration.id)
            .where(
                BulkOutcome.job_id == job_id,
                BulkOutcome.reason == reason,
                BulkOutcome.reason_values == values,
            )
            .order_by(Registration.name)
            .limit(50)
        )
    )
