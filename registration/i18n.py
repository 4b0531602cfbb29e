"""Language choice for pages: an explicit ?lang= (the language switch, remembered for the
session), then the signed-in account's chosen language, then the browser's preference; for
mail, calendars and PDFs the person's language (`in_language`).

Public and management pages are translated into Russian and Kazakh (registration/translations,
see the README); so is what is written to a person (mail, invitations, badges, certificates).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from functools import cache
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel import Locale, dates, numbers
from flask import current_app, has_app_context, has_request_context, request, session
from flask_babel import force_locale, get_locale, get_translations, gettext
from markupsafe import Markup, escape

# What the language switch offers, each language named in itself.
SWITCH = {"en": "English", "ru": "Русский", "kk": "Қазақша"}
# The signed-in account's chosen language, put in the session at sign-in (so choosing the
# locale never reads the database, also on the error pages of a database outage).
ACCOUNT_LANGUAGE = "account_lang"


def use_account_language(language: str | None) -> None:
    """Pages of this session follow `language` (an account's choice; None: the browser's),
    over what the language switch chose before."""
    session.pop("lang", None)
    if language:
        session[ACCOUNT_LANGUAGE] = language
    else:
        session.pop(ACCOUNT_LANGUAGE, None)


def select_locale() -> str | None:
    """Outside a request (CLI, Celery workers) the default locale applies."""
    if not has_request_context():
        return None
    languages: list[str] = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang")
    if chosen in languages:
        session["lang"] = chosen
        return chosen
    if session.get("lang") in languages:
        return session["lang"]
    if session.get(ACCOUNT_LANGUAGE) in languages:
        return session[ACCOUNT_LANGUAGE]
    return browser_language()


def browser_language() -> str | None:
    """The offered language the browser's Accept-Language prefers."""
    return request.accept_languages.best_match(current_app.config["LANGUAGES"])


def page_language() -> str:
    """The language this page (or the mail, calendar, PDF being written) is in: the request's,
    or the one `in_language` forces; 'en' outside both."""
    return str(get_locale() or "en") if has_app_context() else "en"


def offered(language: str | None) -> str:
    """`language` if it is one of ours, else English (a stored code from older data)."""
    return language if language in current_app.config["LANGUAGES"] else "en"


def chosen_language() -> str | None:
    """The language a document is asked for in (?language=, one of ours), else None. Not
    ?lang=, which would also switch the session's pages."""
    language = request.args.get("language")
    return language if language in current_app.config["LANGUAGES"] else None


@contextmanager
def in_language(language: str | None) -> Iterator[str]:
    """Write a mail, calendar or PDF in a person's language: the catalogue (`gettext`, `_()`),
    `page_language()` (stored texts) and Babel's formats follow it inside the block."""
    code = offered(language)
    with force_locale(code):
        yield code


def N_(message: str) -> str:  # noqa: N802 (the name pybabel extracts by default)
    """Mark a message for the catalogue without translating it here: it is stored or mailed
    in English and translated where a page shows it (`gettext(message)`)."""
    return message


def language_links() -> list[tuple[str, str, str]]:
    """(code, name, URL of this page in that language) for the language switch."""
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    here = request.script_root + request.path
    offered = [code for code in SWITCH if code in current_app.config["LANGUAGES"]]
    return [
        (code, SWITCH[code], f"{here}?{urlencode([*args, ('lang', code)])}") for code in offered
    ]


# strftime's date patterns the templates use, and Babel's width for each: in Russian and
# Kazakh the date is written as CLDR says (in Kazakh the year first), what follows
# (', %H:%M') in the pattern's own order with the language's names.
BABEL_DATES = (("%A %d %B %Y", "full"), ("%d %B %Y", "long"), ("%d %b %Y", "medium"))
# strftime's codes and CLDR's: templates keep strftime's familiar patterns, Babel writes them
# (names from CLDR in the page's language, never the C library's locale).
CLDR_CODES = {
    "%A": "EEEE",
    "%a": "EEE",
    "%d": "dd",
    "%B": "MMMM",
    "%b": "MMM",
    "%m": "MM",
    "%Y": "y",
    "%H": "HH",
    "%M": "mm",
    "%S": "ss",
}


