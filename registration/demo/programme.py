"""The demo programme as data: the CICA institutions, the Think Tank Forum series and the
two conferences of the source documents (panels, speakers, organisers)."""

from __future__ import annotations

from dataclasses import dataclass

from registration.conferences.models import (
    ConferenceFormat,
    ConferenceStatus,
    OrganizerRole,
    PanelKind,
    PanelRole,
)

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
