"""Anonymising registrations, invitations, attendance facts, mail and audit entries.

Rows are kept, with their state, mode, member, panels and times, so every figure (by state,
mode, panel, member) stays as it was; only what names or reaches a person goes. Statements
bypass the unit of work: the audit hook must not copy the erased values into new entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, text, union, update

from registration.attendance.models import AttendanceEvent, AttendanceSource
from registration.audit.models import ERASED, AuditEntry
from registration.database import db
from registration.delegates.retention import erase_delegate_data
from registration.i18n import N_
from registration.invitations.models import Invitation, new_invitation_token
from registration.mail.erasure import erase_messages, messages_about, messages_to
from registration.signup.models import Registration, new_token

REPORT_SOURCES = (AttendanceSource.ZOOM_REPORT, AttendanceSource.TEAMS_REPORT)
# Entries about these subjects name a person in their subject; a mail entry's note too.
PERSONAL_SUBJECTS = ("registration", "invitation", "mail")
# What an erasure did, as labels and numbers (worded where the audit log is shown).
ERASED_NOTE = N_(
    "Registrations: %(registrations)s; invitations: %(invitations)s; attendance facts: "
    "%(facts)s; mails: %(mails)s; audit entries: %(entries)s; unsent mails cancelled: "
    "%(unsent)s; built documents: %(built)s"
)
RETENTION_NOTE = N_(
    "Retention period (months after the end): %(months)s. Registrations: %(registrations)s; "
    "invitations: %(invitations)s; attendance facts: %(facts)s; mails: %(mails)s; audit "
    "entries: %(entries)s; built documents: %(built)s"
)


def erased_address(kind: str, row_id: int) -> str:
    """A unique, undeliverable address (the unique constraints stay satisfied)."""
    return f"erased-{kind}-{row_id}@erased.invalid"


@dataclass
class Erased:
    """How many rows of each kind lost their personal data (or would, in a dry run)."""

    registrations: int = 0
    invitations: int = 0
    attendance_facts: int = 0
    mails: int = 0
    audit_entries: int = 0
    unsent_mails: int = 0  # cancelled (a participant's own erasure)
    mailbox_files: int = 0  # the local mail catcher's copies
    built_files: int = 0  # documents built by jobs (badges, participant lists)

    def counts(self) -> dict[str, int]:
        """The audit note's values (`ERASED_NOTE`); the mailbox files go after the commit."""
        return {
            "registrations": self.registrations,
            "invitations": self.invitations,
            "facts": self.attendance_facts,
            "mails": self.mails,
            "entries": self.audit_entries,
            "unsent": self.unsent_mails,
            "built": self.built_files,
        }

    def words(self) -> str:
        extra = [
            f"{count} {what}"
            for count, what in (
                (self.unsent_mails, "unsent mails cancelled"),
                (self.mailbox_files, "mailbox files"),
                (self.built_files, "built documents"),
            )
            if count
        ]
        return ", ".join(
            [
                f"{self.registrations} registrations",
                f"{self.invitations} invitations",
                f"{self.attendance_facts} attendance facts",
                f"{self.mails} mails",
                f"{self.audit_entries} audit entries",
                *extra,
            ]
        )


@dataclass(frozen=True)
class Targets:
    """The rows holding a group of people's personal data."""

    registrations: list[tuple[int, str]]  # (id, e-mail)
    invitations: list[tuple[int, str]]
    conference_id: int | None = None  # set: the conference's mail entries too

    @property
    def registration_ids(self) -> list[int]:
        return [row_id for row_id, _ in self.registrations]

    @property
    def addresses(self) -> set[str]:
        return {email for _, email in self.registrations + self.invitations}

    def mail_ids(self, *, done_only: bool = True) -> list[int]:
        owners = [(email, "*", row_id) for row_id, email in self.registrations]
        owners += [(email, "invitation", row_id) for row_id, email in self.invitations]
        return messages_to(owners, done_only=done_only)


def conference_targets(conference_id: int) -> Targets:
    registrations = db.session.execute(
        db.select(Registration.id, Registration.email).where(
            Registration.conference_id == conference_id,
            Registration.personal_data_erased_at.is_(None),
        )
    ).all()
    invitations = db.session.execute(
        db.select(Invitation.id, Invitation.email).where(
            Invitation.conference_id == conference_id,
            Invitation.personal_data_erased_at.is_(None),
        )
    ).all()
    return Targets(
        [tuple(r) for r in registrations], [tuple(i) for i in invitations], conference_id
    )


def _facts_query(registration_ids: Any) -> Any:
    """Facts naming a person: a report row's text, and its key (a digest of that row)."""
    report_key = AttendanceEvent.source.in_(REPORT_SOURCES) & AttendanceEvent.dedup_key.is_not(None)
    return db.select(AttendanceEvent.id).where(
        AttendanceEvent.registration_id.in_(registration_ids),
        or_(AttendanceEvent.detail != "", report_key),
    )


def _audit_query(targets: Targets) -> Any:
    invitation_ids = [row_id for row_id, _ in targets.invitations]
    return _audit_about(targets.registration_ids, invitation_ids, targets.conference_id)