def strftime(instant: date, pattern: str) -> str:
    """`instant` written by Babel in the page's language after a strftime `pattern`: in
    English as strftime writes it ('28 December 2021, 09:30'); in Russian and Kazakh a
    leading date pattern in Babel's form for the language (BABEL_DATES), the rest with the
    language's month and weekday names."""
    language = page_language()
    if language != "en":
        for known, width in BABEL_DATES:
            if pattern.startswith(known):
                rest = pattern.removeprefix(known)
                day = dates.format_date(instant, width, locale=language)
                return day + (_babel(instant, rest, language) if rest else "")
    return _babel(instant, pattern, language)


@cache
def cldr_pattern(pattern: str) -> str:
    """A strftime pattern as CLDR's ('%d %B %Y, %H:%M UTC' -> "dd MMMM y, HH:mm 'UTC'")."""
    parts, literal, rest = [], "", pattern
    while rest:
        if rest.startswith("%%"):
            literal, rest = literal + "%", rest[2:]
        elif rest.startswith("%"):
            code = CLDR_CODES[rest[:2]]  # a KeyError names a code nobody needed yet
            parts.append(_quoted(literal) + code)
            literal, rest = "", rest[2:]
        else:
            literal, rest = literal + rest[0], rest[1:]
    return "".join(parts) + _quoted(literal)


def _quoted(literal: str) -> str:
    """Literal text in a CLDR pattern: letters quoted, a quote doubled."""
    if not literal:
        return ""
    if not any(ch.isalpha() or ch == "'" for ch in literal):
        return literal
    return "'" + literal.replace("'", "''") + "'"


def _babel(instant: date, pattern: str, language: str) -> str:
    if isinstance(instant, datetime):
        return dates.format_datetime(instant, cldr_pattern(pattern), locale=language)
    return dates.format_date(instant, cldr_pattern(pattern), locale=language)


def translate(message: str) -> str:
    """A message marked elsewhere (N_) or stored (a waiting-list reason) in the page's language;
    text the catalogue does not know (an organiser's reason) comes back unchanged. Unlike `_()`
    in templates the result is plain text, escaped on output, and never %-formatted."""
    return gettext(message) if message else message


def worded(message: str, values: Mapping[str, object]) -> str:
    """A message kept as its id and values (a refusal, an audit note or subject), in the
    page's language, each value as `said` words it."""
    return gettext(message, **{name: said(value) for name, value in values.items()})


def said(value: object) -> str:
    """One value of a message kept as data, in the page's language: a number per locale; a
    stored text in several languages ({"texts": {"en": ..., "ru": ...}, "main": "en"}) in the
    page's language, else in its main one; a message of its own ({"message": ..., "values":
    {...}}) worded; language codes ({"languages": ["en", "kk"]}) as the languages' names; any
    other text translated when it is a message (a marked word), else as stored (an address)."""
    if isinstance(value, int):
        return format_number(value)
    if isinstance(value, Mapping):
        if "texts" in value:
            texts = value["texts"]
            shown = texts.get(page_language()) or texts.get(value.get("main"))
            return str(shown or next(iter(texts.values()), ""))
        if "message" in value:
            return worded(str(value["message"]), value.get("values") or {})
        if "languages" in value:
            return ", ".join(language_name(code) for code in value["languages"])
    return translate(str(value))


def in_languages(texts: Mapping[str, str], main: str) -> dict[str, object]:
    """A value for `worded` that is a stored text in several languages (`said` picks one)."""
    return {"texts": {code: text for code, text in texts.items() if text}, "main": main}


def message_value(message: str, values: Mapping[str, object]) -> dict[str, object]:
    """A value for `worded` that is a message and its values itself."""
    return {"message": message, "values": dict(values)}


def logged(message: str) -> Markup:
    """An English message kept as data (a delivery log's error): in the page's language when
    the catalogue knows it, else as it was written, marked as English (WCAG 3.1.2)."""
    said = translate(message)
    if said != message or page_language() == "en":
        return escape(said)
    return Markup('<span lang="en">{}</span>').format(message)


@cache
def _language_name(code: str, language: str) -> str:
    name = Locale.parse(language).languages.get(code, code)
    return name[:1].upper() + name[1:]


def language_name(code: str, language: str | None = None) -> str:
    """A language's name in the page's language (or `language`), capitalised as a label:
    "Kazakh", "Казахский", "Қазақ тілі" (Babel's CLDR names, not a raw code)."""
    return _language_name(code, language or page_language())


