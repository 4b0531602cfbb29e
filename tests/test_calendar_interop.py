"""Feeds as calendar clients read them: escaping, refresh hints, time zones, long lines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar, Event

from registration.calendars import ical, serialise, services
from registration.calendars.loading import (
    ConferenceColumns,
    PanelColumns,
    PanelRow,
    PersonColumns,
)
from registration.conferences.models import (
    Conference,
    ConferenceFormat,
    ConferenceStatus,
    Panel,
    PanelPerson,
    PanelRole,
    PanelStatus,
    Person,
)
from registration.directory.models import Institution, Member, MemberKind
from registration.signed_tokens import personal_join_url
from tests.calendar_data import register
from tests.conftest import at
from tests.ics_check import read_all, with_icalendar


@pytest.fixture(autouse=True)
def _cold_caches() -> None:
    services.clear_caches()


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
    make_panel(conference_id, title=title.strip(), theme="Өзара іс-қимыл " * 20)

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
        registration_id, key = register(conference_id, [panel_id])
        own = personal_join_url(registration_id, panel_id)

    data = client.get(f"/calendar/personal/{key}.ics").data
    (event,) = Calendar.from_ical(data).events
    (js_event,) = read_all(data)["events"]

    assert str(event["LOCATION"]) == own
    assert [c.uri for c in event.conferences] == [own]
    assert js_event["location"] == own
    assert js_event["url"] == f"http://localhost/conferences/webinar#panel-{panel_id}"


TEXTS = (
    "Plain",
    "Commas, semicolons; back\\slash and \\N literal",
    "Line one\nline two\r\nline three\rfour",
    "Қазақстан, Ресей; 中国 — ' \" ^ " * 4,
    "x" * 73 + "\\" + "y" * 10,
    "",
    # pieces of the text escaped apart must give the text's escaping: CR before a separator's
    # LF, a backslash before an N
    "Ends with a return\r",
    "Ends with a backslash\\",
    "N\nstarts with N and LF\r\n",
)


def _naive(instant: datetime) -> datetime:
    return instant.astimezone(UTC).replace(tzinfo=None)


def _person(person: Person) -> PersonColumns:
    institution = person.institution.name if person.institution else None
    member = person.member.name if person.member else None
    return PersonColumns(person.name, person.honorific, person.position, institution, member)


def _row(panel: Panel) -> PanelRow:
    """The row `loading.panel_rows` reads for a panel: naive UTC times, status values."""
    conference = panel.conference
    return PanelRow(
        PanelColumns(
            panel.id,
            panel.title,
            panel.theme,
            _naive(panel.starts_at),
            _naive(panel.ends_at),
            panel.room,
            panel.join_url,
            panel.status.value,
            panel.sequence,
            _naive(panel.updated_at),
            conference.id,
        ),
        ConferenceColumns(
            conference.id,
            conference.slug,
            conference.title,
            conference.timezone,
            conference.format.value,
            conference.status.value,
            conference.online_url,
            conference.venue,
            conference.city,
            conference.sequence,
        ),
        tuple(map(_person, panel.moderators)),
        tuple(map(_person, panel.speakers)),
    )


@pytest.mark.parametrize("zone", ["Asia/Almaty", "Europe/Berlin", "UTC", "Etc/GMT-5"])
@pytest.mark.parametrize("kind", list(ConferenceFormat))
def test_fast_writer_matches_icalendar(zone: str, kind: ConferenceFormat) -> None:
    """The feed's own VEVENT writer, given a panel's row, gives icalendar's bytes for the
    same panel as ORM objects (what invitations serialise), whatever the text."""
    member = Member(code="KZ", name="Kazakhstan", kind=MemberKind.MEMBER_STATE)
    for n, text in enumerate(TEXTS):
        conference = Conference(
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
        people = [
            Person(
                name=text[:20],
                honorific="Dr" if i % 2 else "",
                position=text[20:60],
                institution=Institution(name=text[::-1] or "SIIS") if i % 3 == 0 else None,
                member=member if i % 3 == 1 else None,
            )
            for i in range(n)
        ]
        panel = Panel(
            id=n + 1,
            conference=conference,
            title=text or "Untitled",
            theme=text * 3,
            starts_at=at("2030-03-31 00:30"),
            ends_at=at("2030-10-27 01:30"),
            room=text[:30],
            join_url="https://meet.example/panel" if n == 3 else "",
            status=PanelStatus.CANCELLED if n == 4 else PanelStatus.SCHEDULED,
            sequence=n,
            updated_at=at("2030-01-02 03:04:05.678"),
            roles=[
                PanelPerson(
                    person=person,
                    role=PanelRole.MODERATOR if i == 0 else PanelRole.SPEAKER,
                    position=i,
                )
                for i, person in enumerate(people)
            ],
        )
        for include_join_link in (False, True):
            options = {"base_url": "https://events.cica.example", "stamp": at("2030-01-03 00:00")}
            expected = ical.panel_event(panel, include_join_link=include_join_link, **options)
            row = _row(panel)
            common = serialise.shared(row.conference, options["base_url"], include_join_link)
            head, tail = serialise.event_parts(row, common)
            written = head + serialise.stamp_line(options["stamp"]) + tail
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
                line = serialise._fold("SUMMARY:" + serialise._escape(text))
                assert line == expected, (filler, length, special)


def test_escaping_matches_icalendar_for_every_mix_of_special_characters() -> None:
    """The writer skips replacements whose character is absent: the result must not change."""
    specials = ("\\", "N", "\r", "\n", ";", ",", "a")
    for first in specials:
        for second in specials:
            for third in specials:
                text = f"x{first}{second}{third}y"
                event = Event()
                event.add("SUMMARY", text)
                expected = event.to_ical().split(b"\r\n")[1]
                assert ("SUMMARY:" + serialise._escape(text)).encode() == expected, repr(text)
