"""An audit entry's change lines in the reader's language.

A line is stored as {"field", "before", "after"} (and "personal" when retention erases its
values). "field" is the English words of a marked label, translated where shown. Since
2026-12-06 a text in another language also keeps that language's code ("language": "kk",
shown as "Title (Қазақша)"), and a time is kept as an ISO instant in UTC ("kind": "time"),
shown in the reader's language and the conference's zone with its label. Lines from before
keep both in words, "Title (kk)" and "2026-12-06 07:22 UTC": they are read so too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext

from registration.i18n import language_name, translate, zoned

# The "kind" of a line whose values are instants (ISO 8601, UTC).
TIME = "time"
# How lines from before 2026-12-06 wrote a time and named a text's language.
OLD_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$")
OLD_LANGUAGE = re.compile(r"^(?P<field>.+) \((?P<language>en|ru|kk)\)$")


@dataclass(frozen=True)
class Line:
    """A change line as the reader reads it; "" for no value."""

    field: str
    before: str
    after: str


def worded(line: Mapping[str, Any], zone: str) -> Line:
    """`line` in the page's language, its times in `zone` (a zone id; "UTC" outside a
    conference)."""
    field, language = line["field"], line.get("language")
    if language is None and (old := OLD_LANGUAGE.match(field)) is not None:
        field, language = old["field"], old["language"]
    label = translate(field)
    if language:
        label = gettext("%(field)s (%(language)s)", field=label, language=language_name(language))
    kind = line.get("kind")
    return Line(
        label, _value(line.get("before"), kind, zone), _value(line.get("after"), kind, zone)
    )


def worded_lines(lines: list[Mapping[str, Any]], zone: str) -> list[Line]:
    return [worded(line, zone) for line in lines]


def _value(value: str | None, kind: str | None, zone: str) -> str:
    if not value:
        return ""
    if kind == TIME:
        return zoned(datetime.fromisoformat(value), zone)
    if kind is None and OLD_TIME.match(value):
        return zoned(datetime.strptime(value, "%Y-%m-%d %H:%M UTC").replace(tzinfo=UTC), zone)
    return translate(value)
