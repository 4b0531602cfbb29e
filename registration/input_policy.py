"""The input policy: what text, numbers and dates the service accepts from a person.

One policy, applied in one place: every form derives from `PolicyForm`, whose fields get
it when they are bound, so no form repeats it and none can forget it. What it says:

- NUL (U+0000) is refused everywhere: in every field (here), and in paths and query strings
  (`registration.request_guard`). PostgreSQL cannot store it.
- Single-line text (`StringField` and its kinds: e-mail, URL, password, hidden) refuses
  control characters (U+0000-U+001F, U+007F-U+009F) and the Unicode line and paragraph
  separators, with a message next to the field. A line break typed into a title would
  otherwise reach a mail Subject or a calendar line later and fail there.
- Multi-line text (`TextAreaField`) keeps newlines and tabs: CR LF and lone CR become LF,
  the other control characters are dropped, NUL is refused with a message.
- Every text field has a maximum length: what it declares (`Length(max=...)`, for a stored
  field the column's, via `column_length(Model.attribute)`), otherwise `SINGLE_LINE_MAX` or
  `MULTI_LINE_MAX` characters.
- A time zone is a name from the IANA list (`known_time_zone`), whatever a client sends.
- Integers are bounded: beyond what a PostgreSQL INTEGER holds a number is refused, whatever
  the field's own `NumberRange` says. Dates and times lie between the years `EARLIEST_YEAR` and
  `LATEST_YEAR` (beyond them a time zone conversion overflows).

Reusing it outside `PolicyForm`, e.g. for a field made of several language versions or for
cells of an uploaded file: `single_line` and `multi_line` are WTForms validators,
`normalise_lines` is the multi-line filter, and `problem_in_line(text)` says in words
what is wrong with a value (None when it is acceptable). A field with `render_kw` or
`validators` of its own keeps them; the policy only adds its own checks first.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm import InstrumentedAttribute
from wtforms import DateTimeField, Field, IntegerField, StringField, TextAreaField
from wtforms.validators import Length, StopValidation

SINGLE_LINE_MAX = 1_000
MULTI_LINE_MAX = 100_000
INTEGER_MAX = 2**31 - 1  # PostgreSQL INTEGER
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200

# C0 and C1 control characters, DEL, and the Unicode line and paragraph separators.
_LINE_BREAKERS = "\u2028\u2029"
_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{_LINE_BREAKERS}]")
_DROPPED_IN_TEXT = re.compile(f"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_LINE_BREAKERS}]")

NUL_MESSAGE = _l("This field contains a NUL character, which cannot be stored. Please retype it.")
CONTROL_MESSAGE = _l(
    "This field must be a single line: remove the line break or control character."
)
NUMBER_MESSAGE = _l("This number is too large.")
DATE_MESSAGE = _l("Enter a date between the years %(earliest)s and %(latest)s.")


def character_name(character: str) -> str:
    """'U+000A (LINE FEED)': how a message names an unwanted character."""
    name = unicodedata.name(character, "") or _CONTROL_NAMES.get(character, "control character")
    return f"U+{ord(character):04X} ({name})"


_CONTROL_NAMES = {"\x00": "NUL", "\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN"}


def problem_in_line(value: str) -> str | None:
    """What is wrong with a single-line value, in English words; None when it is fine."""
    found = control_in_line(value)
    return None if found is None else f"contains {found}, which a single line cannot hold"


def control_in_line(value: str) -> str | None:
    """The name of the first character a single line cannot hold ('U+0000 NUL'), or None."""
    found = _CONTROL.search(value)
    return None if found is None else character_name(found.group())


def normalise_lines(value: Any) -> Any:
    """The multi-line filter: CR LF and CR become LF; control characters but tab, newline
    and NUL (refused by `multi_line`) are dropped."""
    if not isinstance(value, str):
        return value
    return _DROPPED_IN_TEXT.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def single_line(form: Any, field: Field) -> None:
    """Refuse NUL and every control character, first in the chain (StopValidation)."""
    value = field.data
    if not isinstance(value, str) or _CONTROL.search(value) is None:
        return
    raise StopValidation(NUL_MESSAGE if "\x00" in value else CONTROL_MESSAGE)


def multi_line(form: Any, field: Field) -> None:
    """Refuse NUL (the filter `normalise_lines` has dealt with the other controls)."""
    if isinstance(field.data, str) and "\x00" in field.data:
        raise StopValidation(NUL_MESSAGE)


def bounded_integer(form: Any, field: Field) -> None:
    """An integer no column can hold is refused, whatever the field declared."""
    if isinstance(field.data, int) and abs(field.data) > INTEGER_MAX:
        raise StopValidation(NUMBER_MESSAGE)


def bounded_date(form: Any, field: Field) -> None:
    """A date or time stamp between EARLIEST_YEAR and LATEST_YEAR."""
    value = field.data
    if isinstance(value, date | datetime) and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise StopValidation(DATE_MESSAGE % {"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR})


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def known_time_zone(name: object) -> ZoneInfo | None:
    """The IANA time zone of that name, or None for anything else (empty, long, a path)."""
    return ZoneInfo(name) if isinstance(name, str) and name in _zone_names() else None


def column_length(attribute: InstrumentedAttribute[Any]) -> int:
    """The length of a VARCHAR column, for the `Length(max=...)` of the field that fills it."""
    length = getattr(attribute.property.columns[0].type, "length", None)
    if not isinstance(length, int):
        raise TypeError(f"{attribute} is not a column of limited length")
    return length


def _declares_a_maximum(field: Field) -> bool:
    return any(isinstance(v, Length) and v.max not in (None, -1) for v in field.validators)


def apply_policy(field: Field) -> Field:
    """Give a bound field the checks of its kind (see the module's text); returns it."""
    first: list[Any] = []
    if isinstance(field, TextAreaField):
        field.filters = (normalise_lines, *field.filters)
        first.append(multi_line)
        default_max = MULTI_LINE_MAX
    elif isinstance(field, StringField):
        first.append(single_line)
        default_max = SINGLE_LINE_MAX
    elif isinstance(field, IntegerField):
        first.append(bounded_integer)
        default_max = 0
    elif isinstance(field, DateTimeField):  # DateField and DateTimeLocalField too
        first.append(bounded_date)
        default_max = 0
    else:
        return field
    later: list[Any] = []
    if default_max and not _declares_a_maximum(field):
        later.append(Length(max=default_max))
        field.flags.maxlength = default_max
    field.validators = [*first, *field.validators, *later]
    return field


class PolicyForm(FlaskForm):
    """The base of every form: each field gets the input policy when it is bound."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Field:
            return apply_policy(super().bind_field(form, unbound_field, options))
