"""Reading meeting platforms' attendance reports: Zoom participants CSV, Teams report CSV.

Zoom (Reports > Usage > Participants, "Export with meeting data") writes a meeting header
block, a blank line, then the participants table ("Name (Original Name)", "User Email",
"Join Time", "Leave Time", "Duration (Minutes)", "Guest", ...); without meeting data only the
table. Header spelling varies between Zoom versions ("Email", "Join time"), so columns are
found by normalised name. Times are in the exporting account's time zone.

Teams (meeting > Attendance > Download) writes sections "1. Summary", "2. Participants"
("Name", "First Join", "Last Leave", "In-Meeting Duration", "Email", "Participant ID (UPN)",
"Role") and "3. In-Meeting Activities"; as UTF-16 with tabs, or UTF-8 with commas.

Both write dates in the exporting account's locale: 05/12/2026 is 12 May in the United States
and 5 December in most of Asia and Europe. The order is decided per file: a day above 12 in
either place settles it; otherwise the reading nearest the panel's date wins (month first
when no date is given). Dates with dots are always day first, ISO dates year first.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from flask_babel import gettext

from registration.i18n import N_
from registration.input_policy import EARLIEST_YEAR, LATEST_YEAR
from registration.uploads import Row, UploadError, csv_rows, read_text

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SLASH_FORMATS = (
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%y, %I:%M:%S %p",
    "%m/%d/%Y, %I:%M:%S %p",
    "%m/%d/%Y, %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
)
OTHER_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%d.%m.%Y, %H:%M:%S",
    "%d.%m.%Y %H:%M:%S",
)
SLASH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2,4})\b")
DateOrder = Literal["month first", "day first"]
DURATION = re.compile(
    r"^(?:(\d{1,4})\s*h)?\s*(?:(\d{1,6})\s*m(?:in)?)?\s*(?:(\d{1,6})\s*s)?$", re.ASCII
)
LONGEST_MINUTES = 7 * 24 * 60  # a meeting report covers one meeting, not weeks


class ReportError(ValueError):
    """A file that is not a report we can read; the message says why: in English as
    str(error) (logs), in the page's language by `translated()` (a marked message and its
    values, or the upload's own error when the file is no CSV text)."""

    def __init__(self, message: str, *, upload: UploadError | None = None, **values: object):
        super().__init__(message % values if values else message)
        self.message = message
        self.values = values
        self.upload = upload

    def translated(self) -> str:
        if self.upload is not None:
            said = self.upload.translated()
            return said[:1].upper() + said[1:]
        return gettext(self.message, **self.values)


@dataclass(frozen=True)
class ReportRow:
    line: int
    name: str
    email: str
    joined_at: datetime
    left_at: datetime | None
    minutes: int | None

    def digest(self) -> str:
        """A stable hash of the row's facts: the same row imported twice is one fact."""
        parts = [
            self.name.strip(),
            self.email.strip().lower(),
            self.joined_at.isoformat(),
            self.left_at.isoformat() if self.left_at else "",
            str(self.minutes if self.minutes is not None else ""),
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]


