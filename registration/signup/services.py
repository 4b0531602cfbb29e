"""Registering, placing people in seats or on the waiting list, reviewing and withdrawing.

Seats: an in-person registration that is pending or approved (`SEAT_HOLDING`) holds a
seat; any pending or approved registration counts against its delegation's total quota.
Waitlisted registrations hold nothing and are promoted in arrival order when a place
frees up. Every change that allocates places first locks the conference's settings row
(`SELECT ... FOR UPDATE` on PostgreSQL), so concurrent sign-ups are serialised per conference.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Select, bindparam, func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from wtforms import SelectChoice

from registration.accounts.models import User
from registration.accounts.services import normalize_email
from registration.attendance.badges import badge_attachment
from registration.conferences.models import (
    Conference,
    ConferenceOrganizer,
    ConferenceStatus,
    OrganizerRole,
    Panel,
    PanelStatus,
)
from registration.database import db, utcnow
from registration.directory.models import Institution, Member, MemberKind
from registration.directory.services import members_for_choice
from registration.invitations.services import mark_accepted
from registration.mail import notifications
from registration.mail.compose import Mail
from registration.mail.outbox import queue_mail
from registration.signup.models import (
    SEAT_HOLDING,
    AttendanceMode,
    ParticipantRole,
    Registration,
    RegistrationPanel,
    RegistrationSettings,
    RegistrationStatus,
    SignupPanel,
)

if TYPE_CHECKING:
    from registration.signup.forms import RegistrationForm

MANAGE_SALT = "signup-manage"
RESEND_WINDOW_SECONDS = 600

WORKING_LANGUAGES = [("en", "English"), ("ru", "Russian")]
HOST_LANGUAGES = {
    "AE": ("ar", "Arabic"),
    "AZ": ("az", "Azerbaijani"),
    "CN": ("zh", "Chinese"),
    "IN": ("hi", "Hindi"),
    "IR": ("fa", "Persian"),
    "KG": ("ky", "Kyrgyz"),
    "KR": ("ko", "Korean"),
    "KZ": ("kk", "Kazakh"),
    "MN": ("mn", "Mongolian"),
    "QA": ("ar", "Arabic"),
    "TH": ("th", "Thai"),
    "TJ": ("tg", "Tajik"),
    "TR": ("tr", "Turkish"),
    "UZ": ("uz", "Uzbek"),
    "VN": ("vi", "Vietnamese"),
}
CITY_COUNTRIES = {"shanghai": "CN", "beijing": "CN", "astana": "KZ", "almaty": "KZ"}


class SignupError(ValueError):
    """A reason a registration change cannot be made, fit to show the person."""


class RegistrationClosedError(SignupError):
    pass


class DuplicateRegistrationError(SignupError):
    """This e-mail is already registered; the manage link has been mailed again."""


class LinkInvalidError(SignupError):
    pass


class LinkExpiredError(LinkInvalidError):
    pass


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


# --- reading -----------------------------------------------------------------------------


def settings_for(conference_id: int) -> RegistrationSettings | None:
    return db.session.scalar(
        db.select(RegistrationSettings)
        .filter_by(conference_id=conference_id)
        .options(selectinload(RegistrationSettings.panel_links))
    )


@dataclass
class SignupContext:
    """What the registration form needs about a conference, loaded in two queries."""

    conference: Conference
    settings: RegistrationSettings | None
    host_country: str | None
    seats_taken: int
    member_fingerprint: tuple[int, int | None]
    panels: list[Panel]

    @property
    def availability(self) -> Availability:
        if self.settings is None or self.settings.in_person_capacity is None:
            return Availability(None)
        return Availability(self.settings.in_person_capacity - self.seats_taken)


@cache
def _context_statements() -> tuple[Select[Any], Select[Any]]:
    """The two queries of `signup_context`, built once: building them costs more than running."""
    host_country = (
        db.select(Member.alpha_2)
        .join(Institution, Institution.member_id == Member.id)
        .join(ConferenceOrganizer, ConferenceOrganizer.institution_id == Institution.id)
        .where(
            ConferenceOrganizer.conference_id == Conference.id,
            ConferenceOrganizer.role == OrganizerRole.HOST,
        )
        .order_by(ConferenceOrganizer.position)
        .limit(1)
        .scalar_subquery()
    )
    seats_taken = (
        db.select(func.count(Registration.id))
        .where(
            Registration.conference_id == Conference.id,
            Registration.mode == AttendanceMode.IN_PERSON,
            Registration.status.in_(SEAT_HOLDING),
        )
        .scalar_subquery()
    )
    member_count = db.select(func.count(Member.id)).scalar_subquery()
    member_max = db.select(func.max(Member.id)).scalar_subquery()
    conference = (
        db.select(
            Conference, RegistrationSettings, host_country, seats_taken, member_count, member_max
        )
        .outerjoin(RegistrationSettings, RegistrationSettings.conference_id == Conference.id)
        .where(
            Conference.slug == bindparam("slug"), Conference.status == ConferenceStatus.PUBLISHED
        )
    )
    panels = (
        db.select(Panel)
        .join(SignupPanel, SignupPanel.panel_id == Panel.id)
        .where(
            SignupPanel.settings_id == bindparam("settings_id"),
            Panel.status != PanelStatus.CANCELLED,
        )
        .order_by(Panel.starts_at, Panel.position)
    )
    return conference, panels


def signup_context(slug: str) -> SignupContext | None:
    """A published conference with its settings, host country and sign-up panels."""
    conference_query, panels_query = _context_statements()
    row = db.session.execute(conference_query, {"slug": slug}).first()
    if row is None:
        return None
    conference, settings, country, taken, count, highest = row
    panels: list[Panel] = []
    if settings is not None:
        panels = list(db.session.scalars(panels_query, {"settings_id": settings.id}))
    return SignupContext(conference, settings, country, taken, (count, highest), panels)


def language_choices(conference: Conference, host_country: str | None) -> list[tuple[str, str]]:
    """CICA's working languages (English, Russian) and the host country's language."""
    choices = list(WORKING_LANGUAGES)
    country = host_country or CITY_COUNTRIES.get(conference.city.strip().lower())
    extra = HOST_LANGUAGES.get(country or "")
    if extra and extra not in choices:
        choices.append(extra)
    return choices


def modes_offered(conference: Conference) -> list[AttendanceMode]:
    """In person only where the conference has a venue; online only where it streams."""
    modes = []
    if conference.has_venue:
        modes.append(AttendanceMode.IN_PERSON)
    if conference.has_online:
        modes.append(AttendanceMode.ONLINE)
    return modes


def member_label(member: Member) -> str:
    return f"{member.flag} {member.name} ({member.code})".strip()


MEMBER_GROUPS = {
    MemberKind.MEMBER_STATE: "Member states",
    MemberKind.OBSERVER_STATE: "Observer states",
    MemberKind.OBSERVER_ORGANIZATION: "Observer organisations",
    MemberKind.PARTNER_ORGANIZATION: "Partner organisations",
}


_member_cache: dict[str, tuple[tuple[int, int | None], list[SelectChoice]]] = {}


def member_choices(
    members: Sequence[Member] | None = None, fingerprint: tuple[int, int | None] | None = None
) -> list[SelectChoice]:
    """Options 'flag name (CODE)' grouped by kind, member states first.

    The full list is cached per process and rebuilt when the members table's
    (count, highest id) changes: a tiny query (or none, when the caller read the
    fingerprint already) instead of loading every member.
    """
    if members is not None:
        return _member_options(members)
    if fingerprint is None:
        row = db.session.execute(db.select(func.count(Member.id), func.max(Member.id))).one()
        fingerprint = (row[0], row[1])
    key = fingerprint
    cache_key = str(db.engine.url)
    cached = _member_cache.get(cache_key)
    if cached is not None and cached[0] == key:
        return cached[1]
    options = _member_options(members_for_choice())
    _member_cache[cache_key] = (key, options)
    return options


def _member_options(members: Sequence[Member]) -> list[SelectChoice]:
    return [
        SelectChoice(str(m.id), member_label(m), optgroup=MEMBER_GROUPS[m.kind]) for m in members
    ]


def applicant_from(form: RegistrationForm) -> Applicant:
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
    )


@dataclass(frozen=True)
class Availability:
    """What the form tells people before they send it."""

    seats_left: int | None

    @property
    def in_person_full(self) -> bool:
        return self.seats_left is not None and self.seats_left <= 0


def online_possible(registration: Registration) -> bool:
    """Would this waiting in-person registration get a place by switching to online?"""
    if registration.status is not RegistrationStatus.WAITLISTED:
        return False
    if registration.mode is not AttendanceMode.IN_PERSON or not registration.conference.has_online:
        return False
    settings = settings_for(registration.conference_id)
    if settings is None:
        return False
    return Tally.load(settings).why_not(registration.member_id, AttendanceMode.ONLINE) is None


def registration_by_id(registration_id: int) -> Registration | None:
    return db.session.get(Registration, registration_id)


# --- links -------------------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=MANAGE_SALT)


def manage_token(registration: Registration) -> str:
    return _serializer().dumps({"r": registration.id, "e": registration.email})


def registration_for_token(token: str) -> Registration:
    """The registration a signed link names; raises LinkExpiredError or LinkInvalidError."""
    max_age = int(timedelta(days=current_app.config["SIGNUP_LINK_MAX_AGE_DAYS"]).total_seconds())
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise LinkExpiredError("This link has expired. Ask for a new one below.") from error
    except BadSignature as error:
        raise LinkInvalidError("This link is not valid. Ask for a new one below.") from error
    registration = db.session.get(Registration, payload.get("r"))
    if registration is None or registration.email != payload.get("e"):
        raise LinkInvalidError("This link does not match a registration. Ask for a new one below.")
    return registration


def external_url(endpoint: str, **values: object) -> str:
    """An absolute URL under BASE_URL, buildable inside or outside a request."""
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    return adapter.build(endpoint, values, force_external=True)


def manage_url(registration: Registration) -> str:
    """The mailed link: opening it confirms the address, then shows the registration."""
    return external_url(
        "signup.confirm", slug=registration.conference.slug, token=manage_token(registration)
    )


# --- places ------------------------------------------------------------------------------


@dataclass
class Tally:
    """Places held in one conference, per member and mode, read under the settings lock."""

    settings: RegistrationSettings
    held: Counter[tuple[int, AttendanceMode]]

    @classmethod
    def load(cls, settings: RegistrationSettings) -> Tally:
        rows = db.session.execute(
            db.select(Registration.member_id, Registration.mode, func.count())
            .where(
                Registration.conference_id == settings.conference_id,
                Registration.status.in_(SEAT_HOLDING),
            )
            .group_by(Registration.member_id, Registration.mode)
        ).all()
        return cls(settings, Counter({(m, mode): n for m, mode, n in rows}))

    def seats_taken(self) -> int:
        return sum(n for (_, mode), n in self.held.items() if mode is AttendanceMode.IN_PERSON)

    def why_not(self, member_id: int, mode: AttendanceMode) -> str | None:
        """None when one more place of this mode fits, else the reason it does not."""
        s = self.settings
        delegation = (
            self.held[(member_id, AttendanceMode.IN_PERSON)]
            + self.held[(member_id, AttendanceMode.ONLINE)]
        )
        if s.delegation_total_quota is not None and delegation >= s.delegation_total_quota:
            return "The quota of places for this delegation is full."
        if mode is AttendanceMode.IN_PERSON:
            if s.in_person_capacity is not None and self.seats_taken() >= s.in_person_capacity:
                return "All in-person seats are taken."
            in_person = self.held[(member_id, AttendanceMode.IN_PERSON)]
            quota = s.delegation_in_person_quota
            if quota is not None and in_person >= quota:
                return "The in-person quota for this delegation is full."
        return None

    def take(self, member_id: int, mode: AttendanceMode) -> None:
        self.held[(member_id, mode)] += 1

    def release(self, member_id: int, mode: AttendanceMode) -> None:
        self.held[(member_id, mode)] -= 1


def _lock_settings(conference_id: int) -> RegistrationSettings:
    """The settings row, locked until commit: allocation is serialised per conference."""
    settings = (
        db.session.scalars(
            db.select(RegistrationSettings)
            .filter_by(conference_id=conference_id)
            .options(joinedload(RegistrationSettings.panel_links))
            .with_for_update(of=RegistrationSettings)
            .execution_options(populate_existing=True)
        )
        .unique()
        .first()
    )
    if settings is None:
        raise RegistrationClosedError("Registration for this conference has not been opened.")
    return settings


def _lock_settings_for(conference_id: int, email: str) -> tuple[RegistrationSettings, bool]:
    """The locked settings row, and whether this address is registered already, in one query.

    The existence test reads the statement's snapshot, so a same-address registration
    committed while this one waited for the lock is caught by the unique constraint instead.
    """
    registered = (
        db.select(Registration.id)
        .where(Registration.conference_id == conference_id, Registration.email == email)
        .exists()
    )
    row = (
        db.session.execute(
            db.select(RegistrationSettings, registered)
            .where(RegistrationSettings.conference_id == conference_id)
            .options(joinedload(RegistrationSettings.panel_links))
            .with_for_update(of=RegistrationSettings)
            .execution_options(populate_existing=True)
        )
        .unique()
        .first()
    )
    if row is None:
        raise RegistrationClosedError("Registration for this conference has not been opened.")
    return row[0], bool(row[1])


def _admitted_status(settings: RegistrationSettings) -> RegistrationStatus:
    if settings.approval_required:
        return RegistrationStatus.PENDING
    return RegistrationStatus.APPROVED


def _promote_waiting(settings: RegistrationSettings, tally: Tally) -> list[Registration]:
    """Give freed places to waiting people, first come first served, where they fit."""
    waiting = db.session.scalars(
        db.select(Registration)
        .filter_by(conference_id=settings.conference_id, status=RegistrationStatus.WAITLISTED)
        .order_by(Registration.created_at, Registration.id)
    ).all()
    promoted = []
    for registration in waiting:
        if tally.why_not(registration.member_id, registration.mode) is not None:
            continue
        tally.take(registration.member_id, registration.mode)
        registration.status = _admitted_status(settings)
        registration.status_reason = ""
        promoted.append(registration)
        _mail(registration, "promoted", f"signup-promoted:{registration.id}:{_stamp()}")
        _follow_in_calendars(registration)
    return promoted


def _follow_in_calendars(registration: Registration, before: set[Panel] | None = None) -> None:
    """Calendar invitations follow the registration: REQUEST while approved, CANCEL otherwise.

    `before`: the panels attended before a change of panels, to cancel the ones left.
    """
    db.session.flush()
    db.session.expire(registration, ["panel_links"])
    if registration.status is RegistrationStatus.APPROVED:
        if before:
            notifications.panels_dropped(
                registration, before - set(notifications.panels_of(registration))
            )
        notifications.registration_approved(registration)
    else:
        notifications.registration_withdrawn(registration)


# --- mail --------------------------------------------------------------------------------

SUBJECTS = {
    "confirm": "Confirm your registration for {title}",
    "link": "Your registration for {title}",
    "approved": "Your registration for {title} is approved",
    "rejected": "Your registration for {title} was not accepted",
    "promoted": "A place is free for you at {title}",
    "withdrawn": "Your registration for {title} is withdrawn",
}


def render_mail(template: str, **context: object) -> str:
    """A mail body from a template; works outside requests (CLI, workers)."""
    return current_app.jinja_env.get_template(template).render(**context)


def _stamp() -> int:
    return time.time_ns() // 1000


def _mail(registration: Registration, kind: str, key: str) -> None:
    conference = registration.conference
    text = render_mail(
        f"signup/mail/{kind}.txt",
        registration=registration,
        conference=conference,
        link=manage_url(registration),
    )
    subject = SUBJECTS[kind].format(title=conference.title)
    attachments = [badge_attachment(registration)] if _gets_badge(registration) else []
    queue_mail(
        Mail(to=registration.email, subject=subject, text=text, attachments=attachments), key=key
    )


def _gets_badge(registration: Registration) -> bool:
    """Approved in-person participants receive their QR badge with the mail."""
    return (
        registration.status is RegistrationStatus.APPROVED
        and registration.mode is AttendanceMode.IN_PERSON
    )


def resend_link(registration: Registration) -> None:
    """Mail the manage link again, at most once per window per registration; commits."""
    window = int(time.time() // RESEND_WINDOW_SECONDS)
    _mail(registration, "link", f"signup-link:{registration.id}:{window}")
    db.session.commit()


def resend_link_for(conference_id: int, email: str) -> None:
    """Mail the manage link if this address is registered; silent otherwise."""
    registration = db.session.scalar(
        db.select(Registration).filter_by(conference_id=conference_id, email=normalize_email(email))
    )
    if registration is not None:
        resend_link(registration)


# --- changes -----------------------------------------------------------------------------


def _existing(conference_id: int, email: str) -> Registration | None:
    return db.session.scalar(
        db.select(Registration).filter_by(conference_id=conference_id, email=email)
    )


def _duplicate(conference_id: int, email: str) -> DuplicateRegistrationError:
    existing = _existing(conference_id, email)
    if existing is not None:
        resend_link(existing)
    return DuplicateRegistrationError(
        f"{email} is already registered for this conference. We have sent the link to view "
        "or change that registration to this address again."
    )


def _set_panels(registration: Registration, panel_ids: list[int]) -> None:
    wanted = set(panel_ids)
    registration.panel_links = [
        link for link in registration.panel_links if link.panel_id in wanted
    ] + [
        RegistrationPanel(panel_id=pid)
        for pid in sorted(wanted - {link.panel_id for link in registration.panel_links})
    ]


def _valid_panels(settings: RegistrationSettings, panel_ids: list[int]) -> list[int]:
    allowed = settings.panel_ids
    if not set(panel_ids) <= allowed:
        db.session.rollback()
        raise SignupError("One of the chosen panels does not accept sign-ups.")
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
    """
    email = normalize_email(applicant.email)
    settings, registered = _lock_settings_for(conference_id, email)
    if not settings.is_open(now or utcnow()):
        db.session.rollback()
        raise RegistrationClosedError("Registration for this conference is closed.")
    if registered:
        error = _duplicate(conference_id, email)
        raise error
    panel_ids = _valid_panels(settings, applicant.panel_ids)
    tally = Tally.load(settings)
    reason = tally.why_not(applicant.member_id, applicant.mode)
    if reason is not None:
        status = RegistrationStatus.WAITLISTED
    elif registered_by is not None:
        status = RegistrationStatus.APPROVED
    else:
        status = _admitted_status(settings)
    registration = Registration(
        conference_id=conference_id,
        member_id=applicant.member_id,
        email=email,
        name=applicant.name.strip(),
        position=applicant.position.strip(),
        institution=applicant.institution.strip(),
        mode=applicant.mode,
        role=applicant.role,
        language=applicant.language,
        consent_to_list=applicant.consent_to_list,
        status=status,
        status_reason=reason or "",
        registered_by=registered_by,
        panel_links=[RegistrationPanel(panel_id=pid) for pid in panel_ids],
    )
    db.session.add(registration)
    try:
        db.session.flush()
        mark_accepted(conference_id, email)
        _mail(registration, "confirm", f"signup-confirm:{registration.id}")
        if registration.status is RegistrationStatus.APPROVED:
            _follow_in_calendars(registration)
        registration_id = registration.id
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise _duplicate(conference_id, email) from None
    # The commit expired the object; its id and address (all the link needs) are what was
    # just written, so keep them instead of reloading the row.
    set_committed_value(registration, "id", registration_id)
    set_committed_value(registration, "email", email)
    return registration


