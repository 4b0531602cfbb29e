"""Inviting people: parse lists, create invitations, queue their mail in the background.

Creating thousands of invitations takes one request (plain inserts) and one fan-out job;
a worker composes their mail (`compose_job`, registered in `fanout`), writing outbox rows in
chunks, so the organiser follows it on the job's progress page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext
from sqlalchemy import bindparam, func, select, update

from registration.audit import recorder as audit
from registration.conferences.models import Conference, Panel
from registration.database import db, utcnow
from registration.directory.models import Member
from registration.i18n import N_, in_language
from registration.input_policy import column_length
from registration.invitations.mailing import INVITATION_MAIL, known_languages
from registration.invitations.models import Invitation, InvitationStatus
from registration.jobs import services as jobs
from registration.jobs.models import Job
from registration.mail.outbox import queue_intent
from registration.signup.models import ParticipantRole
from registration.signup.offer import member_finder
from registration.uploads import UploadError, csv_rows

CHUNK = 500
NAME_MAX = column_length(Invitation.name)
# A first line whose second cell holds one of these is a header ("E-mail", "Эл. почта").
HEADER_WORDS = ("mail", "почт", "пошт")
INVITE = "invitations.invite"
REMIND = "invitations.remind"
# The audit note of a batch of invitations (counts as labels and numbers: no plural forms).
INVITED = N_("Invited: %(invited)s")


@dataclass(frozen=True)
class Invitee:
    name: str
    email: str
    member: Member | None
    role: ParticipantRole


class InviteeError(ValueError):
    """Why a typed invitee or a list's line cannot be read: the English message (str(error),
    for logs) and the marked message with its values, worded in the page's language by
    `translated()`."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message % values if values else message)
        self.message = message
        self.values = values

    def translated(self) -> str:
        return gettext(self.message, **self.values)


@dataclass(frozen=True)
class LineProblem:
    """A line of a list that cannot be read (line None: the whole text) and why."""

    line: int | None
    error: InviteeError | UploadError

    def __str__(self) -> str:
        return f"line {self.line}: {self.error}" if self.line else str(self.error)

    def translated(self) -> str:
        problem = self.error.translated()
        if not self.line:
            return problem
        return gettext("line %(line)s: %(problem)s", line=self.line, problem=problem)


