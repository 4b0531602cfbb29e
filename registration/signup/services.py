"""Registering, changing, withdrawing and reviewing: the operations, each one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from registration.accounts.models import User
from registration.accounts.services import normalize_email
from registration.conferences.models import Conference
from registration.database import db, utcnow
from registration.i18n import N_
from registration.signup import affiliation, errors, places, promotion
from registration.signup.answers import AnswerInput, forget_files, save_answers
from registration.signup.errors import (
    DuplicateRegistrationError,
    RegistrationClosedError,
    SignupError,
)
from registration.signup.mailing import gets_badge, mail_registrant, mail_stamp, resend_link
from registration.signup.models import (
    SEAT_HOLDING,
    AttendanceMode,
    ParticipantRole,
    Question,
    Registration,
    RegistrationPanel,
    RegistrationSettings,
    RegistrationStatus,
    SignupPanel,
)
from registration.signup.new_rows import insert_registration
from registration.signup.places import (
    Tally,
    admitted_status,
    follow_in_calendars,
    lock_settings,
    panels_of,
)
from registration.signup.promotion import promote_next
from registration.signup.question_fields import answers_from

if TYPE_CHECKING:
    from registration.signup.forms import RegistrationForm

# Why a change of mode was refused, then what stays: `reason` is a Tally.why_not message.
STAYS = {
    AttendanceMode.IN_PERSON: N_("%(reason)s Your registration stays in person."),
    AttendanceMode.ONLINE: N_("%(reason)s Your registration stays online."),
}


@dataclass
class Applicant:
    """What the form (public or a focal point's) says about the person."""

    name: str
    email: str
    member_id: int
    mode: AttendanceMode
    position: str = ""
    institution: str = ""
    panel_ids: list[int] = field(default_factory=list)
    role: ParticipantRole = ParticipantRole.PARTICIPANT
    language: str = "en"
    consent_to_list: bool = False
    mail_language: str = "en"
    answers: list[AnswerInput] = field(default_factory=list)


def applicant_from(form: RegistrationForm, questions: Sequence[Question] = ()) -> Applicant:
    return Applicant(
        name=form.name.data or "",
        email=form.email.data or "",
        member_id=int(form.member.data),
        mode=AttendanceMode(form.mode.data),
        position=form.position.data or "",
        institution=form.institution.data or "",
        panel_ids=list(form.panels.data or []),
        role=ParticipantRole(form.role.data),
        language=form.language.data or "en",
        consent_to_list=bool(form.consent.data),
        mail_language=form.mail_language.data or "en",
        answers=answers_from(form, questions, AttendanceMode(form.mode.data)),
    )


def _existing(conference_id: int, email: str) -> Registration | None:
    return db.session.scalar(
        db.select(Registration).filter_by(conference_id=conference_id, email=email)
    )


def _duplicate(conference_id: int, email: str) -> DuplicateRegistrationError:
    existing = _existing(conference_id, email)
    if existing is not None:
        resend_link(existing)
    return DuplicateRegistrationError(
        N_(
            "%(email)s is already registered for this conference. We have sent the link to "
            "view or change that registration to this address again."
        ),
        email=email,
    )


def _set_panels(registration: Registration, panel_ids: list[int]) -> None:
    """Link exactly these panels; a change moves `updated_at` (personal feeds' version)."""
    wanted = set(panel_ids)
    held = {link.panel_id for link in registration.panel_links}
    if wanted == held:
        return
    registration.panel_links = [
        link for link in registration.panel_links if link.panel_id in wanted
    ] + [RegistrationPanel(panel_id=pid) for pid in sorted(wanted - held)]
    registration.updated_at = utcnow()


def _valid_panels(settings: RegistrationSettings, panel_ids: list[int]) -> list[int]:
    if not set(panel_ids) <= settings.panel_ids:
        db.session.rollback()
        raise SignupError(N_("One of the chosen panels does not accept sign-ups."))
    return sorted(set(panel_ids))


def register(
    conference_id: int,
    applicant: Applicant,
    *,
    registered_by: User | None = None,
    now: datetime | None = None,
) -> Registration:
    """Create a registration, holding a place or waiting for one; mails the link; commits.

    A focal point's nomination (`registered_by`) is approved at once if a place is free.
    Someone who withdrew registers again on their old row (one row per address), at the end
    of any waiting list; any other existing registration is a duplicate.
    """
    email = normalize_email(applicant.email)
    settings, existing, heard = places.lock_settings_for(conference_id, email)
    if not settings.is_open(now or utcnow()):
        db.session.rollback()
        raise RegistrationClosedError(N_("Registration for this conference is closed."))
    if existing is not None and existing is not RegistrationStatus.WITHDRAWN:
        raise _duplicate(conference_id, email)
    panel_ids = _valid_panels(settings, applicant.panel_ids)
    fields = _fields(settings, applicant, registered_by)
    registration = _existing(conference_id, email) if existing is not None else None
    if registration is not None and registration.status is not RegistrationStatus.WITHDRAWN:
        # Registered again by a request that held the lock while this one waited for it: the
        # lookup above read the table as it was before the wait.
        raise _duplicate(conference_id, email)
    stored: list[str] = []
    try:
        if registration is None:
            registration = insert_registration(conference_id, email, fields, panel_ids)
            key = "signup-confirm:{id}"
        else:  # withdrawn: the same row again, with the new answers, last in any queue
            for name, value in fields.items():
                setattr(registration, name, value)
            registration.created_at = utcnow()
            _set_panels(registration, panel_ids)
            key = f"signup-confirm:{{id}}:{mail_stamp()}"
            db.session.flush()
        places.registered(registration, heard=heard)
        stored = save_answers(registration, applicant.answers)
        mail_registrant(registration, "confirm", key.format(id=registration.id))
        if registration.status is RegistrationStatus.APPROVED:
            follow_in_calendars(registration)
        registration_id = registration.id
        db.session.commit()
    except BaseException as error:
        forget_files(stored)  # the answers' files of a registration that was not written
        if isinstance(error, IntegrityError):
            db.session.rollback()
            raise _duplicate(conference_id, email) from None
        raise
    # The commit expired the object; its id and address (all the link needs) are what was
    # just written, so keep them instead of reloading the row.
    set_committed_value(registration, "id", registration_id)
    set_committed_value(registration, "email", email)
    return registration


def _fields(
    settings: RegistrationSettings, applicant: Applicant, registered_by: User | None
) -> dict[str, object]:
    """The new registration's columns: the answers, and a place or the waiting list (a
    focal point's nomination is approved at once if a place is free)."""
    reason = Tally.load(settings, applicant.member_id).why_not(applicant.member_id, applicant.mode)
    if reason is not None:
        status = RegistrationStatus.WAITLISTED
    elif registered_by is not None:
        status = RegistrationStatus.APPROVED
    else:
        status = admitted_status(settings)
    return {
        "member_id": applicant.member_id,
        "name": applicant.name.strip(),
        "position": applicant.position.strip(),
        **affiliation.columns(applicant.institution, applicant.mail_language),
        "mode": applicant.mode,
        "role": applicant.role,
        "language": applicant.language,
        "consent_to_list": applicant.consent_to_list,
        "mail_language": applicant.mail_language,
        "status": status,
        "status_reason": reason or "",
        "registered_by": registered_by,
    }


def confirm_email(registration: Registration) -> bool:
    """Mark the address confirmed (opening the mailed link proves it); True the first time."""
    if registration.email_confirmed_at is not None:
        return False
    registration.email_confirmed_at = utcnow()
    db.session.commit()
    return True


def _relock(registration: Registration) -> tuple[RegistrationSettings, Registration]:
    settings = lock_settings(registration.conference_id)
    db.session.refresh(registration)
    return settings, registration


def change(registration: Registration, mode: AttendanceMode, panel_ids: list[int]) -> Registration:
    """The person changes attendance mode or panels; a freed seat goes to someone waiting."""
    settings, registration = _relock(registration)
    if not registration.is_active:
        db.session.rollback()
        raise SignupError(N_("This registration is no longer active."))
    chosen = _valid_panels(settings, panel_ids)
    before = set(panels_of(registration))
    old_mode = registration.mode
    had_badge = gets_badge(registration)
    if mode is not old_mode:
        tally = Tally.load(settings)
        if registration.status in SEAT_HOLDING:
            tally.release(registration.member_id, old_mode)
            reason = tally.why_not(registration.member_id, mode)
            if reason is not None:
                db.session.rollback()
                raise SignupError(STAYS[old_mode], reason=reason)
            tally.take(registration.member_id, mode)
            registration.mode = mode
        else:
            registration.mode = mode
            reason = tally.why_not(registration.member_id, mode)
            registration.status_reason = reason or ""
            if reason is None:
                tally.take(registration.member_id, mode)
                registration.status = admitted_status(settings)
        promote_next(settings, tally)
    _set_panels(registration, chosen)
    follow_in_calendars(registration, before)
    if gets_badge(registration) and not had_badge:
        mail_registrant(registration, "badge", f"signup-badge:{registration.id}:{mail_stamp()}")
    db.session.commit()
    return registration


def withdraw(registration: Registration, *, commit: bool = True) -> Registration:
    """The person withdraws, their place to the first who fits; commit=False: erasure goes on."""
    settings, registration = _relock(registration)
    if not registration.is_active:
        db.session.rollback()
        return registration
    registration.status = RegistrationStatus.WITHDRAWN
    mail_registrant(registration, "withdrawn", f"signup-withdrawn:{registration.id}")
    places.tell(registration, "withdrawn")
    follow_in_calendars(registration)
    promote_next(settings, Tally.load(settings))
    if commit:
        db.session.commit()
    return registration


def decide(registration: Registration, *, approve: bool, reason: str = "") -> Registration:
    """A focal point or the secretariat approves or rejects; the person is mailed."""
    settings, registration = _relock(registration)
    if approve:
        if registration.status is not RegistrationStatus.PENDING:
            db.session.rollback()
            raise SignupError(errors.NOT_APPROVABLE[registration.status])
        registration.status = RegistrationStatus.APPROVED
    else:
        if not registration.is_active:
            db.session.rollback()
            raise SignupError(errors.NOT_REJECTABLE[registration.status])
        registration.status = RegistrationStatus.REJECTED
    registration.status_reason = reason.strip()
    kind = "approved" if approve else "rejected"
    mail_registrant(registration, kind, f"signup-{kind}:{registration.id}:{mail_stamp()}")
    places.tell(registration, kind)
    follow_in_calendars(registration)
    if not approve:
        promote_next(settings, Tally.load(settings))
    db.session.commit()
    return registration


def save_settings(
    conference: Conference,
    *,
    opens_at: datetime,
    closes_at: datetime,
    approval_required: bool,
    in_person_capacity: int | None,
    delegation_in_person_quota: int | None,
    delegation_total_quota: int | None,
    panel_ids: list[int],
) -> promotion.Job | None:
    """Create or update the settings; the promotion job (returned) if a limit went up."""
    settings = db.session.scalar(
        db.select(RegistrationSettings).filter_by(conference_id=conference.id).with_for_update()
    )
    if settings is None:
        settings = RegistrationSettings(conference_id=conference.id)
        db.session.add(settings)
    limits = promotion.limits(settings)
    settings.opens_at, settings.closes_at = opens_at, closes_at
    settings.approval_required = approval_required
    settings.in_person_capacity = in_person_capacity
    settings.delegation_in_person_quota = delegation_in_person_quota
    settings.delegation_total_quota = delegation_total_quota
    own = {p.id for p in conference.panels}
    wanted = set(panel_ids) & own
    settings.panel_links = [link for link in settings.panel_links if link.panel_id in wanted] + [
        SignupPanel(panel_id=pid) for pid in sorted(wanted - settings.panel_ids)
    ]
    job = promotion.start_if_freed(settings, limits)
    db.session.commit()
    return job