def confirm_email(registration: Registration) -> bool:
    """Mark the address confirmed (opening the mailed link proves it); True the first time."""
    if registration.email_confirmed_at is not None:
        return False
    registration.email_confirmed_at = utcnow()
    db.session.commit()
    return True


def _relock(registration: Registration) -> tuple[RegistrationSettings, Registration]:
    settings = _lock_settings(registration.conference_id)
    db.session.refresh(registration)
    return settings, registration


def change(registration: Registration, mode: AttendanceMode, panel_ids: list[int]) -> Registration:
    """The person changes attendance mode or panels; a freed seat goes to someone waiting."""
    settings, registration = _relock(registration)
    if not registration.is_active:
        db.session.rollback()
        raise SignupError("This registration is no longer active.")
    chosen = _valid_panels(settings, panel_ids)
    before = set(notifications.panels_of(registration))
    old_mode = registration.mode
    if mode is not old_mode:
        tally = Tally.load(settings)
        if registration.status in SEAT_HOLDING:
            tally.release(registration.member_id, old_mode)
            reason = tally.why_not(registration.member_id, mode)
            if reason is not None:
                db.session.rollback()
                raise SignupError(f"{reason} Your registration stays {old_mode.label.lower()}.")
            tally.take(registration.member_id, mode)
            registration.mode = mode
        else:
            registration.mode = mode
            reason = tally.why_not(registration.member_id, mode)
            registration.status_reason = reason or ""
            if reason is None:
                tally.take(registration.member_id, mode)
                registration.status = _admitted_status(settings)
        _promote_waiting(settings, tally)
    _set_panels(registration, chosen)
    _follow_in_calendars(registration, before)
    db.session.commit()
    return registration


