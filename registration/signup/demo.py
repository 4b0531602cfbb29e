"""A sample upcoming Think Tank Forum meeting with open registration, for trying every flow.

`seed_sample_meeting()` is idempotent: a second run moves the dates to "30 days from today"
again and adds only what is missing. It sends no mail (sample people are pre-confirmed).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from registration.conferences.models import (
    Conference,
    ConferenceFormat,
    ConferenceOrganizer,
    ConferenceStatus,
    OrganizerRole,
    Panel,
    PanelKind,
    Series,
)
from registration.database import db, utcnow
from registration.directory.services import get_or_create_institution, member_by_code, sync_members
from registration.signup import affiliation
from registration.signup.models import (
    AttendanceMode,
    ParticipantRole,
    Registration,
    RegistrationPanel,
    RegistrationSettings,
    RegistrationStatus,
    SignupPanel,
)
from registration.stored_text import Translations

SERIES_SLUG = "cica-ttf"
SLUG = "ttf-10-sample"
TITLE = "Tenth Meeting of the CICA Think Tank Forum (sample)"

# The sample meeting's texts in Russian and Kazakh. The Forum's names follow the seed note
# verbale (shared/seeds/004); everything else is our translation of the English above and
# below, to be reviewed by a translator before real use.
SERIES_TRANSLATIONS: Translations = {
    "ru": {"name": "Форум аналитических центров СВМДА"},
    "kk": {"name": "АӨСШК-тің Талдау орталықтары форумы"},
}
CONFERENCE_TRANSLATIONS: Translations = {
    "ru": {
        "title": "Десятое заседание Форума аналитических центров СВМДА (образец)",
        "theme": "Пример заседания: повестка безопасности и сотрудничества в Азии",
        "description": "ДЕМОНСТРАЦИОННЫЕ ДАННЫЕ. Такого заседания нет: на этом примере "
        "можно опробовать регистрацию, подтверждение, одобрение координатором и выгрузки.",
        "venue": "Место проведения (образец)",
        "city": "Астана",
    },
    "kk": {
        "title": "АӨСШК-тің Талдау орталықтары форумының 10-отырысы (үлгі)",
        "theme": "Үлгі отырыс: Азиядағы қауіпсіздік пен ынтымақтастық күн тәртібі",
        "description": "ДЕМОНСТРАЦИЯЛЫҚ ДЕРЕКТЕР. Мұндай отырыс жоқ: бұл үлгіде тіркелуді, "
        "растауды, үйлестірушінің мақұлдауын және экспортты байқап көруге болады.",
        "venue": "Өтетін орны (үлгі)",
        "city": "Астана",
    },
}
# By the panel's English title, then by its English room.
PANEL_TRANSLATIONS: dict[str, dict[str, str]] = {
    "Welcome remarks": {"ru": "Приветственное слово", "kk": "Құттықтау сөз"},
    "Panel 1. New challenges to security in the CICA space": {
        "ru": "Панель 1. Новые вызовы безопасности в пространстве СВМДА",
        "kk": "1-панель. АӨСШК кеңістігіндегі қауіпсіздікке төнетін жаңа сын-қатерлер",
    },
    "Panel 2. Connectivity and economic co-operation in Asia": {
        "ru": "Панель 2. Взаимосвязанность и экономическое сотрудничество в Азии",
        "kk": "2-панель. Азиядағы өзара байланыс және экономикалық ынтымақтастық",
    },
    "Panel 3. Digital trust and confidence-building measures": {
        "ru": "Панель 3. Цифровое доверие и меры доверия",
        "kk": "3-панель. Цифрлық сенім және сенім шаралары",
    },
    "Concluding discussion": {"ru": "Заключительная дискуссия", "kk": "Қорытынды талқылау"},
}
ROOM_TRANSLATIONS: dict[str, dict[str, str]] = {
    "Main hall": {"ru": "Главный зал", "kk": "Негізгі зал"},
    "Room 2": {"ru": "Зал 2", "kk": "2-зал"},
}
ZONE = "Asia/Almaty"
DAYS_AHEAD = 30

# (title, kind, day, start hh:mm, minutes, accepts sign-ups)
PANELS = [
    ("Welcome remarks", PanelKind.WELCOME_REMARKS, 0, "09:30", 30, False),
    (
        "Panel 1. New challenges to security in the CICA space",
        PanelKind.PANEL,
        0,
        "10:00",
        120,
        True,
    ),
    (
        "Panel 2. Connectivity and economic co-operation in Asia",
        PanelKind.PANEL,
        0,
        "14:00",
        120,
        True,
    ),
    (
        "Panel 3. Digital trust and confidence-building measures",
        PanelKind.PANEL,
        1,
        "10:00",
        120,
        True,
    ),
    ("Concluding discussion", PanelKind.DISCUSSION, 1, "14:00", 60, True),
]

# The host, one of the seed programme's institutions (registration.demo gives it the same
# names): the sample meeting's pages and badges name it in Russian and Kazakh too.
HOST = (
    "Kazakhstan Institute for Strategic Studies under the President of the Republic of Kazakhstan"
)
HOST_TRANSLATIONS: Translations = {
    "ru": {
        "name": "Казахстанский институт стратегических исследований при Президенте "
        "Республики Казахстан"
    },
    "kk": {
        "name": "Қазақстан Республикасының Президенті жанындағы Қазақстан стратегиялық "
        "зерттеулер институты"
    },
}

# (name, position, institution, member code, mode, role, interpretation language, mail
# language, panel numbers)
PEOPLE = [
    ("Aigerim Sample", "Chief Research Fellow", HOST,
     "KAZ", AttendanceMode.IN_PERSON, ParticipantRole.SPEAKER, "kk", "kk", [1, 3]),
    ("Wei Sample", "Senior Fellow", "Shanghai Institutes for International Studies",
     "CHN", AttendanceMode.IN_PERSON, ParticipantRole.SPEAKER, "en", "en", [1, 2]),
    ("Priya Sample", "Research Fellow", "Indian Council of World Affairs",
     "IND", AttendanceMode.ONLINE, ParticipantRole.PARTICIPANT, "en", "en", [2]),
    ("Mehmet Sample", "Associate Professor", "Ankara Yildirim Beyazit University",
     "TUR", AttendanceMode.IN_PERSON, ParticipantRole.PARTICIPANT, "en", "en", [1, 4]),
    ("Ivan Sample", "Leading Researcher", "Institute of World Economy and International Relations",
     "RUS", AttendanceMode.ONLINE, ParticipantRole.OBSERVER, "ru", "ru", [3, 4]),
    ("Ji-woo Sample", "Research Fellow", "Asan Institute for Policy Studies",
     "KOR", AttendanceMode.IN_PERSON, ParticipantRole.PARTICIPANT, "en", "en", [2, 3]),
]  # fmt: skip


def _at(day: datetime, hhmm: str) -> datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime.combine(day.date(), time(hours, minutes), tzinfo=ZoneInfo(ZONE))


def _series() -> Series:
    series = db.session.scalar(db.select(Series).filter_by(slug=SERIES_SLUG))
    if series is None:
        series = Series(slug=SERIES_SLUG, name="CICA Think Tank Forum", short_name="TTF")
        series.translations = SERIES_TRANSLATIONS
        db.session.add(series)
    return series


def _conference(first_day: datetime) -> Conference:
    conference = db.session.scalar(db.select(Conference).filter_by(slug=SLUG))
    if conference is None:
        conference = Conference(slug=SLUG, format=ConferenceFormat.HYBRID)
        db.session.add(conference)
    conference.title = TITLE
    conference.series = _series()
    conference.number = 10
    conference.theme = "Sample meeting: Asia's security and co-operation agenda"
    conference.description = (
        "SAMPLE DATA. This meeting does not exist: it is a demonstration so you can try "
        "registration, confirmation, focal-point approval and exports."
    )
    conference.venue = "Sample venue"
    conference.city = "Astana"
    conference.translations = CONFERENCE_TRANSLATIONS
    conference.timezone = ZONE
    conference.format = ConferenceFormat.HYBRID
    conference.status = ConferenceStatus.PUBLISHED
    conference.starts_at = _at(first_day, "09:30")
    conference.ends_at = _at(first_day + timedelta(days=1), "15:00")
    # Its "Personal data" page shows when participants' data goes (registration/retention).
    conference.erase_personal_data_months = 24
    return conference


def _panels(conference: Conference, first_day: datetime) -> list[Panel]:
    existing = {panel.title: panel for panel in conference.panels}
    panels = []
    for position, (title, kind, day, start, minutes, _) in enumerate(PANELS):
        panel = existing.get(title)
        if panel is None:
            panel = Panel(conference=conference, title=title)
            db.session.add(panel)
        panel.kind, panel.position = kind, position
        starts_at = _at(first_day + timedelta(days=day), start)
        ends_at = starts_at + timedelta(minutes=minutes)
        room = "Main hall" if kind is not PanelKind.DISCUSSION else "Room 2"
        if panel.id is not None and (panel.starts_at, panel.ends_at, panel.room) != (
            starts_at,
            ends_at,
            room,
        ):
            panel.sequence += 1  # moved: sent invitations and subscribed calendars update
        panel.starts_at, panel.ends_at, panel.room = starts_at, ends_at, room
        panel.translations = {
            code: {"title": PANEL_TRANSLATIONS[title][code], "room": ROOM_TRANSLATIONS[room][code]}
            for code in ("ru", "kk")
        }
        panels.append(panel)
    return panels


def _host(conference: Conference) -> None:
    """The host is `HOST` alone (a sample seeded before had another institution as host)."""
    institution = get_or_create_institution(HOST, "KazISS", "KAZ")
    if not institution.translations:
        institution.translations = HOST_TRANSLATIONS
    hosts = [o for o in conference.organizers if o.role is OrganizerRole.HOST]
    if [o.institution for o in hosts] == [institution]:
        return
    for organizer in hosts:
        conference.organizers.remove(organizer)
    conference.organizers.append(
        ConferenceOrganizer(institution=institution, role=OrganizerRole.HOST)
    )


def _settings(conference: Conference, panels: list[Panel]) -> RegistrationSettings:
    settings = db.session.scalar(
        db.select(RegistrationSettings).filter_by(conference_id=conference.id)
    )
    if settings is None:
        settings = RegistrationSettings(
            conference_id=conference.id,
            approval_required=True,
            in_person_capacity=60,
            delegation_in_person_quota=6,
            delegation_total_quota=10,
        )
        db.session.add(settings)
        settings.panel_links = [
            SignupPanel(panel=panel) for panel, spec in zip(panels, PANELS, strict=True) if spec[5]
        ]
    today = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    settings.opens_at = today - timedelta(days=1)
    settings.closes_at = conference.starts_at - timedelta(days=1)
    return settings


def _people(conference: Conference, panels: list[Panel]) -> int:
    known = set(
        db.session.scalars(db.select(Registration.email).filter_by(conference_id=conference.id))
    )
    added = 0
    for name, position, institution, code, mode, role, language, mail_language, numbers in PEOPLE:
        email = name.lower().replace(" ", ".") + "@example.org"
        if email in known:
            continue
        registration = Registration(
            conference_id=conference.id,
            member=member_by_code(code),
            email=email,
            name=name,
            position=position,
            **affiliation.columns(institution, language),
            mode=mode,
            role=role,
            language=language,
            mail_language=mail_language,
            consent_to_list=True,
            status=RegistrationStatus.APPROVED,
            email_confirmed_at=utcnow(),
            panel_links=[RegistrationPanel(panel=panels[n]) for n in numbers],
        )
        db.session.add(registration)
        added += 1
    return added


def seed_sample_meeting() -> Conference:
    """Create or refresh the sample meeting; commits."""
    sync_members()
    db.session.flush()
    first_day = datetime.now(ZoneInfo(ZONE)) + timedelta(days=DAYS_AHEAD)
    with db.session.no_autoflush:
        conference = _conference(first_day)
        _host(conference)
        panels = _panels(conference, first_day)
    db.session.flush()
    _settings(conference, panels)
    _people(conference, panels)
    db.session.commit()
    return conference