class InviteeListError(ValueError):
    """Lines of a pasted list or CSV file that cannot be read; `problems` holds the reasons."""

    def __init__(self, problems: list[LineProblem]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class Words:
    """What a typed member or role may be, read once for a whole list: a member by any of its
    names or codes in any of our languages (the registration form's member search), a role
    by its code or its word in any of our languages."""

    member: Callable[[str], Member | None]
    roles: dict[str, ParticipantRole]

    @classmethod
    def read(cls) -> Words:
        roles = {role.value: role for role in ParticipantRole}
        for language in current_app.config["LANGUAGES"]:
            with in_language(language):
                roles |= {gettext(role.label).casefold(): role for role in ParticipantRole}
        return cls(member_finder(), roles)


def role_words() -> str:
    """The roles as a list may name them, in the page's language ('speaker, participant, ...')."""
    return ", ".join(gettext(role.label).lower() for role in ParticipantRole)


def parse_role(text: str, roles: dict[str, ParticipantRole]) -> ParticipantRole:
    value = text.strip().casefold()
    if not value:
        return ParticipantRole.PARTICIPANT
    if value not in roles:
        raise InviteeError(
            N_("unknown role '%(role)s' (use %(choices)s)"), role=text.strip(), choices=role_words()
        )
    return roles[value]


def read_invitee(
    name: str, email: str, member_code: str = "", role: str = "", words: Words | None = None
) -> Invitee:
    """One invitee from typed values (a member and a role in any of our languages, see
    Words); InviteeError with a message a person understands."""
    words = words or Words.read()
    if not name.strip():
        raise InviteeError(N_("the name is missing"))
    if len(name.strip()) > NAME_MAX:
        raise InviteeError(N_("the name is longer than %(num)s characters"), num=NAME_MAX)
    if not email.strip():
        raise InviteeError(N_("the e-mail address is missing"))
    try:
        address = validate_email(email.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise InviteeError(N_("%(email)s is not an e-mail address"), email=email.strip()) from None
    member = words.member(member_code) if member_code.strip() else None
    if member_code.strip() and member is None:
        raise InviteeError(
            N_("unknown member state or organisation '%(code)s'"), code=member_code.strip()
        )
    role_found = parse_role(role, words.roles)
    return Invitee(name=name.strip(), email=address, member=member, role=role_found)


def parse_invitees(text: str) -> list[Invitee]:
    """Lines of 'name, e-mail, member state, role' (CSV; a header line is skipped); a bad
    line's error names it."""
    words = Words.read()
    invitees: list[Invitee] = []
    problems: list[LineProblem] = []
    seen: set[str] = set()
    try:
        rows = csv_rows(text)
    except UploadError as error:  # says its line itself
        raise InviteeListError([LineProblem(None, error)]) from None
    for index, row in enumerate(rows):
        number, cells = row.line, row.cells
        if not any(cells):
            continue
        if index == 0 and len(cells) > 1 and any(w in cells[1].lower() for w in HEADER_WORDS):
            continue
        if len(cells) < 2:
            expected = N_("expected 'name, e-mail, member state, role'")
            problems.append(LineProblem(number, InviteeError(expected)))
            continue
        cells += [""] * (4 - len(cells))
        try:
            invitee = read_invitee(*cells[:4], words=words)
        except InviteeError as error:
            problems.append(LineProblem(number, error))
            continue
        if invitee.email.lower() in seen:
            twice = InviteeError(N_("%(email)s appears twice"), email=invitee.email)
            problems.append(LineProblem(number, twice))
            continue
        seen.add(invitee.email.lower())
        invitees.append(invitee)
    if problems:
        raise InviteeListError(problems)
    return invitees


@dataclass(frozen=True)
class InviteOutcome:
    job: Job | None
    created: int
    already_invited: list[str]


def invite(
    conference: Conference, invitees: Iterable[Invitee], panels: list[Panel]
) -> InviteOutcome:
    """Create invitations (skipping addresses already invited) and one job that mails them;
    commits."""
    existing = {
        email.lower()
        for email in db.session.scalars(
            select(Invitation.email).where(Invitation.conference_id == conference.id)
        )
    }
    fresh = [i for i in invitees if i.email.lower() not in existing]
    skipped = [i.email for i in invitees if i.email.lower() in existing]
    if not fresh:
        return InviteOutcome(job=None, created=0, already_invited=skipped)
    job = jobs.start(
        INVITE,
        f"Invitations to {conference.title} ({len(fresh)})",
        conference_id=conference.id,
        total=len(fresh),
        count=len(fresh),
    )
    for invitee in fresh:
        db.session.add(
            Invitation(
                conference_id=conference.id,
                name=invitee.name,
                email=invitee.email,
                member=invitee.member,
                role=invitee.role,
                batch=job.id,
                panels=list(panels),
            )
        )
    counts = {"invited": len(fresh), "skipped": len(skipped)}
    note = N_("Invited: %(invited)s; already invited: %(skipped)s") if skipped else INVITED
    _audit_batch("invitations.sent", conference, note, counts)
    db.session.commit()
    return InviteOutcome(job=job, created=len(fresh), already_invited=skipped)


def _audit_batch(action: str, conference: Conference, note: str, values: dict[str, int]) -> None:
    audit.record(
        action,
        subject_type="conference",
        subject_id=conference.id,
        **audit.text_subject(conference.in_languages("title")),
        conference_id=conference.id,
        note=note,
        note_values=values,
    )


def remind_pending(conference: Conference) -> Job | None:
    """A reminder to everyone who has not answered, sent in the background; commits."""
    pending = db.session.scalar(
        select(func.count()).where(
            Invitation.conference_id == conference.id,
            Invitation.status == InvitationStatus.PENDING,
        )
    )
    if not pending:
        return None
    label = f"Reminders to {pending} pending invitees"
    job = jobs.start(REMIND, label, conference_id=conference.id, total=pending, count=pending)
    _audit_batch(
        "invitations.reminded",
        conference,
        N_("Pending invitees: %(pending)s"),
        {"pending": pending},
    )
    db.session.commit()
    return job


def compose_job(job: Job) -> int:
    """Write the outbox intents of a bulk send (the worker that sends each composes it),
    committing every CHUNK; safe to run twice (the idempotency keys are per invitation, and
    per job for reminders)."""
    job_id, kind, created_at = job.id, job.kind, job.created_at
    conference = db.session.get(Conference, job.conference_id)
    if kind == INVITE:
        query = select(Invitation.id).where(Invitation.batch == job_id)
    else:
        query = select(Invitation.id).where(
            Invitation.conference_id == job.conference_id,
            Invitation.status == InvitationStatus.PENDING,
            Invitation.created_at < created_at,
        )
    ids = list(db.session.scalars(query.order_by(Invitation.id)))
    jobs.heartbeat(job_id, total=len(ids))
    reminder = kind == REMIND
    for start in range(0, len(ids), CHUNK):
        chunk = db.session.scalars(
            select(Invitation).where(Invitation.id.in_(ids[start : start + CHUNK]))
        ).all()
        now = utcnow()
        languages = known_languages([invitation.email for invitation in chunk])
        for invitation in chunk:
            key = f"invitation:{invitation.id}" + (f":reminder:{job_id}" if reminder else "")
            language = languages.get(invitation.email.lower(), conference.language)
            intent = {"invitation": invitation.id, "reminder": reminder, "language": language}
            recipient = invitation.email
            queue_intent(INVITATION_MAIL, intent, key=key, recipient=recipient, batch=job_id)
            if reminder:
                invitation.reminded_at = now
            else:
                invitation.sent_at = invitation.sent_at or now
        jobs.heartbeat(job_id)
        db.session.commit()
    return len(ids)


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation behind a personal link (the registration form pre-fills from it)."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(Invitation).where(Invitation.token == token))


_invitations = Invitation.__table__
_ACCEPT = (
    update(_invitations)
    .where(
        _invitations.c.conference_id == bindparam("for_conference"),
        func.lower(_invitations.c.email) == bindparam("for_email"),
        _invitations.c.status != InvitationStatus.ACCEPTED,
    )
    .values(status=InvitationStatus.ACCEPTED, answered_at=bindparam("now"))
)


def mark_accepted(conference_id: int, email: str) -> bool:
    """Signup calls this in its transaction when an invited address registers."""
    parameters = {
        "for_conference": conference_id,
        "for_email": email.strip().lower(),
        "now": utcnow(),
    }
    return db.session.execute(_ACCEPT, parameters).rowcount > 0


def decline(invitation: Invitation) -> None:
    """The invitee says no; commits. An accepted invitation stays accepted."""
    if invitation.status == InvitationStatus.PENDING:
        invitation.status = InvitationStatus.DECLINED
        invitation.answered_at = utcnow()
        db.session.commit()


def status_counts(conference_id: int) -> dict[InvitationStatus, int]:
    rows = db.session.execute(
        select(Invitation.status, func.count())
        .where(Invitation.conference_id == conference_id)
        .group_by(Invitation.status)
    ).all()
    counts = dict.fromkeys(InvitationStatus, 0)
    counts.update({InvitationStatus(s): n for s, n in rows})
    return counts


def invitations_of(conference_id: int, status: InvitationStatus | None = None) -> list[Invitation]:
    query = select(Invitation).where(Invitation.conference_id == conference_id)
    if status:
        query = query.where(Invitation.status == status)
    return list(db.session.scalars(query.order_by(Invitation.created_at.desc(), Invitation.id)))
