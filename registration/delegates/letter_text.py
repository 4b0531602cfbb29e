"""The words of a visa support letter in each language, from the catalogues.

Dates follow the style of official letters, not CLDR's "long" pattern: "28 March 2022",
"28 марта 2022 г.", "2022 жылғы 28 наурыз" (shared/notes/languages-documents-api.md).
"""  # noqa: RUF002 (Cyrillic on purpose)

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel import Locale
from babel.dates import format_date
from flask import current_app
from flask_babel import force_locale, gettext

from registration.delegates.models import VisaLetter
from registration.directory.countries import country_name


def letter_date(day: date, language: str) -> str:
    if language == "ru":
        return format_date(day, "d MMMM y 'г.'", locale="ru")  # noqa: RUF001
    if language == "kk":
        month = Locale.parse("kk").months["format"]["wide"][day.month]
        return f"{day.year} жылғы {day.day} {month}"
    return format_date(day, "d MMMM y", locale="en")


@dataclass(frozen=True)
class LetterText:
    """One language version: the lines of the page, top to bottom."""

    language: str
    issuer: str
    number: str
    place_and_date: str
    addressee: str
    paragraphs: list[str]
    verify: str
    signature: str


def letter_languages() -> list[str]:
    """The meeting's languages: those the service speaks (English, Russian, Kazakh)."""
    return list(current_app.config["LANGUAGES"])


def letter_text(letter: VisaLetter, language: str, verify_url: str) -> LetterText:
    conference, registration = letter.conference, letter.registration
    first = conference.local(conference.starts_at).date()
    last = conference.local(conference.ends_at).date()
    issued = conference.local(letter.issued_at).date() if letter.issued_at else first
    values = {
        "name": letter.passport_name or registration.name,
        "nationality": country_name(letter.nationality, language),
        "passport": letter.passport_number,
        "meeting": conference.text_in("title", language),
        "city": conference.text_in("city", language),
        "start": letter_date(first, language),
        "end": letter_date(last, language),
        "arrival": letter_date(letter.arrival, language),
        "departure": letter_date(letter.departure, language),
        "consulate": letter.consulate_city,
        "number": letter.reference_in(language),
    }
    with force_locale(language):
        place = gettext("Astana")  # where the Secretariat sits and signs
        return LetterText(
            language=language,
            issuer=gettext(
                "Secretariat of the Conference on Interaction and Confidence Building "
                "Measures in Asia (CICA)"
            ),
            number=gettext("No. %(number)s", number=values["number"]),
            place_and_date=f"{place}, {letter_date(issued, language)}",
            addressee=gettext(
                "To the consular office in %(consulate)s", consulate=values["consulate"]
            ),
            paragraphs=[
                gettext(
                    "The Secretariat of the Conference on Interaction and Confidence Building "
                    "Measures in Asia confirms that %(name)s, a citizen of %(nationality)s, "
                    "passport No. %(passport)s, is invited to take part in person in "
                    "%(meeting)s, held in %(city)s from %(start)s to %(end)s.",
                    **values,
                ),
                gettext(
                    "The Secretariat kindly asks you to issue an entry visa to the participant "
                    "for the stay from %(arrival)s to %(departure)s.",
                    **values,
                ),
            ],
            verify=gettext(
                "The validity of this letter can be checked with its QR code or at %(url)s.",
                url=verify_url,
            ),
            signature=gettext("CICA Secretariat"),
        )