def _norm(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", header.lower()).strip()


def _rows(content: bytes) -> list[Row]:
    """The file's CSV records (tab- or comma-separated), each with its line number."""
    try:
        text = read_text(content).content
        sample = "\n".join(text.splitlines()[:20])
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
        return csv_rows(text, delimiter)
    except UploadError as error:
        english = str(error)
        raise ReportError(english[:1].upper() + english[1:], upload=error) from None


def _formats(order: DateOrder) -> tuple[str, ...]:
    if order == "month first":
        return SLASH_FORMATS + OTHER_FORMATS
    day_first = tuple(p.replace("%m/%d/", "%d/%m/") for p in SLASH_FORMATS)
    return day_first + OTHER_FORMATS


def _time(value: str, zone: ZoneInfo, line: int, order: DateOrder = "month first") -> datetime:
    value = value.strip()
    for pattern in _formats(order):
        try:
            when = datetime.strptime(value, pattern).replace(tzinfo=zone)
        except ValueError:
            continue
        if EARLIEST_YEAR <= when.year <= LATEST_YEAR:
            return when
    raise ReportError(
        N_("Line %(line)s: cannot read the time %(value)s."), line=line, value=_shown(value)
    )


def _shown(value: str) -> str:
    """A cell quoted in a message, cut short when it is long."""
    return repr(value if len(value) <= 40 else value[:40] + "…")


def date_order(values: list[str], zone: ZoneInfo, near: datetime | None = None) -> DateOrder:
    """Whether this file's slash dates are month first or day first (see the module's text)."""
    pairs = [(int(m[1]), int(m[2])) for m in map(SLASH_DATE.match, values) if m]
    if any(first > 12 for first, _ in pairs):
        return "day first"
    if any(second > 12 for _, second in pairs) or not pairs or near is None:
        return "month first"

    def distance(order: DateOrder) -> float:
        try:
            when = _time(values[0], zone, 0, order)
        except ReportError:
            return float("inf")
        return abs((when - near).total_seconds())

    return min(("month first", "day first"), key=distance)


def _minutes(value: str, line: int) -> int | None:
    value = value.strip()
    if not value:
        return None
    if re.fullmatch(r"\d{1,6}", value, re.ASCII):
        total = int(value)
    else:
        match = DURATION.match(value)
        if not match or not any(match.groups()):
            raise ReportError(
                N_("Line %(line)s: cannot read the duration %(value)s."),
                line=line,
                value=_shown(value),
            )
        hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
        total = hours * 60 + minutes + (1 if seconds >= 30 else 0)
    if total > LONGEST_MINUTES:
        raise ReportError(
            N_("Line %(line)s: the duration %(value)s is longer than a week."),
            line=line,
            value=_shown(value),
        )
    return total


def _find(header: list[str], *names: str) -> int | None:
    normalised = [_norm(h) for h in header]
    for name in names:
        if name in normalised:
            return normalised.index(name)
    return None


def _body(rows: list[Row], start: int) -> list[tuple[int, list[str]]]:
    """The table's rows after its header, with their line numbers, up to a blank or a section."""
    body = []
    for row in rows[start + 1 :]:
        cells = row.cells
        if not any(cells) or (len(cells) == 1 and re.match(r"^\d+\.\s", cells[0])):
            break
        body.append((row.line, cells))
    return body


def _table(
    rows: list[Row],
    start: int,
    zone: ZoneInfo,
    columns: dict[str, tuple[str, ...]],
    near: datetime | None,
) -> list[ReportRow]:
    header = rows[start].cells
    index = {key: _find(header, *names) for key, names in columns.items()}
    for required in ("name", "joined"):
        if index[required] is None:
            raise ReportError(
                N_("The participants table has no %(column)s column."),
                column=repr(columns[required][0]),
            )

    def cell(key: str, row: list[str]) -> str:
        position = index[key]
        return row[position] if position is not None and position < len(row) else ""

    body = _body(rows, start)
    times = [cell(k, row) for _, row in body for k in ("joined", "left") if cell(k, row)]
    order = date_order(times, zone, near)
    result: list[ReportRow] = []
    for offset, row in body:
        email = cell("email", row)
        if not EMAIL.match(email):
            upn = cell("upn", row)
            email = upn if EMAIL.match(upn) else ""
        left = cell("left", row)
        result.append(
            ReportRow(
                line=offset,
                name=cell("name", row),
                email=email,
                joined_at=_time(cell("joined", row), zone, offset, order),
                left_at=_time(left, zone, offset, order) if left else None,
                minutes=_minutes(cell("minutes", row), offset),
            )
        )
    return result


ZOOM_COLUMNS = {
    "name": ("name original name", "name", "participant"),
    "email": ("user email", "email"),
    "joined": ("join time",),
    "left": ("leave time",),
    "minutes": ("duration minutes", "duration"),
    "upn": ("user email",),
}
TEAMS_COLUMNS = {
    "name": ("name", "full name"),
    "email": ("email",),
    "joined": ("first join", "join time"),
    "left": ("last leave", "leave time"),
    "minutes": ("in meeting duration", "duration"),
    "upn": ("participant id upn",),
}


def read_zoom(content: bytes, zone: ZoneInfo, near: datetime | None = None) -> list[ReportRow]:
    """The participants table; `near` (the panel's start) settles an ambiguous date order."""
    rows = _rows(content)
    for position, row in enumerate(rows):
        names = {_norm(c) for c in row.cells}
        if "join time" in names and names & {"name original name", "name", "participant"}:
            return _table(rows, position, zone, ZOOM_COLUMNS, near)
    raise ReportError(
        N_(
            "This is not a Zoom participants report: no table with 'Name (Original Name)' and "
            "'Join Time' columns was found."
        )
    )


def read_teams(content: bytes, zone: ZoneInfo, near: datetime | None = None) -> list[ReportRow]:
    """The '2. Participants' table; `near` (the panel's start) settles the date order."""
    rows = _rows(content)
    for position, row in enumerate(rows):
        if row.cells and _norm(row.cells[0]) in {"2 participants", "participants"}:
            for header_at in range(position + 1, min(position + 3, len(rows))):
                if _find(rows[header_at].cells, "first join", "join time") is not None:
                    return _table(rows, header_at, zone, TEAMS_COLUMNS, near)
    for position, row in enumerate(rows):
        if _find(row.cells, "first join") is not None and _find(row.cells, "name") is not None:
            return _table(rows, position, zone, TEAMS_COLUMNS, near)
    raise ReportError(
        N_(
            "This is not a Teams attendance report: no '2. Participants' section with "
            "'Name' and 'First Join' columns was found."
        )
    )
