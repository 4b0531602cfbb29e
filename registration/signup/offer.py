"""What a conference offers registrants: settings, panels, modes, languages, member choices."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, func
from sqlalchemy.orm import aliased, selectinload
from wtforms import SelectChoice

from registration.conferences.models import (
    Conference,
    ConferenceOrganizer,
    ConferenceStatus,
    OrganizerRole,
    Panel,
    PanelStatus,
)
from registration.database import db
from registration.directory.models import Institution, Member, MemberKind
from registration.directory.services import (
    member_abbreviation,
    member_key,
    member_name,
    members_for_choice,
)
from registration.i18n import N_, page_language
from registration.signup.models import (
    SEAT_HOLDING,
    AttendanceMode,
    Question,
    Registration,
    RegistrationSettings,
    RegistrationStatus,
    SignupPanel,
)
from registration.signup.places import Tally
from registration.signup.question_cache import form_questions, version_columns

# Language names are marked for the catalogue; the form shows them translated.
WORKING_LANGUAGES = [("en", N_("English")), ("ru", N_("Russian"))]
# The languages whose member names the filter box matches, whatever the page's language.
SEARCH_LANGUAGES = ("en", "ru", "kk")
HOST_LANGUAGES = {
    "AE": ("ar", N_("Arabic")),
    "AZ": ("az", N_("Azerbaijani")),
    "CN": ("zh", N_("Chinese")),
    "IN": ("hi", N_("Hindi")),
    "IR": ("fa", N_("Persian")),
    "KG": ("ky", N_("Kyrgyz")),
    "KR": ("ko", N_("Korean")),
    "KZ": ("kk", N_("Kazakh")),
    "MN": ("mn", N_("Mongolian")),
    "QA": ("ar", N_("Arabic")),
    "TH": ("th", N_("Thai")),
    "TJ": ("tg", N_("Tajik")),
    "TR": ("tr", N_("Turkish")),
    "UZ": ("uz", N_("Uzbek")),
    "VN": ("vi", N_("Vietnamese")),
}
CITY_COUNTRIES = {"shanghai": "CN", "beijing": "CN", "astana": "KZ", "almaty": "KZ"}


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
    questions: list[Question] = field(default_factory=list)

    @property
    def availability(self) -> Availability:
        if self.settings is None or self.settings.in_person_capacity is None:
            return Availability(None)
        return Availability(self.settings.in_person_capacity - self.seats_taken)


@cache
def _context_statement() -> Select[Any]:
    """The query of `signup_context`, built once: building it costs more than running it.

    One row per sign-up panel (ordered), or one row with no panel: the conference, its
    settings, host country, seats taken and the members table's fingerprint repeat on each.
    Their subqueries name the conference by its slug, not by the outer row, so PostgreSQL
    runs each once per statement instead of once per row. The last three are the version
    of the form's questions (`question_cache`).
    """
    by_slug = aliased(Conference)
    conference_id = db.select(by_slug.id).where(by_slug.slug == bindparam("slug")).scalar_subquery()
    host_country = (
        db.select(Member.alpha_2)
        .join(Institution, Institution.member_id == Member.id)
        .join(ConferenceOrganizer, ConferenceOrganizer.institution_id == Institution.id)
        .where(
            ConferenceOrganizer.conference_id == conference_id,
            ConferenceOrganizer.role == OrganizerRole.HOST,
        )
        .order_by(ConferenceOrganizer.position)
        .limit(1)
        .scalar_subquery()
    )
    seats_taken = (
        db.select(func.count(Registration.id))
        .where(
            Registration.conference_id == conference_id,
            Registration.mode == AttendanceMode.IN_PERSON,
            Registration.status.in_(SEAT_HOLDING),
        )
        .scalar_subquery()
    )
    member_count = db.select(func.count(Member.id)).scalar_subquery()
    member_max = db.select(func.max(Member.id)).scalar_subquery()
    open_panels = (
        db.select(Panel)
        .join(SignupPanel, SignupPanel.panel_id == Panel.id)
        .where(Panel.status != PanelStatus.CANCELLED)
        .add_columns(SignupPanel.settings_id)
        .subquery()
    )
    panel = aliased(Panel, open_panels)
    return (
        db.select(
            Conference,
            RegistrationSettings,
            host_country,
            seats_taken,
            member_count,
            member_max,
            *version_columns(conference_id),
            panel,
        )
        .outerjoin(RegistrationSettings, RegistrationSettings.conference_id == Conference.id)
        .outerjoin(open_panels, open_panels.c.settings_id == RegistrationSettings.id)
        .where(
            Conference.slug == bindparam("slug"), Conference.status == ConferenceStatus.PUBLISHED
        )
        .order_by(panel.starts_at, panel.position)
    )


def signup_context(slug: str) -> SignupContext | None:
    """A published conference with its settings, host country and sign-up panels."""
    rows = db.session.execute(_context_statement(), {"slug": slug}).all()
    if not rows:
        return None
    conference, settings, country, taken, count, highest, asked, last_id, last_change, _ = rows[0]
    panels = [row[-1] for row in rows if row[-1] is not None]
    questions = form_questions(conference.id, (asked, last_id, last_change)) if settings else []
    return SignupContext(conference, settings, country, taken, (count, highest), panels, questions)


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


def member_label(member: Member, language: str = "en") -> str:
    return f"{member.flag} {member_name(member, language)} ({member.code})".strip()


# Lazy: the options are cached per process and the group labels follow each page's language.
MEMBER_GROUPS = {
    MemberKind.MEMBER_STATE: _l("Member states"),
    MemberKind.OBSERVER_STATE: _l("Observer states"),
    MemberKind.OBSERVER_ORGANIZATION: _l("Observer organisations"),
    MemberKind.PARTNER_ORGANIZATION: _l("Partner organisations"),
}


_member_cache: dict[str, tuple[tuple[int, int | None], list[SelectChoice]]] = {}


def member_choices(
    members: Sequence[Member] | None = None, fingerprint: tuple[int, int | None] | None = None
) -> list[SelectChoice]:
    """Options 'flag name (CODE)' grouped by kind, member states first, in the page's
    language (states by their ISO name in it, in its alphabetical order).

    The full list is cached per process and language and rebuilt when the members table's
    (count, highest id) changes: a tiny query (or none, when the caller read the
    fingerprint already) instead of loading every member.
    """
    language = page_language()
    if members is not None:
        return _member_options(members, language)
    if fingerprint is None:
        row = db.session.execute(db.select(func.count(Member.id), func.max(Member.id))).one()
        fingerprint = (row[0], row[1])
    cache_key = f"{db.engine.url}|{language}"
    cached = _member_cache.get(cache_key)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    options = _member_options(members_for_choice(), language)
    _member_cache[cache_key] = (fingerprint, options)
    return options


def _member_options(members: Sequence[Member], language: str) -> list[SelectChoice]:
    kinds = list(MemberKind)
    ordered = sorted(members, key=lambda m: (kinds.index(m.kind), member_key(m, language)))
    return [
        SelectChoice(
            str(m.id),
            member_label(m, language),
            render_kw={"data-names": other_names(m, language)},
            optgroup=MEMBER_GROUPS[m.kind],
        )
        for m in ordered
    ]


def other_names(member: Member, language: str) -> str:
    """The member's names in the other interface languages and its two-letter ISO code (an
    organisation's abbreviations in them), so the filter box finds "Kazakhstan" on the
    Russian page, "Казахстан" on the English one and "KZ" on any (the label shows the code)."""
    names, codes = _names_and_codes(member)
    shown = sorted(names - {member_name(member, language)})
    return " | ".join([*shown, *sorted(codes - {member.code})])


def _names_and_codes(member: Member) -> tuple[set[str], set[str]]:
    """What the member search finds a member by: its names in the interface languages; its
    code, ISO alpha-2 code and an organisation's abbreviations in those languages."""
    names = {member_name(member, language) for language in SEARCH_LANGUAGES}
    codes = {member_abbreviation(member, language) for language in SEARCH_LANGUAGES}
    return names, {code for code in codes | {member.code, member.alpha_2} if code}


def member_finder() -> Callable[[str], Member | None]:
    """The member a typed text names, as the form's member search finds it (any of its names
    or codes, case aside), else None; for lists, which name members many times over."""
    found: dict[str, Member] = {}
    for member in members_for_choice():  # states first: they keep a word they share
        names, codes = _names_and_codes(member)
        for term in names | codes:
            found.setdefault(term.casefold(), member)
    return lambda text: found.get(text.strip().casefold())


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
    tally = Tally.load(settings, registration.member_id)
    return tally.why_not(registration.member_id, AttendanceMode.ONLINE) is None


def registration_by_id(registration_id: int) -> Registration | None:
    return db.session.get(Registration, registration_id)