def _audit_about(registration_ids: Any, invitation_ids: Any, conference_id: int | None) -> Any:
    """Entries about these registrations and invitations (lists or selects of ids)."""
    about: list[ColumnElement[bool]] = [
        AuditEntry.registration_id.in_(registration_ids),
        (AuditEntry.subject_type == "invitation") & AuditEntry.subject_id.in_(invitation_ids),
    ]
    if conference_id is not None:
        about.append(
            (AuditEntry.conference_id == conference_id)
            & AuditEntry.subject_type.in_(PERSONAL_SUBJECTS)
        )
    return db.select(AuditEntry).where(or_(*about), AuditEntry.personal_data_erased_at.is_(None))


def held(conference_id: int) -> Erased:
    """What erasing the conference would change (its page, the dry run), counted in SQL."""
    registrations = db.select(Registration.id, Registration.email).where(
        Registration.conference_id == conference_id,
        Registration.personal_data_erased_at.is_(None),
    )
    invitations = db.select(Invitation.id, Invitation.email).where(
        Invitation.conference_id == conference_id,
        Invitation.personal_data_erased_at.is_(None),
    )
    registration_ids = registrations.with_only_columns(Registration.id)
    invitation_ids = invitations.with_only_columns(Invitation.id)
    mails = union(
        messages_about(registrations.subquery(), "*"),
        messages_about(invitations.subquery(), "invitation"),
    )
    audit = _audit_about(registration_ids, invitation_ids, conference_id)

    def rows(query: Any) -> int:
        return db.session.scalar(db.select(db.func.count()).select_from(query.subquery())) or 0

    return Erased(
        registrations=rows(registrations),
        invitations=rows(invitations),
        attendance_facts=rows(_facts_query(registration_ids)),
        mails=rows(mails),
        audit_entries=rows(audit.with_only_columns(AuditEntry.id)),
    )


def erase(targets: Targets, now: datetime) -> Erased:
    """Anonymise every row of the targets; does not commit."""
    done = Erased(mails=erase_messages(targets.mail_ids()))
    done.audit_entries = _erase_audit(targets, now)
    if targets.registrations:
        db.session.execute(
            update(Registration),
            [_erased_registration(row_id, now) for row_id, _ in targets.registrations],
        )
        done.registrations = len(targets.registrations)
        done.attendance_facts = _erase_facts(targets.registration_ids)
        erase_delegate_data(targets.registration_ids)  # answers, photos, passport data
    if targets.invitations:
        db.session.execute(
            update(Invitation),
            [
                {
                    "id": row_id,
                    "name": ERASED,
                    "email": erased_address("i", row_id),
                    "token": new_invitation_token(),
                    "personal_data_erased_at": now,
                }
                for row_id, _ in targets.invitations
            ],
        )
        done.invitations = len(targets.invitations)
    return done


def _erased_registration(row_id: int, now: datetime) -> dict[str, Any]:
    return {
        "id": row_id,
        "name": ERASED,
        "email": erased_address("r", row_id),
        "position": "",
        "institution": "",
        "institution_id": None,
        "status_reason": "",
        "consent_to_list": False,
        "feed_token": new_token(),
        "personal_data_erased_at": now,
    }


def _erase_facts(registration_ids: list[int]) -> int:
    facts = list(db.session.scalars(_facts_query(registration_ids)))
    if facts:
        db.session.execute(
            update(AttendanceEvent)
            .where(AttendanceEvent.id.in_(facts))
            .values(detail="")
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            update(AttendanceEvent)
            .where(AttendanceEvent.id.in_(facts), AttendanceEvent.source.in_(REPORT_SOURCES))
            .values(dedup_key=None)
            .execution_options(synchronize_session=False)
        )
    return len(facts)


def _erase_audit(targets: Targets, now: datetime) -> int:
    """Blank the personal fields of the entries; the trigger lets only this through."""
    entries = list(db.session.scalars(_audit_query(targets)))
    if not entries:
        return 0
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL registration.audit_erasing = 'on'"))
    db.session.execute(
        update(AuditEntry),
        [
            {
                "id": entry.id,
                **_erased_subject(entry),
                **_erased_note(entry),
                "changes": [_erased_line(line) for line in entry.changes],
                "personal_data_erased_at": now,
            }
            for entry in entries
        ],
    )
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL registration.audit_erasing = 'off'"))
    return len(entries)


def _erased_subject(entry: AuditEntry) -> dict[str, Any]:
    """A person's entry names them in its subject: it goes, with its values."""
    if entry.subject_type in PERSONAL_SUBJECTS:
        return {"subject": ERASED, "subject_values": None}
    return {"subject": entry.subject, "subject_values": entry.subject_values}


def _erased_note(entry: AuditEntry) -> dict[str, Any]:
    """A mail entry's note names the address: it goes, with its values."""
    if entry.note and entry.subject_type == "mail":
        return {"note": ERASED, "note_values": None}
    return {"note": entry.note, "note_values": entry.note_values}


def _erased_line(line: dict[str, Any]) -> dict[str, Any]:
    if not line.get("personal"):
        return line
    return {
        **line,
        "before": ERASED if line.get("before") else None,
        "after": ERASED if line.get("after") else None,
    }
