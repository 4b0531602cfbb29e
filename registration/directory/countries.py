"""Countries of the world (ISO 3166, pycountry) named in a page's language, for choices."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry

from registration.collation import sort_key
from registration.directory.catalogue import diplomatic_name


@cache
def _translation(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def _usual(name: str) -> str:
    """ "Korea, Republic of" read as "Republic of Korea"; other names as they are."""
    return diplomatic_name(name) if name.count(", ") == 1 and name.endswith(" of") else name


def country_name(alpha_2: str, language: str = "en") -> str:
    """The country's usual name in a language; the code itself when it names no country."""
    country = pycountry.countries.get(alpha_2=alpha_2) if alpha_2 else None
    if country is None:
        return alpha_2
    if language == "en":
        return _usual(getattr(country, "common_name", None) or country.name)
    return _usual(_translation(language).gettext(country.name))


@cache
def country_choices(language: str = "en") -> tuple[tuple[str, str], ...]:
    """(alpha-2 code, name) of every country, in the language's alphabetical order."""
    pairs = [(c.alpha_2, country_name(c.alpha_2, language)) for c in pycountry.countries]
    return tuple(sorted(pairs, key=lambda pair: sort_key(pair[1])))


def is_country(alpha_2: str) -> bool:
    return bool(alpha_2) and pycountry.countries.get(alpha_2=alpha_2) is not None
