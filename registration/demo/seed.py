"""The demo data: the CICA membership and the two conferences of the source documents
(`programme`), loaded into the database.

Everything is upserted by a natural key (member code, institution name, series and conference
slug, panel title within its conference, person name within an institution), so running the
seed twice changes nothing.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from registration.accounts.models import User
from registration.accounts.services import (
    authenticate,
    check_password,
    create_user,
    normalize_email,
    set_password,
)
from registration.conferences.models import (
    Conference,
    ConferenceOrganizer,
    Panel,
    PanelPerson,
    Person,
    Series,
)
from registration.database import db
from registration.delegates.demo import seed_letters
from registration.demo import texts
from registration.demo.contacts import seed_contacts
from registration.demo.documents import seed_dispatch, seed_note, seed_register, seed_summary
from registration.demo.programme import (
    CONFERENCES,
    INSTITUTIONS,
    SERIES_DESCRIPTION,
    SERIES_NAME,
    SERIES_SLUG,
    ConferenceSpec,
    PanelSpec,
    SpeakerSpec,
)
from registration.demo.staff import seed_staff
from registration.demo.webhooks import seed_webhook
from registration.directory.models import Institution, Member
from registration.directory.services import get_or_create_institution, sync_members
from registration.signup.demo import seed_sample_meeting
from registration.signup.demo_delegates import seed_delegates


def seed_demo(organizer_email: str | None = None, organizer_password: str | None = None) -> str:
    """Load (or bring up to date) the demo data; returns a one-line summary per kind."""
    if organizer_email:
        check_password(organizer_password or "", organizer_email)
    added_members = sync_members()
    institutions = {
        name: get_or_create_institution(name, short, code)
        for name, (short, code) in INSTITUTIONS.items()
    }
    for name, institution in institutions.items():
        _assign(institution, {"language": "en", "translations": texts.INSTITUTIONS.get(name, {})})
    series = _upsert_series()
    for spec in CONFERENCES:
        _upsert_conference(spec, institutions, series if spec.in_series else None)
    db.session.commit()
    sample = seed_sample_meeting()
    summary = seed_summary()
    scheme = seed_register()
    note = seed_note(scheme, summary)
    contacts = seed_contacts()
    seed_dispatch(note)
    seed_delegates(sample)
    seed_letters()
    lines = [
        f"Members: {_count(Member)} ({added_members} added).",
        f"Institutions: {_count(Institution)}.",
        f"Conferences: {', '.join(spec.slug for spec in CONFERENCES)}.",
        f"Sample meeting with open registration: {sample.slug}.",
        f"Documents: {summary.text_in('title', 'en')} ({len(summary.files)} language version(s)).",
        f"Register: {scheme.code}, next number {scheme.prefix}/{scheme.next_number}.",
        f"Note verbale: No. {note.entry.reference() if note.entry else '-'}, "
        f"{', '.join(note.languages)}, dispatched to {contacts} contacts.",
    ]
    if organizer_email:
        user = ensure_organizer(organizer_email, organizer_password or "")
        lines.append(f"Organiser: {user.email}.")
        staff = seed_staff(sample, organizer_password or "")
        lines.append(f"Staff of {sample.slug} (same password): {', '.join(staff)}.")
        hook = seed_webhook(user, sample)
        lines.append(f"Webhook subscription (disabled): {hook.url}.")
    return "\n".join(lines)


def ensure_organizer(email: str, password: str) -> User:
    """An organiser account that signs in with exactly this password."""
    user = db.session.scalar(db.select(User).filter_by(email=normalize_email(email)))
    if user is None:
        return create_user(email, password, name="Demo organiser", administrator=True)
    if not user.is_administrator or not user.is_active_account:
        user.is_administrator, user.is_active_account = True, True
        db.session.commit()
    if authenticate(email, password) is None:
        set_password(user, password)
    return user


def _count(model: type[db.Model]) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model)) or 0


def _upsert_series() -> Series:
    series = db.session.scalar(db.select(Series).filter_by(slug=SERIES_SLUG))
    if series is None:
        series = Series(slug=SERIES_SLUG)
        db.session.add(series)
    series.name, series.short_name = SERIES_NAME, "CICA TTF"
    series.description = SERIES_DESCRIPTION
    _assign(series, {"translations": texts.SERIES})
    return series


def _instant(text: str, zone: str, day: str) -> datetime:
    """'10:00' (on `day`) or '2021-12-28 09:00', local to `zone`, as an aware instant."""
    local = text if " " in text else f"{day} {text}"
    return datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(zone))


def _upsert_conference(
    spec: ConferenceSpec, institutions: dict[str, Institution], series: Series | None
) -> Conference:
    conference = db.session.scalar(db.select(Conference).filter_by(slug=spec.slug))
    if conference is None:
        conference = Conference(slug=spec.slug)
        db.session.add(conference)
    day = spec.starts.split(" ")[0]
    values = {
        "title": spec.title,
        "theme": spec.theme,
        "description": spec.description,
        "series": series,
        "number": spec.number,
        "venue": spec.venue,
        "city": spec.city,
        "timezone": spec.timezone,
        "starts_at": _instant(spec.starts, spec.timezone, day),
        "ends_at": _instant(spec.ends, spec.timezone, day),
        "format": spec.format,
        "status": spec.status,
        "translations": texts.CONFERENCES.get(spec.slug, {}),
    }
    _assign(conference, values)
    _sync_organizers(conference, spec, institutions)
    existing = {panel.title: panel for panel in conference.panels}
    for position, panel_spec in enumerate(spec.panels):
        panel = existing.get(panel_spec.title)
        if panel is None:
            panel = Panel(title=panel_spec.title)
            conference.panels.append(panel)
        _assign(
            panel,
            {
                "position": position,
                "kind": panel_spec.kind,
                "theme": panel_spec.theme,
                "starts_at": _instant(panel_spec.starts, spec.timezone, day),
                "ends_at": _instant(panel_spec.ends, spec.timezone, day),
                "translations": texts.PANELS.get(panel_spec.title, {}),
            },
        )
        _sync_people(panel, panel_spec, institutions)
    return conference


def _assign(row: db.Model, values: dict[str, object]) -> None:
    """Set only the attributes that differ, so an unchanged row gets no UPDATE."""
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)


def _sync_organizers(
    conference: Conference, spec: ConferenceSpec, institutions: dict[str, Institution]
) -> None:
    current = {o.institution.name: o for o in conference.organizers if o.institution}
    for position, (name, role) in enumerate(spec.organizers):
        organizer = current.get(name)
        if organizer is None:
            organizer = ConferenceOrganizer(institution=institutions[name])
            conference.organizers.append(organizer)
        _assign(organizer, {"role": role, "position": position})


def _person(spec: SpeakerSpec, institutions: dict[str, Institution]) -> Person:
    institution = institutions[spec.institution] if spec.institution else None
    db.session.flush()
    person = db.session.scalar(
        db.select(Person).filter_by(
            name=spec.name, institution_id=institution.id if institution else None
        )
    )
    if person is None:
        person = Person(name=spec.name, institution=institution)
        db.session.add(person)
    member = (
        db.session.scalar(db.select(Member).filter_by(code=spec.member)) if spec.member else None
    )
    _assign(person, {"honorific": spec.honorific, "position": spec.position, "member": member})
    return person


def _sync_people(panel: Panel, spec: PanelSpec, institutions: dict[str, Institution]) -> None:
    current = {(r.person_id, r.role): r for r in panel.roles}
    for position, speaker in enumerate(spec.people):
        person = _person(speaker, institutions)
        db.session.flush()
        role = current.get((person.id, speaker.role))
        if role is None:
            role = PanelPerson(person=person, role=speaker.role)
            panel.roles.append(role)
        _assign(role, {"position": position})