def withdraw(registration: Registration) -> Registration:
    """The person withdraws; their place goes to the first waiting person who fits."""
    settings, registration = _relock(registration)
    if not registration.is_active:
        db.session.rollback()
        return registration
    registration.status = RegistrationStatus.WITHDRAWN
    _mail(registration, "withdrawn", f"signup-withdrawn:{registration.id}")
    _follow_in_calendars(registration)
    _promote_waiting(settings, Tally.load(settings))
    db.session.commit()
    return registration


def decide(registration: Registration, *, approve: bool, reason: str = "") -> Registration:
    """A focal point or the secretariat approves or rejects; the person is mailed."""
    settings, registration = _relock(registration)
    if approve:
        if registration.status is not RegistrationStatus.PENDING:
            db.session.rollback()
            raise SignupError(
                f"Only pending registrations can be approved; this one is "
                f"{registration.status.label.lower()}."
            )
        registration.status = RegistrationStatus.APPROVED
    else:
        if not registration.is_active:
            db.session.rollback()
            raise SignupError(f"This registration is already {registration.status.label.lower()}.")
        registration.status = RegistrationStatus.REJECTED
    registration.status_reason = reason.strip()
    kind = "approved" if approve else "rejected"
    _mail(registration, kind, f"signup-{kind}:{registration.id}:{_stamp()}")
    _follow_in_calendars(registration)
    if not approve:
        _promote_waiting(settings, Tally.load(settings))
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
) -> RegistrationSettings:
    """Create or update the settings; raised limits promote waiting people at once."""
    settings = db.session.scalar(
        db.select(RegistrationSettings).filter_by(conference_id=conference.id).with_for_update()
    )
    if settings is None:
        settings = RegistrationSettings(conference_id=conference.id)
        db.session.add(settings)
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
    db.session.flush()
    _promote_waiting(settings, Tally.load(settings))
    db.session.commit()
    return settings


