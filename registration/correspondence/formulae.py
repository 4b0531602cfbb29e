"""The diplomatic formulae of a note verbale in English, Russian and Kazakh (after the
Secretariat's note No. TTF/374), and the place and date in each language's official style.

Official letters write dates their own way, not CLDR's "long" format: "28 March 2022",
"28 марта 2022 г.", "2022 жылғы 28 наурыз" (Kazakh: year, then day and month).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel import Locale

NOTE_LANGUAGES = ("en", "ru", "kk")

LETTERHEAD = (
    "SECRETARIAT OF THE CONFERENCE ON INTERACTION\nAND CONFIDENCE BUILDING MEASURES IN ASIA",
    "СЕКРЕТАРИАТ СОВЕЩАНИЯ ПО ВЗАИМОДЕЙСТВИЮ\nИ МЕРАМ ДОВЕРИЯ В АЗИИ",
)

SENDER = {
    "en": "The Secretariat of the Conference on Interaction and Confidence Building Measures "
    "in Asia (CICA)",
    "ru": "Секретариат Совещания по взаимодействию и мерам доверия в Азии (СВМДА)",
    "kk": "Азиядағы өзара іс-қимыл және сенім шаралары кеңесінің (АӨСШК) Хатшылығы",
}


@dataclass(frozen=True)
class Defaults:
    """What a new note to the member states says in a language until the organiser edits it:
    the addressee inside the formulae (dative), the addressee block, the place."""

    addressee: str
    addressee_block: str
    place: str


DEFAULTS = {
    "en": Defaults(
        "the CICA Member States",
        "MEMBER STATES\nOF THE CONFERENCE ON INTERACTION\n"
        "AND CONFIDENCE BUILDING MEASURES\nIN ASIA",
        "Astana",
    ),
    "ru": Defaults(
        "государствам-членам СВМДА",
        "ГОСУДАРСТВА-ЧЛЕНЫ\nСОВЕЩАНИЯ ПО ВЗАИМОДЕЙСТВИЮ И\nМЕРАМ ДОВЕРИЯ В АЗИИ",
        "город Астана",
    ),
    "kk": Defaults(
        "АӨСШК мүше мемлекеттеріне",
        "АЗИЯДАҒЫ ӨЗАРА ІС-ҚИМЫЛ ЖӘНЕ\nСЕНІМ ШАРАЛАРЫ КЕҢЕСІНІҢ\nМҮШЕ МЕМЛЕКЕТТЕРІ",
        "Астана қаласы",
    ),
}


def number_line(reference: str) -> str:
    """'№TTF/374' (the seed writes the sign in every language)."""
    return f"№{reference}"


def opening(language: str, addressee: str, first_paragraph: str) -> str:
    """The compliments and the first paragraph of the body, as one sentence.

    en/ru: the body continues "has the honour to ..." / "имеет честь ...";
    kk: the body comes before the verb, "... жіберуді өзіне мәртебе санайды."
    """
    text = first_paragraph.strip()
    if language == "en":
        return (
            f"{SENDER['en']} presents its compliments to {addressee} and has the honour to {text}"
        )
    if language == "ru":
        return f"{SENDER['ru']} свидетельствует свое уважение {addressee} и имеет честь {text}"
    if language == "kk":
        text = text.rstrip(". ")
        return (
            f"{SENDER['kk']} {addressee} өзінің зор ілтипатын білдіре отырып, {text} "
            "өзіне мәртебе санайды."
        )
    raise ValueError(f"no formulae in {language}")


def closing(language: str, addressee: str) -> str:
    """The renewal of the assurances of the Secretariat's highest consideration."""
    return {
        "en": f"The Secretariat avails itself of this opportunity to renew to {addressee} "
        "the assurances of its highest consideration.",
        "ru": f"Секретариат пользуется случаем, чтобы возобновить {addressee} уверения в своем "
        "весьма высоком уважении.",
        "kk": f"Хатшылық осы мүмкіндікті пайдалана отырып, {addressee} өзінің зор ілтипатын "
        "тағы да растайды.",
    }[language]


def enclosure_line(language: str, pages: int) -> str:
    """'Enclosure: as stated, on 8 p.' in the note's language."""
    return {
        "en": f"Enclosure: as stated, on {pages} p.",
        "ru": f"Приложение: упомянутое, на {pages} л.",
        "kk": f"Қосымша: аталған {pages} п",
    }[language]


def official_date(day: date, language: str) -> str:
    """'28 March 2022', '28 марта 2022 г.', '2022 жылғы 28 наурыз'."""
    month = Locale.parse(language).months["format"]["wide"][day.month]
    if language == "ru":
        return f"{day.day} {month} {day.year} г."
    if language == "kk":
        return f"{day.year} жылғы {day.day} {month}"
    return f"{day.day} {month} {day.year}"


def place_and_date(place: str, day: date, language: str) -> str:
    return f"{place}, {official_date(day, language)}"
