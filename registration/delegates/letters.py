"""Visa support letters: the request, the organiser's decision, revocation, verification.

Numbers: from the correspondence register when a scheme is chosen for the conference or its
series (`numbering`; the scheme's counter is locked), otherwise per conference under a lock
of the conference's row; either way two organisers issuing at once never get the same number
and none is skipped. An issued letter never changes: a correction is a revocation and a new
letter with its own number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func

from registration.accounts.models import User
from registration.conferences.models import Conference
from registration.correspondence import register
from registration.correspondence.models import EntryStatus
from registration.database import db, utcnow
from registration.delegates import numbering
from registration.delegates.models import LetterStatus, VisaLetter
from registration.i18n import N_
from registration.signup.models import AttendanceMode, Registration, RegistrationStatus


class LetterError(ValueError):
    """A step the letter's state does not allow; the message says why (marked N_)."""


@dataclass(frozen=True)
class LetterRequest:
    passport_name: str
    passport_number: str
    nationality: str
    arrival: date
    departure: date
    consulate_city: str


def may_ask(registration: Registration) -> bool:
    """Letters are for people who travel: active in-person registrations."""
    return registration.mode is AttendanceMode.IN_PERSON and registration.is_active


def current_letter(registration_id: int) -> VisaLetter | None:
    """The person's latest request or letter."""
    return db.session.scalar(
        db.select(VisaLetter)
        .filter_by(registration_id=registration_id)
        .order_by(VisaLetter.id.desc())
        .limit(1)
    )


def request_letter(registration: Registration, given: LetterRequest) -> VisaLetter:
    """Ask for a letter, or change a request not decided yet; commits."""
    if not may_ask(registration):
        raise LetterError(N_("Visa support letters are for active in-person registrations."))
    letter = current_letter(registration.id)
    if letter is not None and letter.status is LetterStatus.ISSUED:
        raise LetterError(N_("Your letter is issued already; it cannot change any more."))
    if letter is None or letter.status is not LetterStatus.REQUESTED:
        letter = VisaLetter(
            registration_id=registration.id, conference_id=registration.conference_id
        )
        db.session.add(letter)
    letter.passport_name = given.passport_name.strip()
    letter.passport_number = given.passport_number.strip().upper()
    letter.nationality = given.nationality
    letter.arrival, letter.departure = given.arrival, given.departure
    letter.consulate_city = given.consulate_city.strip()
    letter.requested_at = utcnow()
    db.session.commit()
    return letter


def _next_number(conference_id: int) -> int:
    """The next number of the conference's letters; holds the conference's row lock until
    the transaction ends."""
    db.session.execute(
        db.select(Conference.id).where(Conference.id == conference_id).with_for_update()
    )
    highest = db.session.scalar(
        db.select(func.max(VisaLetter.number)).filter_by(conference_id=conference_id)
    )
    return (highest or 0) + 1


def _locked(letter: VisaLetter) -> VisaLetter:
    db.session.refresh(letter, with_for_update=True)
    return letter


def issue(letter: VisaLetter, by: User) -> VisaLetter:
    """Number and issue a requested letter of an approved registration; commits."""
    scheme = numbering.scheme_for(letter.conference)
    number = _next_number(letter.conference_id) if scheme is None else None
    letter = _locked(letter)
    if letter.status is not LetterStatus.REQUESTED:
        db.session.rollback()
        raise LetterError(N_("Only a requested letter can be issued."))
    if letter.registration.status is not RegistrationStatus.APPROVED:
        db.session.rollback()
        raise LetterError(N_("Approve the registration before issuing its letter."))
    if scheme is not None:  # the register's entry names no one: it outlives personal data
        letter.entry = register.take_number(
            scheme.id,
            N_("Visa support letter #%(letter)s: %(title)s"),
            by.id,
            subject_values={
                "letter": str(letter.id),
                "title": letter.conference.in_languages("title"),
            },
            conference_id=letter.conference_id,
        )
    letter.number = number
    letter.status = LetterStatus.ISSUED
    letter.issued_at = utcnow()
    letter.issued_by_id = by.id
    _mail(letter, "issued")
    db.session.commit()
    return letter


def decline(letter: VisaLetter, reason: str) -> VisaLetter:
    letter = _locked(letter)
    if letter.status is not LetterStatus.REQUESTED:
        db.session.rollback()
        raise LetterError(N_("Only a requested letter can be declined."))
    letter.status = LetterStatus.DECLINED
    letter.reason = reason.strip()
    _mail(letter, "declined")
    db.session.commit()
    return letter


def revoke(letter: VisaLetter, reason: str) -> VisaLetter:
    """The letter stops being valid (its verification page says so) and its register number,
    if it has one, is cancelled in the same transaction; commits."""
    letter = _locked(letter)
    if letter.status is not LetterStatus.ISSUED:
        db.session.rollback()
        raise LetterError(N_("Only an issued letter can be revoked."))
    letter.status = LetterStatus.REVOKED
    letter.reason = reason.strip()
    letter.revoked_at = utcnow()
    entry = letter.entry
    if entry is not None and entry.status is not EntryStatus.CANCELLED:
        # The number stays in the register, marked cancelled (audit-logged there); the reason
        # names no one, since the register outlives the retention rule.
        register.cancel(
            entry,
            N_("Visa support letter #%(letter)s revoked."),
            reason_values={"letter": str(letter.id)},
            conference_id=letter.conference_id,
        )
    _mail(letter, "revoked")
    db.session.commit()
    return letter


def by_code(code: str) -> VisaLetter | None:
    """An issued or revoked letter by the code of its QR code."""
    if not code or len(code) > 40:
        return None
    letter = db.session.scalar(db.select(VisaLetter).filter_by(code=code))
    if letter is None or letter.status not in {LetterStatus.ISSUED, LetterStatus.REVOKED}:
        return None
    return letter


def letters_of(conference_id: int) -> list[VisaLetter]:
    return list(
        db.session.scalars(
            db.select(VisaLetter)
            .filter_by(conference_id=conference_id)
            .order_by(VisaLetter.requested_at, VisaLetter.id)
        )
    )


def erase_passport_data(registration_ids: Iterable[int]) -> int:
    """The retention hook: blank the passport data of these registrations' letters (no
    commit). Numbers, states and dates stay, so the register has no gap and a verification
    still answers; returns how many letters."""
    ids = list(registration_ids)
    letters = list(
        db.session.scalars(db.select(VisaLetter).where(VisaLetter.registration_id.in_(ids)))
    )
    for letter in letters:
        letter.passport_name = ""
        letter.passport_number = ""
        letter.nationality = ""
        letter.consulate_city = ""
    return len(letters)


def _mail(letter: VisaLetter, kind: str) -> None:
    from registration.delegates.mailing import mail_about_letter

    mail_about_letter(letter, kind)
