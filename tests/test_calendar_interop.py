"""Feeds as calendar clients read them: escaping, refresh hints, time zones, long lines."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar, Event

from registration.calendars import ical, loading, render, serialise, services
from registration.calendars.loading import ConferenceView, PanelView, PersonView
from registration.conferences.models import ConferenceFormat, ConferenceStatus, PanelStatus
from tests.calendar_data import register
from tests.conftest import at
from tests.ics_check import read_all, with_icalendar


@pytest.fixture(autouse=True)
def _cold_caches() -> None:
    services.FEEDS.clear()
    loading.PANELS.clear()
    render.EVENTS.clear()


def test_calendar_properties_are_escaped_and_hint_refreshes(
    client: FlaskClient, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> None:
    conference_id = make_conference(
        slug="forum", title="Forum, Astana; 2030", theme="Dialogue, trust; security"
    )
    make_panel(conference_id)

    data = client.get("/conferences/forum/calendar.ics").data
    lines = data.decode().split("\r\n")

    assert "NAME:Forum\\, Astana\\; 2030" in lines
    assert "X-WR-CALNAME:Forum\\, Astana\\; 2030" in lines
    assert "X-WR-CALDESC:Dialogue\\, trust\\; security" in lines
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    assert "X-PUBLISHED-TTL:PT1H" in lines
    assert "METHOD:PUBLISH" in lines
    assert f"UID:conference-{conference_id}@localhost" in lines
    # icalendar 7.3 and ical.js read NAME as an unknown type and keep the escapes as they are.
    assert with_icalendar(data)["NAME"] == "Forum\\, Astana\\; 2030"


def test_summer_and_winter_times_agree_in_every_parser(
    client: FlaskClient, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> None:
    conference_id = make_conference(slug="berlin", timezone="Europe/Berlin")
    winter = make_panel(
        conference_id, starts_at=at("2030-01-15 08:00"), ends_at=at("2030-01-15 09:00")
    )
    summer = make_panel(
        conference_id, starts_at=at("2030-07-15 08:00"), ends_at=at("2030-07-15 09:00")
    )
    # The week before the change back to winter time, and the day after it.
    autumn = make_panel(
        conference_id, starts_at=at("2030-10-28 12:00"), ends_at=at("2030-10-28 13:00")
    )

    data = client.get("/conferences/berlin/calendar.ics").data
    events = read_all(data)["by_uid"]
    parsed = {str(e["UID"]): e for e in with_icalendar(data).events}

    for panel_id, utc, local in (
        (winter, "2030-01-15T08:00:00.000Z", "09:00"),
        (summer, "2030-07-15T08:00:00.000Z", "10:00"),
        (autumn, "2030-10-28T12:00:00.000Z", "13:00"),
    ):
        uid = f"panel-{panel_id}@localhost"
        assert events[uid]["start"] == utc
        assert events[uid]["tzid"] == "Europe/Berlin"
        start = parsed[uid].DTSTART
        assert start.strftime("%H:%M") == local
        assert start.isoformat().startswith(utc[:10])


def test_long_unicode_lines_are_folded_on_character_boundaries(
    client: FlaskClient, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> None:
    title = "Қазақстан Республикасындағы сенім шаралары және Азиядағы қауіпсіздік " * 3
    conference_id = make_conference(slug="kz", title=title.strip())
    make_panel(conference_id, title=title.strip(), theme="Өзара іс-қимыл " * 20)  # noqa: RUF001

    data = client.get("/conferences/kz/calendar.ics").data

    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    calendar = read_all(data)
    assert calendar["events"][0]["summary"] == title.strip()


def test_online_panel_has_a_conference_property_and_link_location(
    app: Flask,
    client: FlaskClient,
    members: None,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
) -> None:
    conference_id = make_conference(
        slug="webinar", format=ConferenceFormat.ONLINE, online_url="https://meet.example/webinar"
    )
    panel_id = make_panel(conference_id, room="")
    with app.app_context():
        _, key = register(conference_id, [panel_id])

    data = client.get(f"/calendar/personal/{key}.ics").data
    (event,) = Calendar.from_ical(data).events
    (js_event,) = read_all(data)["events"]

    assert str(event["LOCATION"]) == "https://meet.example/webinar"
    assert [c.uri for c in event.conferences] == ["https://meet.example/webinar"]
    assert js_event["location"] == "https://meet.example/webinar"
    assert js_event["url"] == f"http://localhost/conferences/webinar#panel-{panel_id}"


TEXTS = (
    "Plain",
    "Commas, semicolons; back\\slash and \\N literal",
    "Line one\nline two\r\nline three\rfour",
    "Қазақстан, Ресей; 中国 — ' \" ^ " * 4,
    "x" * 73 + "\\" + "y" * 10,
    "",
)


@pytest.mark.parametrize("zone", ["Asia/Almaty", "Europe/Berlin", "UTC", "Etc/GMT-5"])
@pytest.mark.parametrize("kind", list(ConferenceFormat))
def test_fast_writer_matches_icalendar(zone: str, kind: ConferenceFormat) -> None:
    """The feed's own VEVENT writer gives icalendar's bytes, whatever the text."""
    for n, text in enumerate(TEXTS):
        conference = ConferenceView(
            id=1,
            slug="forum",
            title=text or "Forum",
            timezone=zone,
            format=kind,
            status=ConferenceStatus.CANCELLED if n == 2 else ConferenceStatus.PUBLISHED,
            online_url="https://meet.example/j/1?pwd=a,b;c" if n % 2 else "",
            venue=text,
            city="Astana",
            sequence=n,
        )
        people = tuple(PersonView(f"Dr {text[:20]}", text[20:60]) for _ in range(n))
        panel = PanelView(
            id=n + 1,
            title=text or "Untitled",
            theme=text * 3,
            starts_at=at("2030-03-31 00:30"),
            ends_at=at("2030-10-27 01:30"),
            room=text[:30],
            join_url="https://meet.example/panel" if n == 3 else "",
            status=PanelStatus.CANCELLED if n == 4 else PanelStatus.SCHEDULED,
            sequence=n,
            updated_at=at("2030-01-02 03:04:05.678"),
            conference=conference,
            moderators=people[:1],
            speakers=people[1:],
        )
        for include_join_link in (False, True):
            options = {"base_url": "https://events.cica.example", "stamp": at("2030-01-03 00:00")}
            expected = ical.panel_event(panel, include_join_link=include_join_link, **options)
            written = serialise.event_bytes(panel, include_join_link=include_join_link, **options)
            assert written == expected.to_ical(), (zone, kind, n, include_join_link)


def test_folding_matches_icalendar_at_every_boundary() -> None:
    for filler in ("a", "ж", "中", "a\\", "^", "\\\\", "é;"):
        for length in (60, 67, 140):
            for position in range(58, 70):
                special = "\\^,\n"[position % 4]
                text = (filler * length)[:length]
                text = text[:position] + special + text[position:]
                event = Event()
                event.add("SUMMARY", text)
                expected = (
                    event.to_ical().split(b"\r\nEND:VEVENT")[0].removeprefix(b"BEGIN:VEVENT\r\n")
                )
                line = serialise._fold("SUMMARY:" + serialise._escape(text)).encode()
                assert line == expected, (filler, length, special)
