"""The demo data: the CICA membership and the two conferences of the source documents.

Everything is upserted by a natural key (member code, institution name, series and conference
slug, panel title within its conference, person name within an institution), so running the
seed twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from registration.accounts.models import User
from registration.accounts.services import (
    MIN_PASSWORD_LENGTH,
    AccountError,
    authenticate,
    create_user,
    normalize_email,
    set_password,
)
from registration.conferences.models import (
    Conference,
    ConferenceFormat,
    ConferenceOrganizer,
    ConferenceStatus,
    OrganizerRole,
    Panel,
    PanelKind,
    PanelPerson,
    PanelRole,
    Person,
    Series,
)
from registration.database import db
from registration.directory.models import Institution, Member
from registration.directory.services import get_or_create_institution, sync_members

# name: (short name, member code)
INSTITUTIONS: dict[str, tuple[str | None, str | None]] = {
    "Secretariat of the Conference on Interaction and Confidence Building Measures in Asia": (
        "CICA Secretariat",
        None,
    ),
    "Foreign Policy Research Institute under the Ministry of Foreign Affairs of the Republic of "
    "Kazakhstan": ("FPRI", "KAZ"),
    "Kazakhstan Institute for Strategic Studies under the President of the Republic of "
    "Kazakhstan": ("KazISS", "KAZ"),
    "Institute of World Economy and Politics under the Nursultan Nazarbayev Foundation": (
        "IWEP",
        "KAZ",
    ),
    "Asan Institute for Policy Studies": ("Asan Institute", "KOR"),
    "Shanghai Institutes for International Studies": ("SIIS", "CHN"),
    "Center for Strategic Research under the President of the Republic of Tajikistan": (
        "CSR Tajikistan",
        "TJK",
    ),
    "Iraqi National Security Advisory": (None, "IRQ"),
    "Institute of Strategic Studies Islamabad": ("ISSI", "PAK"),
    "Ankara Yildirim Beyazit University": ("AYBU", "TUR"),
    "Ministry of Foreign Affairs of the People's Republic of China": ("MFA of China", "CHN"),
}

SERIES_SLUG = "cica-ttf"
SERIES_NAME = "CICA Think Tank Forum"
SERIES_DESCRIPTION = (
    "Established in March 2014 and led by the Shanghai Institutes for International Studies; "
    "a permanent institution under the CICA mechanism since 2021."
)


@dataclass(frozen=True)
class SpeakerSpec:
    name: str
    institution: str | None
    honorific: str = ""
    position: str = ""
    member: str | None = None
    role: PanelRole = PanelRole.SPEAKER


@dataclass(frozen=True)
class PanelSpec:
    title: str
    kind: PanelKind
    starts: str
    ends: str
    theme: str = ""
    people: tuple[SpeakerSpec, ...] = ()


@dataclass(frozen=True)
class ConferenceSpec:
    slug: str
    title: str
    timezone: str
    starts: str
    ends: str
    format: ConferenceFormat
    organizers: tuple[tuple[str, OrganizerRole], ...]
    panels: tuple[PanelSpec, ...]
    theme: str = ""
    description: str = ""
    city: str = ""
    venue: str = ""
    number: int | None = None
    in_series: bool = False
    status: ConferenceStatus = ConferenceStatus.PUBLISHED


CICA_SECRETARIAT = next(iter(INSTITUTIONS))
FPRI = (
    "Foreign Policy Research Institute under the Ministry of Foreign Affairs of the Republic of "
    "Kazakhstan"
)
KAZISS = (
    "Kazakhstan Institute for Strategic Studies under the President of the Republic of Kazakhstan"
)
IWEP = "Institute of World Economy and Politics under the Nursultan Nazarbayev Foundation"
SIIS = "Shanghai Institutes for International Studies"
MFA_CHINA = "Ministry of Foreign Affairs of the People's Republic of China"

SARYBAY = SpeakerSpec(
    "Kairat Sarybay", CICA_SECRETARIAT, honorific="Ambassador", position="Executive Director"
)


def _expert(institution: str) -> SpeakerSpec:
    """The document names the speakers' institutions, not the speakers themselves."""
    return SpeakerSpec("Expert", institution)


