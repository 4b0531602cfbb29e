"""The CICA membership, with names and codes taken from pycountry (ISO 3166)."""

from __future__ import annotations

import gettext
from dataclasses import dataclass

import pycountry

from registration.directory.models import MemberKind

MEMBER_STATES = [
    "AFG",
    "AZE",
    "BHR",
    "BGD",
    "KHM",
    "CHN",
    "EGY",
    "IND",
    "IRN",
    "IRQ",
    "ISR",
    "JOR",
    "KAZ",
    "KGZ",
    "KWT",
    "MNG",
    "PAK",
    "PSE",
    "QAT",
    "KOR",
    "RUS",
    "LKA",
    "TJK",
    "THA",
    "TUR",
    "ARE",
    "UZB",
    "VNM",
]
OBSERVER_STATES = ["BLR", "IDN", "JPN", "LAO", "MYS", "PHL", "TKM", "UKR", "USA"]
ORGANIZATIONS = (
    ("UN", "United Nations", MemberKind.OBSERVER_ORGANIZATION),
    (
        "OSCE",
        "Organization for Security and Co-operation in Europe",
        MemberKind.OBSERVER_ORGANIZATION,
    ),
    ("LAS", "League of Arab States", MemberKind.OBSERVER_ORGANIZATION),
    ("TURKPA", "Parliamentary Assembly of Turkic States", MemberKind.OBSERVER_ORGANIZATION),
    ("SCO", "Shanghai Cooperation Organisation", MemberKind.PARTNER_ORGANIZATION),
)
# The organisations' names and abbreviations in Russian and Kazakh. Russian is an official
# language of the UN, the OSCE and the SCO, and Kazakh of TURKPA: those names are theirs. Ours
# (chosen among the forms in use in Kazakhstan's and Russia's official texts; for the
# Secretariat to confirm): the Kazakh names of the UN, the OSCE, the SCO and the League of
# Arab States, and the Russian names of the League (it works in Arabic) and of TURKPA. The
# League has no Kazakh abbreviation in use.
ORGANIZATION_NAMES: dict[str, dict[str, tuple[str, str | None]]] = {
    "UN": {
        "ru": ("Организация Объединённых Наций", "ООН"),
        "kk": ("Біріккен Ұлттар Ұйымы", "БҰҰ"),
    },
    "OSCE": {
        "ru": ("Организация по безопасности и сотрудничеству в Европе", "ОБСЕ"),
        "kk": ("Еуропадағы қауіпсіздік және ынтымақтастық ұйымы", "ЕҚЫҰ"),
    },
    "LAS": {
        "ru": ("Лига арабских государств", "ЛАГ"),
        "kk": ("Араб мемлекеттері лигасы", None),
    },
    "TURKPA": {
        "ru": ("Парламентская ассамблея тюркских государств", "ТюркПА"),
        "kk": ("Түркі мемлекеттерінің парламенттік ассамблеясы", "ТүркПА"),
    },
    "SCO": {
        "ru": ("Шанхайская организация сотрудничества", "ШОС"),
        "kk": ("Шанхай ынтымақтастық ұйымы", "ШЫҰ"),
    },
}


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    alpha_2: str | None
    name: str
    kind: MemberKind


def diplomatic_name(iso_name: str) -> str:
    """Turn ISO's inverted names ("Korea, Republic of") into the usual order."""
    if ", " not in iso_name:
        return iso_name
    base, qualifier = iso_name.split(", ", 1)
    return f"{qualifier} {base}"


def _state(alpha_3: str, kind: MemberKind) -> CatalogueEntry:
    country = pycountry.countries.get(alpha_3=alpha_3)
    if country is None:
        raise LookupError(f"unknown ISO 3166 code {alpha_3}")
    return CatalogueEntry(alpha_3, country.alpha_2, diplomatic_name(country.name), kind)


def cica_members() -> list[CatalogueEntry]:
    """Every member state, observer and partner, as CICA lists them."""
    states = [_state(code, MemberKind.MEMBER_STATE) for code in MEMBER_STATES]
    observers = [_state(code, MemberKind.OBSERVER_STATE) for code in OBSERVER_STATES]
    organizations = [CatalogueEntry(code, None, name, kind) for code, name, kind in ORGANIZATIONS]
    return states + observers + organizations


def organization_name(code: str, language: str) -> tuple[str, str | None] | None:
    """An organisation's (name, abbreviation) in Russian or Kazakh; None in English (the
    catalogue's name and code) or for a code the catalogue does not translate."""
    return ORGANIZATION_NAMES.get(code, {}).get(language)


def localized_state_name(alpha_3: str, language: str) -> str:
    """The ISO name of a state in one of pycountry's translations (ru, kk, ...)."""
    country = pycountry.countries.get(alpha_3=alpha_3)
    if country is None:
        raise LookupError(f"unknown ISO 3166 code {alpha_3}")
    translation = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )
    return diplomatic_name(translation.gettext(country.name))
