"""Read .ics bytes the way calendar clients do: icalendar, vobject and Mozilla's ical.js.

`read_all(data)` runs the three and returns ical.js's view of the events (uid, sequence,
status, start and end as UTC ISO strings, ...). Reusable for iMIP messages too.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import vobject
from icalendar import Calendar

from tests import services

JS_FOLDER = Path(__file__).parent / "js"
NODE = shutil.which("node")


def with_icalendar(data: bytes) -> Calendar:
    """Parse strictly: no component errors and a VTIMEZONE for every TZID."""
    calendar = Calendar.from_ical(data)
    for component in calendar.walk():
        assert not component.errors, (component.name, component.errors)
    assert calendar.get_missing_tzids() == set()
    return calendar


def with_vobject(data: bytes) -> Any:
    """vobject's validation catches, for instance, events without DTSTAMP or UID."""
    calendar = vobject.readOne(data.decode("utf-8"))
    calendar.validate(raiseException=True)
    for event in getattr(calendar, "vevent_list", []):
        event.validate(raiseException=True)
    return calendar


def with_icaljs(data: bytes) -> dict[str, Any]:
    """ical.js's reading: {method, name, timezones, events: [{uid, start, end, ...}]}."""
    if NODE is None or not (JS_FOLDER / "node_modules" / "ical.js").is_dir():
        services.missing("needs node and ical.js: npm ci --prefix tests/js")
    done = subprocess.run(
        [NODE, str(JS_FOLDER / "parse_ics.mjs")],
        input=data,
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def read_all(data: bytes) -> dict[str, Any]:
    """Check the bytes with all three parsers; ical.js's result, events keyed by UID."""
    with_icalendar(data)
    with_vobject(data)
    result = with_icaljs(data)
    result["by_uid"] = {event["uid"]: event for event in result["events"]}
    return result
