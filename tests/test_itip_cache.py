"""A panel's calendar written once and filled in per attendee (`calendars.itip_cache`) is,
byte for byte, the calendar icalendar writes for that attendee (`itip.itip_calendar`)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from registration.calendars.itip import CANCEL, REQUEST, itip_calendar
from registration.calendars.itip_cache import attendee_calendar
from registration.conferences.models import ConferenceFormat, Panel, PanelStatus
from registration.database import db

ATTENDEES = [
    ("dana@example.org", "Dana O'Neil"),
    ("ivan.petrov@mfa.example.kz", "Иван Петров"),
    ("x@example.org", ""),
    ("long." + "a" * 60 + "@example.org", 'A name, with "quotes"; a colon: and a caret ^ ' * 2),
]
LINKS = [
    "https://events.cica.example/j/eyJyIjoxMiwicCI6NH0.ZtZ3Nw.abcdefghijklmnopqrstuvwxyz",
    "https://events.cica.example/j/a,b;c\\d",
    "https://мероприятия.example/j/" + "x" * 90,
]
SHAPES = [
    # conference format, panel's own join link, conference link, panel cancelled
    (ConferenceFormat.HYBRID, "", "https://meet.example/cica", False),
    (ConferenceFormat.HYBRID, "https://meet.example/panel,room;1", "", False),
    (ConferenceFormat.ONLINE, "https://meet.example/online", "", False),
    (ConferenceFormat.IN_PERSON, "", "", False),
    (ConferenceFormat.HYBRID, "", "https://meet.example/cica", True),
]


@pytest.mark.parametrize("shape", SHAPES)
def test_each_attendee_gets_the_calendar_icalendar_writes_for_them(
    app: Flask,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
    shape: tuple[ConferenceFormat, str, str, bool],
    caplog: pytest.LogCaptureFixture,
) -> None:
    conference_format, panel_link, conference_link, cancelled = shape
    conference_id = make_conference(
        format=conference_format,
        online_url=conference_link,
        title="Совещание СВМДА, 9th meeting of the CICA Think Tank Forum",
    )
    panel_id = make_panel(
        conference_id,
        join_url=panel_link,
        theme="Transport and energy corridors; a theme long enough to be folded " * 2,
        status=PanelStatus.CANCELLED if cancelled else PanelStatus.SCHEDULED,
    )
    stamp = datetime(2030, 5, 1, 8, 30, 15, 123456, tzinfo=UTC)
    with app.app_context():
        panel = db.session.get_one(Panel, panel_id)
        methods = [CANCEL] if cancelled else [REQUEST, CANCEL]
        cases = itertools.product(methods, [True, False], [None, 7], [None, "ru"], ATTENDEES)
        for number, (method, online, sequence, language, (email, name)) in enumerate(cases):
            link = LINKS[number % len(LINKS)]
            shared = {
                "language": language,
                "method": method,
                "online": online,
                "organizer": "CICA Secretariat <secretariat@cica.example>",
                "base_url": "https://events.cica.example",
                "sequence": sequence,
            }
            attendee = {
                "attendee_email": email,
                "attendee_name": name,
                "stamp": stamp + timedelta(seconds=number),
                "join_url": link if online and (panel_link or conference_link) else "",
            }
            written = attendee_calendar(panel, **attendee, **shared)
            assert written == itip_calendar(panel, **attendee, **shared)
    assert "written whole" not in caplog.text  # each came from the template


def test_a_changed_panel_gets_a_new_template(
    app: Flask, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> None:
    panel_id = make_panel(make_conference())
    shared = {
        "method": REQUEST,
        "online": False,
        "organizer": "CICA Secretariat <secretariat@cica.example>",
        "base_url": "https://events.cica.example",
        "attendee_email": "dana@example.org",
        "attendee_name": "Dana",
        "stamp": datetime(2030, 5, 1, tzinfo=UTC),
    }
    with app.app_context():
        panel = db.session.get_one(Panel, panel_id)
        before = attendee_calendar(panel, **shared)
        panel.room = "Hall B"
        panel.conference.updated_at = datetime.now(UTC)
        db.session.commit()
        after = attendee_calendar(panel, **shared)
        assert b"Hall B" in after
        assert after != before
        assert after == itip_calendar(panel, **shared)


def _lines() -> list[str]:
    """Lines around every fold boundary, with backslashes and carets where icalendar moves
    them to the next piece, and non-ASCII ones."""
    lines = ["", "X", "A" * 73, "A" * 74, "A" * 75, "A" * 148, "A" * 149, "A" * 300]
    for at in (72, 73, 74, 75, 146, 147, 148):
        for mark in ("\\", "^", "\\\\", "\\,", "^^", "\\^"):
            lines.append("D" * at + mark + "E" * 90)
    lines += ["\\" * 200, "^" * 160, "DESCRIPTION:" + "Ж" * 80, "é\\" * 50]
    return lines


@pytest.mark.parametrize("line", _lines())
def test_lines_are_folded_as_icalendar_folds_them(line: str) -> None:
    from icalendar.parser import Contentline

    from registration.calendars.itip_cache import _folded

    assert _folded(line) == Contentline(line).to_ical() + b"\r\n"