# --- lists -------------------------------------------------------------------------------


def participants_by_member(conference_id: int) -> list[tuple[Member, list[Registration]]]:
    """Active registrations whose people agreed to be listed, grouped by member."""
    rows = db.session.scalars(
        db.select(Registration).where(
            Registration.conference_id == conference_id,
            Registration.consent_to_list.is_(True),
            Registration.status.in_(SEAT_HOLDING),
        )
    ).all()
    groups: dict[int, list[Registration]] = {}
    for registration in rows:
        groups.setdefault(registration.member_id, []).append(registration)
    ordered = sorted(groups.values(), key=lambda regs: regs[0].member.name)
    return [(regs[0].member, sorted(regs, key=lambda r: r.name)) for regs in ordered]


@dataclass(frozen=True)
class RegistrationFilter:
    member_id: int | None = None
    status: RegistrationStatus | None = None
    mode: AttendanceMode | None = None
    panel_id: int | None = None


def filtered_registrations(
    conference_id: int, chosen: RegistrationFilter, member_ids: set[int] | None = None
) -> list[Registration]:
    """Registrations matching the filter (and, for a focal point, their members only)."""
    query = (
        db.select(Registration)
        .where(Registration.conference_id == conference_id)
        .options(selectinload(Registration.panel_links).joinedload(RegistrationPanel.panel))
        .order_by(Registration.created_at, Registration.id)
    )
    if member_ids is not None:
        query = query.where(Registration.member_id.in_(member_ids))
    if chosen.member_id is not None:
        query = query.where(Registration.member_id == chosen.member_id)
    if chosen.status is not None:
        query = query.where(Registration.status == chosen.status)
    if chosen.mode is not None:
        query = query.where(Registration.mode == chosen.mode)
    if chosen.panel_id is not None:
        query = query.where(
            Registration.panel_links.any(RegistrationPanel.panel_id == chosen.panel_id)
        )
    return list(db.session.scalars(query).unique())


@dataclass(frozen=True)
class MemberCount:
    member: Member
    in_person: int
    online: int

    @property
    def total(self) -> int:
        return self.in_person + self.online


def counts_by_member(registrations: list[Registration]) -> list[MemberCount]:
    """Active registrations per member and mode, from an already filtered list."""
    tally: dict[int, Counter[AttendanceMode]] = {}
    members: dict[int, Member] = {}
    for registration in registrations:
        if not registration.is_active:
            continue
        members[registration.member_id] = registration.member
        tally.setdefault(registration.member_id, Counter())[registration.mode] += 1
    return sorted(
        (
            MemberCount(members[mid], modes[AttendanceMode.IN_PERSON], modes[AttendanceMode.ONLINE])
            for mid, modes in tally.items()
        ),
        key=lambda c: c.member.name,
    )