def offset_label(local: datetime) -> str:
    """An aware time's UTC offset, e.g. 'UTC+05:00' (the zone id and offset label times:
    Babel's zone names are wrong for Kazakhstan, see shared notes)."""
    offset = local.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'+' if minutes >= 0 else '-'}{hours:02d}:{rest:02d}"


def format_day(instant: date, width: str = "long") -> str:
    """A date in the page's (or mail's) language, Babel's CLDR pattern: 'March 28, 2022',
    in Russian '28 March 2022 y.' written in Cyrillic, in Kazakh year first."""
    return dates.format_date(instant, width, locale=page_language())


# English pages write a date day first ('28 December 2030', strftime's patterns above): their
# ranges take British English's CLDR patterns ('5 - 6 January 2027'), not American ones.
DAY_FIRST = {"en": "en_GB"}


@cache
def _day_intervals(language: str, width: str) -> dict[str, list[str]]:
    """CLDR's patterns for two days ('yMMMd', those of Babel's `format_interval`), by the
    largest field that differs (y, M, d); for 'long' with the month written out, as ICU widens
    a matched pattern (CLDR has no 'yMMMMd', and format_interval would abbreviate it)."""
    patterns = Locale.parse(language).interval_formats
    return {
        field: [re.sub(r"(?<!M)MMM(?!M)", "MMMM", p) if width == "long" else p for p in pair]
        for field, pair in patterns["yMMMd"].items()
    }


def day_range(start: datetime, end: datetime, zone: str, width: str = "long") -> str:
    """The days from `start` to `end` (aware instants) in `zone`, in the page's language with
    what they share written once: '5 - 6 January 2027', in Russian '5-6 January 2027 y.' and
    in Kazakh '2027 y. 5-6 January' in Cyrillic (one date for a one-day meeting); 'medium'
    abbreviates the month."""
    local = ZoneInfo(zone)
    first, last = start.astimezone(local).date(), end.astimezone(local).date()
    language = DAY_FIRST.get(page_language(), page_language())
    if first >= last:
        return dates.format_date(first, width, locale=language)
    field = "y" if first.year != last.year else "M" if first.month != last.month else "d"
    head, tail = _day_intervals(language, width)[field]
    return dates.parse_pattern(head).apply(first, language) + dates.parse_pattern(tail).apply(
        last, language
    )


def format_clock(instant: datetime) -> str:
    """A time of day, 24-hour in every language ('09:30'), the digits per locale."""
    return dates.format_time(instant, "HH:mm", locale=page_language())


def zone_label(instant: datetime, zone: str) -> str:
    """What labels a time in `zone`: 'Asia/Almaty, UTC+05:00' (the zone id and its offset at
    that instant); 'UTC' alone for UTC."""
    if zone == "UTC":
        return "UTC"
    return f"{zone}, {offset_label(instant.astimezone(ZoneInfo(zone)))}"


def zoned(instant: datetime | None, zone: str, *, seconds: bool = False) -> str:
    """A time shown to a person with its zone's label, in the page's language: a
    conference's things in the conference's zone ('28 December 2021, 09:30 (Asia/Shanghai,
    UTC+08:00)'), what belongs to no conference (sign-ins, tokens, webhooks of every
    conference) in UTC ('28 December 2021, 01:30 UTC'). Empty for no time."""
    if instant is None:
        return ""
    local = instant.astimezone(ZoneInfo(zone))
    shown = strftime(local, "%d %B %Y, %H:%M:%S" if seconds else "%d %B %Y, %H:%M")
    label = zone_label(instant, zone)
    return f"{shown} {label}" if zone == "UTC" else f"{shown} ({label})"


def format_number(value: float | None, decimals: int = 0) -> str:
    """A count or measure in the page's language: '12,345' in English, '12 345' in Russian
    and Kazakh (a no-break space), up to `decimals` decimals ('12.5', '12,5')."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return numbers.format_decimal(value, pattern, locale=page_language())


def ngettext(singular: str, plural: str, num: int, **variables: object) -> str:
    """flask_babel's `ngettext` (the form for `num`, pybabel extracts it by this name) with
    the count written in the page's language: '1 234 участника', not '1234'."""
    text = get_translations().ungettext(singular, plural, num)
    return text % {"num": format_number(num), **variables}


def format_percent(value: float | None) -> str:
    """A share (0.875) as a percentage in the page's language: '88%', in Russian '88 %'."""
    if value is None:
        return ""
    return numbers.format_percent(value, locale=page_language())
