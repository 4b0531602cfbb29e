"""Reading meeting platforms' attendance reports: Zoom participants CSV, Teams report CSV.

Zoom (Reports > Usage > Participants, "Export with meeting data") writes a meeting header
block, a blank line, then the participants table ("Name (Original Name)", "User Email",
"Join Time", "Leave Time", "Duration (Minutes)", "Guest", ...); without meeting data only the
table. Header spelling varies between Zoom versions ("Email", "Join time"), so columns are
found by normalised name. Times are in the exporting account's time zone.

Teams (meeting > Attendance > Download) writes sections "1. Summary", "2. Participants"
("Name", "First Join", "Last Leave", "In-Meeting Duration", "Email", "Participant ID (UPN)",
"Role") and "3. In-Meeting Activities"; as UTF-16 with tabs, or UTF-8 with commas.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

MAX_BYTES = 5 * 1024 * 1024
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TIME_FORMATS = (
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%y, %I:%M:%S %p",
    "%m/%d/%Y, %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%d/%m/%Y, %H:%M:%S",
    "%d.%m.%Y, %H:%M:%S",
)
DURATION = re.compile(r"^(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?$")


class ReportError(ValueError):
    """A file that is not a report we can read; the message says why."""


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


def decode(content: bytes) -> str:
    """UTF-16 (with BOM, as Teams writes) or UTF-8 (with or without BOM)."""
    if len(content) > MAX_BYTES:
        raise ReportError("The file is larger than 5 MB; is it really an attendance report?")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    if len(content) > 4 and content[1:2] == b"\x00" and content[3:4] == b"\x00":
        return content.decode("utf-16-le")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _norm(header: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", header.lower()).strip()


def _rows(text: str) -> list[list[str]]:
    lines = text.splitlines()
    sample = "\n".join(lines[:20])
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    return [
        [cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)
    ]


def _time(value: str, zone: ZoneInfo, line: int) -> datetime:
    value = value.strip()
    for pattern in TIME_FORMATS:
        try:
            return datetime.strptime(value, pattern).replace(tzinfo=zone)
        except ValueError:
            continue
    raise ReportError(f"Line {line}: cannot read the time {value!r}.")


def _minutes(value: str, line: int) -> int | None:
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return int(value)
    match = DURATION.match(value)
    if not match or not any(match.groups()):
        raise ReportError(f"Line {line}: cannot read the duration {value!r}.")
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    return hours * 60 + minutes + (1 if seconds >= 30 else 0)


def _find(header: list[str], *names: str) -> int | None:
    normalised = [_norm(h) for h in header]
    for name in names:
        if name in normalised:
            return normalised.index(name)
    return None


def _table(
    rows: list[list[str]], start: int, zone: ZoneInfo, columns: dict[str, tuple[str, ...]]
) -> list[ReportRow]:
    header = rows[start]
    index = {key: _find(header, *names) for key, names in columns.items()}
    for required in ("name", "joined"):
        if index[required] is None:
            raise ReportError(f"The participants table has no {columns[required][0]!r} column.")
    result: list[ReportRow] = []
    for offset, row in enumerate(rows[start + 1 :], start=start + 2):
        if not any(row):
            break
        if len(row) == 1 and re.match(r"^\d+\.\s", row[0]):
            break

        def cell(key: str, row: list[str] = row) -> str:
            position = index[key]
            return row[position] if position is not None and position < len(row) else ""

        email = cell("email")
        if not EMAIL.match(email):
            upn = cell("upn")
            email = upn if EMAIL.match(upn) else ""
        left = cell("left")
        result.append(
            ReportRow(
                line=offset,
                name=cell("name"),
                email=email,
                joined_at=_time(cell("joined"), zone, offset),
                left_at=_time(left, zone, offset) if left else None,
                minutes=_minutes(cell("minutes"), offset),
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


def read_zoom(content: bytes, zone: ZoneInfo) -> list[ReportRow]:
    rows = _rows(decode(content))
    for position, row in enumerate(rows):
        names = {_norm(c) for c in row}
        if "join time" in names and names & {"name original name", "name", "participant"}:
            return _table(rows, position, zone, ZOOM_COLUMNS)
    raise ReportError(
        "This is not a Zoom participants report: no table with 'Name (Original Name)' and "
        "'Join Time' columns was found."
    )


def read_teams(content: bytes, zone: ZoneInfo) -> list[ReportRow]:
    rows = _rows(decode(content))
    for position, row in enumerate(rows):
        if row and _norm(row[0]) in {"2 participants", "participants"}:
            for header_at in range(position + 1, min(position + 3, len(rows))):
                if _find(rows[header_at], "first join", "join time") is not None:
                    return _table(rows, header_at, zone, TEAMS_COLUMNS)
    for position, row in enumerate(rows):
        if _find(row, "first join") is not None and _find(row, "name") is not None:
            return _table(rows, position, zone, TEAMS_COLUMNS)
    raise ReportError(
        "This is not a Teams attendance report: no '2. Participants' section with "
        "'Name' and 'First Join' columns was found."
    )