# (a) The online conference of 14 July 2021. The document gives the date but no clock times:
# the times below are our plausible choice (a morning in Nur-Sultan, UTC+6 in 2021), as is
# the split of the six named institutions' speakers between the two panel sessions.
REGIONAL_SECURITY = ConferenceSpec(
    slug="regional-security-asia-2021",
    title=(
        "International Scientific-Practical Conference on Regional Security in Asia in the "
        "Context of Preventing New Challenges and Threats"
    ),
    timezone="Asia/Almaty",
    starts="2021-07-14 10:00",
    ends="2021-07-14 13:30",
    format=ConferenceFormat.ONLINE,
    city="Nur-Sultan",
    description=(
        "Held by the Republic of Kazakhstan in the framework of CICA and attended by experts "
        "from 17 CICA Member States, on the issues related to regional security in Asia."
    ),
    organizers=(
        (FPRI, OrganizerRole.HOST),
        (KAZISS, OrganizerRole.CO_ORGANIZER),
        (IWEP, OrganizerRole.CO_ORGANIZER),
        (CICA_SECRETARIAT, OrganizerRole.SUPPORTER),
    ),
    panels=(
        PanelSpec(
            "Welcoming remarks",
            PanelKind.WELCOME_REMARKS,
            "10:00",
            "10:20",
            people=(
                SARYBAY,
                SpeakerSpec("Bolat Nurgaliyev", FPRI, honorific="Ambassador", position="Chairman"),
            ),
        ),
        PanelSpec(
            "Panel session 1",
            PanelKind.PANEL,
            "10:30",
            "11:50",
            theme=(
                "New Challenges and Threats to Regional Security in the CICA Space and the "
                "Experience of the Member States in countering them"
            ),
            people=tuple(
                _expert(name)
                for name in (
                    "Asan Institute for Policy Studies",
                    SIIS,
                    "Center for Strategic Research under the President of the Republic of "
                    "Tajikistan",
                )
            ),
        ),
        PanelSpec(
            "Panel session 2",
            PanelKind.PANEL,
            "12:00",
            "13:30",
            theme="Prospects for the Development of Cooperation Within CICA to Ensure Regional "
            "Security",
            people=tuple(
                _expert(name)
                for name in (
                    "Iraqi National Security Advisory",
                    "Institute of Strategic Studies Islamabad",
                    "Ankara Yildirim Beyazit University",
                )
            ),
        ),
    ),
)

# (b) The Ninth Meeting of the CICA TTF, 28-29 December 2021 in Shanghai. The summary gives
# the dates, not the clock times: the schedule below is our plausible choice (Shanghai time).
NINTH_TTF = ConferenceSpec(
    slug="cica-ttf-9",
    title="Ninth Meeting of the CICA Think Tank Forum",
    theme="A New Beginning for Rebuilding Mutual Trust in the Post-Pandemic Era: Trends and "
    "Missions",
    timezone="Asia/Shanghai",
    starts="2021-12-28 09:00",
    ends="2021-12-29 12:00",
    format=ConferenceFormat.HYBRID,
    number=9,
    in_series=True,
    city="Shanghai",
    venue="Shanghai Institutes for International Studies",
    description=(
        "Hosted by SIIS under the guidance of the CICA Secretariat and the Ministry of Foreign "
        "Affairs of the People's Republic of China, with representatives of think tanks and "
        "official institutions of 14 countries, online and offline."
    ),
    organizers=(
        (SIIS, OrganizerRole.HOST),
        (CICA_SECRETARIAT, OrganizerRole.SUPPORTER),
        (MFA_CHINA, OrganizerRole.SUPPORTER),
    ),
    panels=(
        PanelSpec(
            "Keynote speeches",
            PanelKind.KEYNOTE,
            "2021-12-28 09:00",
            "2021-12-28 09:40",
            people=(
                SARYBAY,
                SpeakerSpec("Xiao Qinghua", MFA_CHINA, position="Chinese Ambassador"),
            ),
        ),
        PanelSpec(
            "Video address by the Secretary-General of the SCO",
            PanelKind.KEYNOTE,
            "2021-12-28 09:40",
            "2021-12-28 09:50",
            people=(
                SpeakerSpec("Vladimir Norov", None, position="Secretary-General", member="SCO"),
            ),
        ),
        PanelSpec(
            "Realistic security challenges faced by CICA countries in the post-epidemic era",
            PanelKind.DISCUSSION,
            "2021-12-28 10:00",
            "2021-12-28 12:00",
        ),
        PanelSpec(
            "Security cooperation among CICA countries in the digital era",
            PanelKind.DISCUSSION,
            "2021-12-28 14:00",
            "2021-12-28 16:30",
        ),
        PanelSpec(
            "The role of think tanks in CICA countries in promoting the transformation and "
            "upgrading of the CICA",
            PanelKind.DISCUSSION,
            "2021-12-29 09:00",
            "2021-12-29 12:00",
        ),
    ),
)

CONFERENCES = (REGIONAL_SECURITY, NINTH_TTF)


def seed_demo(organizer_email: str | None = None, organizer_password: str | None = None) -> str:
    """Load (or bring up to date) the demo data; returns a one-line summary per kind."""
    if organizer_email and len(organizer_password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    added_members = sync_members()
    institutions = {
        name: get_or_create_institution(name, short, code)
        for name, (short, code) in INSTITUTIONS.items()
    }
    series = _upsert_series()
    for spec in CONFERENCES:
        _upsert_conference(spec, institutions, series if spec.in_series else None)
    db.session.commit()
    lines = [
        f"Members: {_count(Member)} ({added_members} added).",
        f"Institutions: {_count(Institution)}.",
        f"Conferences: {', '.join(spec.slug for spec in CONFERENCES)}.",
    ]
    if organizer_email:
        user = ensure_organizer(organizer_email, organizer_password or "")
        lines.append(f"Organiser: {user.email}.")
    return "\n".join(lines)


def ensure_organizer(email: str, password: str) -> User:
    """An organiser account that signs in with exactly this password."""
    user = db.session.scalar(db.select(User).filter_by(email=normalize_email(email)))
    if user is None:
        return create_user(email, password, name="Demo organiser", organizer=True)
    if not user.is_organizer or not user.is_active_account:
        user.is_organizer, user.is_active_account = True, True
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
