"""Adding, changing, cancelling and removing panels, and their speakers and moderators.

A panel's SEQUENCE follows the rule in `changes`; moving or cancelling one writes one
fan-out job with the change (`changes.tell_attendees`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar, Literal

from sqlalchemy import func, or_, select, update

from registration.audit import recorder as audit
from registration.conferences import events
from registration.conferences.changes import (
    PANEL_LOCATION_FIELDS,
    ChangeError,
    FieldChanges,
    check_times,
    institution_named,
    tell_attendees,
)
from registration.conferences.models import (
    Conference,
    Panel,
    PanelKind,
    PanelPerson,
    PanelRole,
    PanelStatus,
    Person,
)
from registration.conferences.services import ordered_panels
from registration.database import db, utcnow
from registration.directory.institution_names import institution_by_name
from registration.directory.services import member_name
from registration.i18n import N_
from registration.stored_text import TEXT_LANGUAGES, Translations


@dataclass(frozen=True)
class PersonLine:
    """A speaker or moderator as typed: 'Name — Position, Institution'."""

    name: str
    position: str = ""
    institution: str = ""


@dataclass
class PanelData:
    title: str
    starts_at: datetime
    ends_at: datetime
    kind: PanelKind = PanelKind.PANEL
    theme: str = ""
    room: str = ""
    join_url: str = ""
    translations: Translations = field(default_factory=dict)
    speakers: list[PersonLine] = field(default_factory=list)
    moderators: list[PersonLine] = field(default_factory=list)


@dataclass(frozen=True)
class PanelChange(FieldChanges):
    """What a change of a panel did; callers queue update mails from it."""

    location_fields: ClassVar[frozenset[str]] = PANEL_LOCATION_FIELDS

    panel_id: int
    conference_id: int
    fields: frozenset[str]
    removed: bool = False
    job_id: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.fields) or self.removed


def add_panel(conference: Conference, data: PanelData) -> Panel:
    check_times(data.starts_at, data.ends_at)
    panel = Panel(conference=conference, sequence=0, status=PanelStatus.SCHEDULED)
    db.session.add(panel)
    _assign_panel(panel, data)
    panel.position = _next_position(conference, data.starts_at, panel)
    _set_people(panel, data)
    conference.updated_at = utcnow()
    db.session.flush()
    events.announce_change(conference, frozenset({"added"}), panel_id=panel.id)
    db.session.commit()
    return panel


def update_panel(panel: Panel, data: PanelData) -> PanelChange:
    """Apply an edit; bumps the sequence when its time, place or status changes."""
    check_times(data.starts_at, data.ends_at)
    changed = set(_assign_panel(panel, data))
    if "starts_at" in changed:
        panel.position = _next_position(panel.conference, data.starts_at, panel)
    changed |= _set_people(panel, data)
    return _finish_panel_change(panel, frozenset(changed))


def cancel_panel(panel: Panel) -> PanelChange:
    if panel.status == PanelStatus.CANCELLED:
        raise ChangeError("status", N_("This panel is already cancelled."))
    panel.status = PanelStatus.CANCELLED
    return _finish_panel_change(panel, frozenset({"status"}))


def remove_panel(panel: Panel) -> PanelChange:
    """Delete a panel outright (for drafts and mistakes; a held panel is better cancelled)."""
    conference = panel.conference
    answers = events.panel_removing.send(panel)  # a receiver may start a job and name it
    job_id = next((answer for _, answer in answers if isinstance(answer, str)), None)
    change = PanelChange(panel.id, conference.id, frozenset(), removed=True, job_id=job_id)
    conference.panels.remove(panel)
    conference.updated_at = utcnow()
    events.announce_change(conference, frozenset({"removed"}), panel_id=change.panel_id)
    db.session.commit()
    return change


def move_panel(panel: Panel, direction: Literal["up", "down"]) -> bool:
    """Swap a panel with its neighbour starting at the same time; False if there is none."""
    siblings = [p for p in ordered_panels(panel.conference) if p.starts_at == panel.starts_at]
    for position, sibling in enumerate(siblings):
        sibling.position = position
    index = siblings.index(panel)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        db.session.rollback()
        return False
    siblings[index].position, siblings[other].position = other, index
    panel.conference.updated_at = utcnow()
    db.session.commit()
    return True


def _next_position(conference: Conference, starts_at: datetime, panel: Panel) -> int:
    positions = [
        p.position for p in conference.panels if p is not panel and p.starts_at == starts_at
    ]
    return max(positions, default=-1) + 1


def _assign_panel(panel: Panel, data: PanelData) -> list[str]:
    values = {
        "title": data.title,
        "theme": data.theme,
        "kind": data.kind,
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "room": data.room,
        "join_url": data.join_url,
        "translations": data.translations,
    }
    changed = [name for name, value in values.items() if getattr(panel, name, None) != value]
    for name in changed:
        setattr(panel, name, values[name])
    return changed


def _finish_panel_change(panel: Panel, fields: frozenset[str]) -> PanelChange:
    change = PanelChange(panel.id, panel.conference_id, fields)
    if change.sequence_bumped:
        panel.sequence += 1
    if change.changed:
        panel.updated_at = utcnow()
        panel.conference.updated_at = panel.updated_at
    cancelled = panel.status is PanelStatus.CANCELLED and change.status_changed
    job_id = None
    if cancelled or change.schedule_changed or change.location_changed:
        what = "Cancellation" if cancelled else "Calendar updates"
        label = f"{what}: {panel.title}"
        job_id = tell_attendees(
            panel.conference_id, label, [panel.id], cancelled=cancelled, panel_id=panel.id
        )
    events.announce_change(panel.conference, fields, panel_id=panel.id)
    db.session.commit()
    return PanelChange(panel.id, change.conference_id, fields, job_id=job_id)


def person_line(person: Person, language: str | None = None) -> str:
    """A person as the panel form shows them: 'Name — Position, Institution', the
    institution's name (or, without one, the member's) in `language` where it has one (by
    default its main name)."""
    affiliation = person.affiliation
    if language and person.institution is not None:
        named = person.institution.text_in("name", language)
        affiliation = ", ".join(part for part in (person.position, named) if part)
    elif language and person.member is not None:
        named = member_name(person.member, language)
        affiliation = ", ".join(part for part in (person.position, named) if part)
    return f"{person.display_name} — {affiliation}" if affiliation else person.name


def _person_for(line: PersonLine, language: str) -> Person:
    """The known person of that name, updated if the line says more; else a new person. A
    new institution's name is taken to be in `language` (the conference's)."""
    lowered = line.name.lower()
    person = db.session.scalar(
        db.select(Person)
        .where(
            or_(
                func.lower(Person.name) == lowered,
                func.lower(Person.honorific + " " + Person.name) == lowered,
            )
        )
        .order_by(Person.id)
    )
    if person is None:
        person = Person(name=line.name, honorific="")
        db.session.add(person)
    elif not (line.position or line.institution) or _same_affiliation(line, person):
        return person
    person.position = line.position
    person.institution = institution_named(line.institution, language) if line.institution else None
    _touch_panels_of(person)
    return person


def _touch_panels_of(person: Person) -> None:
    """A person's affiliation is written into the events of every panel they speak at or
    moderate, in any conference: those panels and their conferences have changed too."""
    now = utcnow()
    panel_ids = select(PanelPerson.panel_id).where(PanelPerson.person_id == person.id)
    conference_ids = select(Panel.conference_id).where(Panel.id.in_(panel_ids))
    db.session.execute(update(Panel).where(Panel.id.in_(panel_ids)).values(updated_at=now))
    db.session.execute(
        update(Conference).where(Conference.id.in_(conference_ids)).values(updated_at=now)
    )


def _same_affiliation(line: PersonLine, person: Person) -> bool:
    """The line says what is known of the person: the same words, or the same position and
    the person's institution by any of its names (a form shown in Russian gives its Russian
    name back: no new institution, no change)."""
    typed = ", ".join(part for part in (line.position, line.institution) if part)
    if typed == person.affiliation:
        return True
    if person.institution is None and person.member is not None:  # the member, in any language
        names = {member_name(person.member, language) for language in TEXT_LANGUAGES}
        return line.position == person.position and line.institution in names
    return (
        line.position == person.position
        and person.institution is not None
        and institution_by_name(line.institution) is person.institution
    )


def _set_people(panel: Panel, data: PanelData) -> set[str]:
    """Make the panel's speakers and moderators those listed; returns which lists changed."""
    changed: set[str] = set()
    logged: list[dict[str, object]] = []
    wanted_rows: list[tuple[Person, PanelRole, int]] = []
    for role, lines, name in (
        (PanelRole.MODERATOR, data.moderators, "moderators"),
        (PanelRole.SPEAKER, data.speakers, "speakers"),
    ):
        before = [person_line(r.person) for r in panel.roles if r.role == role]
        people: list[Person] = []
        for line in lines:
            person = _person_for(line, panel.conference.language)
            if person not in people:
                people.append(person)
        db.session.flush()
        after = [person_line(p) for p in people]
        if after != before:
            changed.add(name)
            logged.append(audit.change(name.capitalize(), "; ".join(before), "; ".join(after)))
        wanted_rows += [(person, role, position) for position, person in enumerate(people)]
    _log_people(panel, logged)
    existing = {(r.person_id, r.role): r for r in panel.roles}
    keep = set()
    for person, role, position in wanted_rows:
        row = existing.get((person.id, role))
        if row is None:
            row = PanelPerson(person=person, role=role)
            panel.roles.append(row)
        row.position = position
        keep.add((person.id, role))
    for row in list(panel.roles):
        if row.person_id is not None and (row.person_id, row.role) not in keep:
            panel.roles.remove(row)
    return changed


def _log_people(panel: Panel, changes: list[dict[str, object]]) -> None:
    """One audit entry for the speakers' and moderators' lists, before -> after."""
    if changes:
        audit.record(
            "panel.people_changed",
            subject_type="panel",
            subject_id=panel.id,
            **audit.text_subject(panel.in_languages("title")),
            conference_id=panel.conference_id,
            changes=changes,
        )
