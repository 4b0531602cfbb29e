"""Attendance figures for a conference or a panel: totals, by member, the press summary.

A participant counts once: in person if any of their records in the scope is in person,
otherwise online. "Registered" means an approved registration (for a panel: approved and
signed up for it); a no-show is a registered participant with no attendance.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

from flask import current_app
from flask_babel import gettext, pgettext
from sqlalchemy import case, func, literal

from registration.attendance.models import AttendanceRecord
from registration.collation import sort_key
from registration.conferences.models import Conference, Panel
from registration.database import db
from registration.directory.models import Member, MemberKind
from registration.directory.services import member_name
from registration.i18n import format_number, in_language, ngettext
from registration.signup.models import (
    AttendanceMode,
    Registration,
    RegistrationPanel,
    RegistrationStatus,
)


@dataclass
class Tally:
    registered: int = 0
    registered_in_person: int = 0
    registered_online: int = 0
    attended: int = 0
    in_person: int = 0
    online: int = 0
    no_shows: int = 0
    switched: int = 0

    def add(
        self,
        registered: bool,
        planned: AttendanceMode,
        used: AttendanceMode | None,
        count: int = 1,
    ) -> None:
        """Count `count` participants with this registration and attendance."""
        if registered:
            self.registered += count
            if planned is AttendanceMode.IN_PERSON:
                self.registered_in_person += count
            else:
                self.registered_online += count
            if used is None:
                self.no_shows += count
        if used is not None:
            self.attended += count
            if used is AttendanceMode.IN_PERSON:
                self.in_person += count
            else:
                self.online += count
            if used is not planned:
                self.switched += count

    @property
    def attendance_rate(self) -> int:
        """Share of registered participants who attended, in per cent."""
        return (
            round(100 * (self.registered - self.no_shows) / self.registered)
            if self.registered
            else 0
        )


@dataclass
class MemberRow(Tally):
    code: str = ""
    name: str = ""
    kind: str = ""


@dataclass
class Figures:
    conference: Conference
    panel: Panel | None
    total: Tally
    members: list[MemberRow] = field(default_factory=list)
    member_states: int = 0
    other_members: int = 0

    @cached_property
    def summaries(self) -> dict[str, str]:
        """The press-release line in each interface language, English first."""
        languages: list[str] = current_app.config["LANGUAGES"]
        return {language: press_summary(self, language) for language in languages}

    @property
    def summary(self) -> str:
        """The press-release line in English (what the API has always given)."""
        return self.summaries["en"]

    @property
    def scale(self) -> int:
        """The largest bar of the by-member chart (at least 1)."""
        return max([1, *(max(m.registered, m.attended) for m in self.members)])

    def as_json(self) -> dict[str, Any]:
        return {
            "total": asdict(self.total) | {"attendance_rate": self.total.attendance_rate},
            "members": [asdict(m) for m in self.members],
            "member_states": self.member_states,
            "other_members": self.other_members,
            "summary": self.summary,
            "summaries": self.summaries,
            "scale": self.scale,
        }


def press_summary(figures: Figures, language: str) -> str:
    """The press-release line in `language`: '42 experts from 17 member states attended the
    ..., 9 of them online.'; '42 эксперта из 17 государств-членов приняли участие в
    мероприятии «...», 9 из них онлайн.' (each count in its plural form, the title in
    that language where it is stored in it)."""
    with in_language(language) as code:
        total = figures.total
        if figures.panel is None:
            title = figures.conference.text_in("title", code)
            if not total.attended:
                return gettext(
                    "No attendance has been recorded yet for the %(title)s.", title=title
                )
            event = pgettext("press summary: what was attended", "the %(title)s", title=title)
        else:
            title = figures.panel.text_in("title", code)
            if not total.attended:
                return gettext(
                    "No attendance has been recorded yet for the session “%(title)s”.", title=title
                )
            event = pgettext(
                "press summary: what was attended", "the session “%(title)s”", title=title
            )
        origin = ngettext(
            "from %(num)s member state", "from %(num)s member states", figures.member_states
        )
        if figures.other_members:
            origin = ngettext(
                "%(states)s and %(num)s observer or partner",
                "%(states)s and %(num)s observers and partners",
                figures.other_members,
                states=origin,
            )
        if not total.online:
            return ngettext(
                "%(num)s expert %(origin)s attended %(event)s in person.",
                "%(num)s experts %(origin)s attended %(event)s, all in person.",
                total.attended,
                origin=origin,
                event=event,
            )
        if total.online == total.attended:
            return ngettext(
                "%(num)s expert %(origin)s attended %(event)s online.",
                "%(num)s experts %(origin)s attended %(event)s, all online.",
                total.attended,
                origin=origin,
                event=event,
            )
        return ngettext(
            "%(num)s expert %(origin)s attended %(event)s, %(online)s of them online.",
            "%(num)s experts %(origin)s attended %(event)s, %(online)s of them online.",
            total.attended,
            origin=origin,
            event=event,
            online=format_number(total.online),
        )


def _tally(conference: Conference, panel: Panel | None, language: str) -> Figures:
    """One grouped query: participants by member, status, planned mode and mode used; members
    named in `language`."""
    in_person = func.max(case((AttendanceRecord.mode == AttendanceMode.IN_PERSON, 1), else_=0))
    attended = db.select(AttendanceRecord.registration_id, in_person.label("in_person")).where(
        AttendanceRecord.conference_id == conference.id
    )
    if panel is not None:
        attended = attended.where(AttendanceRecord.panel_id == panel.id)
    seen = attended.group_by(AttendanceRecord.registration_id).subquery()
    if panel is None:
        signed_up = literal(True)
    else:
        signed_up = (
            db.select(RegistrationPanel.registration_id)
            .where(
                RegistrationPanel.registration_id == Registration.id,
                RegistrationPanel.panel_id == panel.id,
            )
            .exists()
        )
    columns = (
        Registration.member_id,
        Registration.status,
        Registration.mode,
        seen.c.in_person,
        signed_up.label("signed_up"),
    )
    query = (
        db.select(*columns, func.count())
        .outerjoin(seen, seen.c.registration_id == Registration.id)
        .where(Registration.conference_id == conference.id)
        .group_by(*columns)
    )
    total = Tally()
    by_member: dict[int, MemberRow] = {}
    for member_id, status, planned, seen_in_person, chose, count in db.session.execute(query):
        registered = status is RegistrationStatus.APPROVED and bool(chose)
        used = None
        if seen_in_person is not None:
            used = AttendanceMode.IN_PERSON if seen_in_person else AttendanceMode.ONLINE
        if not registered and used is None:
            continue
        total.add(registered, planned, used, count)
        by_member.setdefault(member_id, MemberRow()).add(registered, planned, used, count)
    members = db.session.scalars(db.select(Member).where(Member.id.in_(by_member))).all()
    rows: list[MemberRow] = []
    states = others = 0
    for member in members:
        row = by_member[member.id]
        row.code, row.name, row.kind = member.code, member_name(member, language), member.kind.value
        rows.append(row)
        if row.attended:
            if member.kind is MemberKind.MEMBER_STATE:
                states += 1
            else:
                others += 1
    rows.sort(key=lambda r: (-r.attended, -r.registered, sort_key(r.name)))
    return Figures(conference, panel, total, rows, states, others)


def conference_figures(conference: Conference, language: str = "en") -> Figures:
    """The conference's figures, members named in `language` (the API's in English)."""
    return _tally(conference, None, language)


def panel_figures(panel: Panel, language: str = "en") -> Figures:
    return _tally(panel.conference, panel, language)


@dataclass
class PanelRow:
    panel: Panel
    registered: int = 0
    in_person: int = 0
    online: int = 0

    @property
    def attended(self) -> int:
        return self.in_person + self.online


def panel_overview(conference: Conference) -> list[PanelRow]:
    """Registered and attended (in person / online) per panel, in two grouped queries."""
    rows = {p.id: PanelRow(p) for p in conference.panels}
    registered = db.session.execute(
        db.select(RegistrationPanel.panel_id, func.count())
        .join(Registration, Registration.id == RegistrationPanel.registration_id)
        .where(
            Registration.conference_id == conference.id,
            Registration.status == RegistrationStatus.APPROVED,
        )
        .group_by(RegistrationPanel.panel_id)
    )
    for panel_id, count in registered:
        if panel_id in rows:
            rows[panel_id].registered = count
    seen = db.session.execute(
        db.select(AttendanceRecord.panel_id, AttendanceRecord.mode, func.count())
        .where(
            AttendanceRecord.conference_id == conference.id,
            AttendanceRecord.panel_id.is_not(None),
        )
        .group_by(AttendanceRecord.panel_id, AttendanceRecord.mode)
    )
    for panel_id, mode, count in seen:
        if panel_id in rows:
            if mode is AttendanceMode.IN_PERSON:
                rows[panel_id].in_person = count
            else:
                rows[panel_id].online = count
    return list(rows.values())
