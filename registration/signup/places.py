"""Places: seats, delegation quotas and the waiting list, allocated under a per-conference lock.

Seats: an in-person registration that is pending or approved (`SEAT_HOLDING`) holds a
seat; any pending or approved registration counts against its delegation's total quota.
Waitlisted registrations hold nothing and are promoted in arrival order when a place
frees up (`promotion`). Every change that allocates places first locks the conference's settings row
(`SELECT ... FOR UPDATE` on PostgreSQL), so concurrent sign-ups are serialised per conference.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Row, Select, and_, bindparam, func, or_
from sqlalchemy.orm import joinedload

from registration.conferences.models import Panel, PanelKind
from registration.database import db
from registration.i18n import N_
from registration.jobs.events import announce, audiences, may_be_heard
from registration.signup import events
from registration.signup.errors import RegistrationClosedError
from registration.signup.models import (
    SEAT_HOLDING,
    AttendanceMode,
    Registration,
    RegistrationSettings,
    RegistrationStatus,
)


@dataclass
class Tally:
    """Places held in one conference, per member and mode, read under the settings lock."""

    settings: RegistrationSettings
    held: Counter[tuple[int, AttendanceMode]]

    @classmethod
    def load(cls, settings: RegistrationSettings, delegation: int | None = None) -> Tally:
        """Every place held; with `delegation`, only the places the conference's caps count
        for that member (all `why_not` needs for it): at most the capacity and the quotas,
        whatever the number of registrations."""
        where = [
            Registration.conference_id == settings.conference_id,
            Registration.status.in_(SEAT_HOLDING),
        ]
        if delegation is not None:
            counted = _counted_for(settings, delegation)
            if not counted:
                return cls(settings, Counter())
            where.append(or_(*counted))
        rows = db.session.execute(
            db.select(Registration.mode, Registration.member_id, func.count())
            .where(*where)
            # In the order of the partial index `ix_registrations_places`: no sort.
            .group_by(Registration.mode, Registration.member_id)
        ).all()
        return cls(settings, Counter({(m, mode): n for mode, m, n in rows}))

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
            return N_("The quota of places for this delegation is full.")
        if mode is AttendanceMode.IN_PERSON:
            if s.in_person_capacity is not None and self.seats_taken() >= s.in_person_capacity:
                return N_("All in-person seats are taken.")
            in_person = self.held[(member_id, AttendanceMode.IN_PERSON)]
            quota = s.delegation_in_person_quota
            if quota is not None and in_person >= quota:
                return N_("The in-person quota for this delegation is full.")
        return None

    def take(self, member_id: int, mode: AttendanceMode) -> None:
        self.held[(member_id, mode)] += 1

    def release(self, member_id: int, mode: AttendanceMode) -> None:
        self.held[(member_id, mode)] -= 1


def _counted_for(settings: RegistrationSettings, member_id: int) -> list[ColumnElement[bool]]:
    """Which places the caps count when deciding one more place for this member: every
    in-person seat under a capacity, the member's own places under its quotas."""
    in_person = Registration.mode == AttendanceMode.IN_PERSON
    own = Registration.member_id == member_id
    counted: list[ColumnElement[bool]] = []
    if settings.in_person_capacity is not None:
        counted.append(in_person)
    elif (
        settings.delegation_in_person_quota is not None
        or settings.delegation_total_quota is not None
    ):
        counted.append(and_(in_person, own))
    if settings.delegation_total_quota is not None:
        counted.append(and_(Registration.mode == AttendanceMode.ONLINE, own))
    return counted


def _locked_row(conference_id: int, *extra: Any) -> Row[Any]:
    """The conference's settings row (with `extra` columns), locked until commit:
    allocation is serialised per conference."""
    return _first(_lock_query(conference_id, *extra), {})


def _lock_query(conference_id: Any, *extra: Any) -> Select[Any]:
    return (
        db.select(RegistrationSettings, *extra)
        .where(RegistrationSettings.conference_id == conference_id)
        .options(joinedload(RegistrationSettings.panel_links))
        .with_for_update(of=RegistrationSettings)
        .execution_options(populate_existing=True)
    )


def _first(statement: Select[Any], parameters: dict[str, Any]) -> Row[Any]:
    row = db.session.execute(statement, parameters).unique().first()
    if row is None:
        raise RegistrationClosedError(N_("Registration for this conference has not been opened."))
    return row


def lock_settings(conference_id: int) -> RegistrationSettings:
    """The settings row, locked until commit."""
    return _locked_row(conference_id)[0]


class Locked(NamedTuple):
    """The locked settings row, this address's registration's status (None: it has none),
    and whether any listener may want the conference's events (`events.may_be_heard`)."""

    settings: RegistrationSettings
    existing: RegistrationStatus | None
    heard: bool


def lock_settings_for(conference_id: int, email: str) -> Locked:
    """The locked settings row, the status of this address's registration if it has one, and
    whether anyone may listen to the conference's events, in one query.

    The lookup reads the statement's snapshot, so a same-address registration committed
    while this one waited for the lock is caught by the unique constraint instead.
    """
    row = _first(_registering(audiences()), {"conference_id": conference_id, "email": email})
    return Locked(row[0], row[1], bool(row[2]))


@cache
def _registering(listeners: tuple[Any, ...]) -> Select[Any]:
    """The query of `lock_settings_for`, built once (per set of `listeners`, whose tests
    `may_be_heard` joins): building it costs more than running it."""
    conference_id = bindparam("conference_id")
    existing = (
        db.select(Registration.status)
        .where(
            Registration.conference_id == conference_id, Registration.email == bindparam("email")
        )
        .scalar_subquery()
    )
    return _lock_query(conference_id, existing, may_be_heard(conference_id))


def admitted_status(settings: RegistrationSettings) -> RegistrationStatus:
    if settings.approval_required:
        return RegistrationStatus.PENDING
    return RegistrationStatus.APPROVED


def follow_in_calendars(registration: Registration, before: set[Panel] | None = None) -> None:
    """Tell the capabilities that follow registrations (calendar invitations) that this one
    changed; `before`: the panels attended before a change of panels."""
    db.session.flush()
    db.session.expire(registration, ["panel_links"])
    events.registration_changed.send(registration, before=before)


def registered(registration: Registration, *, heard: bool = True) -> None:
    """Tell those who follow sign-ups (invitations, webhooks) that someone registered;
    `heard`: as `lock_settings_for` read it."""
    events.registered.send(registration.conference_id, email=registration.email)
    tell(registration, "created", heard=heard)


def tell(registration: Registration, event: str, *, heard: bool = True) -> None:
    """Announce `registration.<event>` to listeners above signup (webhooks): its id, status
    and mode, no personal data (a program reads more through the API, with its rights)."""
    announce(
        f"registration.{event}",
        conference_id=registration.conference_id,
        heard=heard,
        registration={
            "id": registration.id,
            "status": str(registration.status),
            "mode": str(registration.mode),
        },
    )


def panels_of(registration: Registration) -> list[Panel]:
    """The panels a registration attends: those chosen, else all but breaks."""
    chosen = registration.panels
    if chosen:
        return chosen
    return [p for p in registration.conference.panels if p.kind != PanelKind.BREAK]
