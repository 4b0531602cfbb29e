"""What the public feeds hold: events, UTC instants, statuses and sequences, and no drafts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.calendars import ical, render, services
from registration.calendars.loading import panel_rows
from registration.conferences import panels as panel_services
from registration.conferences import services as conferences
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
from registration.database import db
from registration.directory.models import Institution, Member
from tests.calendar_data import big_conference, big_series, change_panel, register
from tests.conftest import at
from tests.ics_check import read_all
from tests.query_count import counting_queries


@pytest.fixture(autouse=True)
def _cold_caches() -> None:
    services.clear_caches()


def feed(client: FlaskClient, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.mimetype == "text/calendar"
    assert response.mimetype_params["charset"] == "utf-8"
    return read_all(response.data)


def uid(panel_id: int) -> str:
    return f"panel-{panel_id}@localhost"


def test_conference_feed_lists_each_panel_at_its_instant(
    client: FlaskClient, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> None:
    conference_id = make_conference(slug="ttf-9", timezone="Asia/Shanghai")
    first = make_panel(conference_id, title="Opening, welcome; remarks")
    second = make_panel(
        conference_id,
        title="Connectivity",
        starts_at=at("2030-12-28 06:00"),
        ends_at=at("2030-12-28 07:30"),
    )

    calendar = feed(client, "/conferences/ttf-9/calendar.ics")

    assert calendar["method"] == "PUBLISH"
    assert calendar["timezones"] == ["Asia/Shanghai"]
    assert [e["uid"] for e in calendar["events"]] == [uid(first), uid(second)]
    opening = calendar["by_uid"][uid(first)]
    assert opening["summary"] == "Opening, welcome; remarks"
    assert (opening["start"], opening["end"]) == (
        "2030-12-28T02:00:00.000Z",
        "2030-12-28T04:00:00.000Z",
    )
    assert opening["tzid"] == "Asia/Shanghai"
    assert (opening["status"], opening["sequence"]) == ("CONFIRMED", 0)
    assert opening["url"] == f"http://localhost/conferences/ttf-9#panel-{first}"
    assert calendar["by_uid"][uid(second)]["end"] == "2030-12-28T07:30:00.000Z"


def test_description_gives_theme_moderators_and_speakers(
    app: Flask,
    client: FlaskClient,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
) -> None:
    conference_id = make_conference(slug="ttf-9")
    panel_id = make_panel(conference_id, theme="Realistic security challenges in Asia")
    with app.app_context():
        siis = Institution(name="Shanghai Institutes for International Studies")
        db.session.add_all(
            [
                PanelPerson(
                    panel_id=panel_id,
                    role=PanelRole.MODERATOR,
                    position=0,
                    person=Person(name="Chen Dongxiao", honorific="Dr", institution=siis),
                ),
                PanelPerson(
                    panel_id=panel_id,
                    role=PanelRole.SPEAKER,
                    position=1,
                    person=Person(name="Kairat Sarybay", position="Secretary General"),
                ),
            ]
        )
        db.session.commit()

    description = feed(client, "/conferences/ttf-9/calendar.ics")["by_uid"][uid(panel_id)][
        "description"
    ]

    assert "Realistic security challenges in Asia" in description
    assert (
        "Moderators:\n- Dr Chen Dongxiao, Shanghai Institutes for International Studies"
        in description
    )
    assert "Speakers:\n- Kairat Sarybay, Secretary General" in description


def test_edits_and_cancellations_raise_the_sequence(
    app: Flask,
    client: FlaskClient,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
) -> None:
    conference_id = make_conference(slug="ttf-9")
    moved = make_panel(conference_id, title="Moved")
    cancelled = make_panel(conference_id, title="Cancelled")
    with app.app_context():
        change_panel(moved, starts_at=at("2030-12-28 05:00"), ends_at=at("2030-12-28 06:00"))
        change_panel(cancelled, status=PanelStatus.CANCELLED)

    events = feed(client, "/conferences/ttf-9/calendar.ics")["by_uid"]

    assert events[uid(moved)]["start"] == "2030-12-28T05:00:00.000Z"
    assert (events[uid(moved)]["status"], events[uid(moved)]["sequence"]) == ("CONFIRMED", 1)
    assert (events[uid(cancelled)]["status"], events[uid(cancelled)]["sequence"]) == (
        "CANCELLED",
        1,
    )

    with app.app_context():
        conference = db.session.get_one(Conference, conference_id)
        conference.status = ConferenceStatus.CANCELLED
        conference.sequence += 1
        db.session.commit()

    events = feed(client, "/conferences/ttf-9/calendar.ics")["by_uid"]

    assert {e["status"] for e in events.values()} == {"CANCELLED"}
    assert events[uid(moved)]["sequence"] == 2
    assert events[uid(cancelled)]["sequence"] == 2


def test_drafts_never_appear(
    app: Flask,
    client: FlaskClient,
    make_conference: Callable[..., int],
    make_series: Callable[..., int],
    make_panel: Callable[..., int],
) -> None:
    series_id = make_series("ttf")
    shown = make_panel(make_conference(slug="public", series_id=series_id))
    hidden = make_panel(
        make_conference(slug="draft", status=ConferenceStatus.DRAFT, series_id=series_id)
    )

    assert client.get("/conferences/draft/calendar.ics").status_code == 404
    assert client.get(f"/conferences/draft/panels/{hidden}/calendar.ics").status_code == 404
    assert client.get(f"/conferences/public/panels/{hidden}/calendar.ics").status_code == 404
    for url in ("/calendar.ics", "/series/ttf/calendar.ics"):
        assert list(feed(client, url)["by_uid"]) == [uid(shown)]


def test_public_feeds_hold_no_join_links_or_personal_data(
    app: Flask,
    client: FlaskClient,
    members: None,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
) -> None:
    conference_id = make_conference(
        slug="online", format=ConferenceFormat.ONLINE, online_url="https://meet.example/main"
    )
    panel_id = make_panel(conference_id, join_url="https://meet.example/panel-secret")
    with app.app_context():
        register(conference_id, [panel_id], email="aigerim@mfa.example")

    for url in (
        "/calendar.ics",
        "/conferences/online/calendar.ics",
        f"/conferences/online/panels/{panel_id}/calendar.ics",
    ):
        body = client.get(url).data
        for secret in (b"meet.example", b"aigerim", b"Sadykova", b"ATTENDEE", b"ORGANIZER"):
            assert secret not in body, (url, secret)
        assert b"LOCATION:Online" in body
        (event,) = read_all(body)["events"]
        assert event["conference"] == [
            {
                "value": f"http://localhost/conferences/online#panel-{panel_id}",
                "parameters": {
                    "feature": "VIDEO",
                    "label": "Registered participants receive the join link",
                },
            }
        ], "online panels say where to learn how to join, without the link itself"


def test_panel_series_and_all_feeds(
    app: Flask,
    client: FlaskClient,
    make_conference: Callable[..., int],
    make_series: Callable[..., int],
    make_panel: Callable[..., int],
) -> None:
    series_id = make_series("ttf")
    eighth = make_conference(
        slug="ttf-8",
        series_id=series_id,
        timezone="Asia/Almaty",
        starts_at=at("2029-06-01 03:00"),
        ends_at=at("2029-06-02 12:00"),
    )
    ninth = make_conference(slug="ttf-9", series_id=series_id)
    other = make_conference(slug="ministerial", timezone="Europe/Moscow")
    a = make_panel(eighth, starts_at=at("2029-06-01 04:00"), ends_at=at("2029-06-01 05:00"))
    b = make_panel(ninth)
    c = make_panel(other)

    one = feed(client, f"/conferences/ttf-9/panels/{b}/calendar.ics")
    series_feed = feed(client, "/series/ttf/calendar.ics")
    everything = feed(client, "/calendar.ics")

    assert list(one["by_uid"]) == [uid(b)]
    assert list(series_feed["by_uid"]) == [uid(a), uid(b)]
    assert series_feed["timezones"] == ["Asia/Almaty", "Asia/Shanghai"]
    assert series_feed["by_uid"][uid(a)]["start"] == "2029-06-01T04:00:00.000Z"
    assert sorted(everything["by_uid"]) == sorted([uid(a), uid(b), uid(c)])
    assert everything["timezones"] == ["Asia/Almaty", "Asia/Shanghai", "Europe/Moscow"]
    assert client.get("/series/nothing/calendar.ics").status_code == 404


def test_bytes_are_deterministic_and_stamped_with_the_last_change(
    app: Flask,
    client: FlaskClient,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
) -> None:
    conference_id = make_conference(slug="ttf-9")
    panel_id = make_panel(conference_id)
    first = client.get("/conferences/ttf-9/calendar.ics").data
    services.clear_caches()
    assert client.get("/conferences/ttf-9/calendar.ics").data == first

    with app.app_context():
        conference = db.session.get_one(Conference, conference_id)
        last_change = max(conference.updated_at, conference.panels[0].updated_at)
    stamp = last_change.strftime("%Y%m%dT%H%M%SZ").encode()
    assert f"DTSTAMP:{stamp.decode()}".encode() in first
    assert b"LAST-MODIFIED:" + stamp in first
    assert first.count(b"UID:panel-") == 1
    assert f"UID:panel-{panel_id}@localhost".encode() in first


def test_cached_rendering_equals_icalendar_serialisation(
    app: Flask,
    members: None,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
) -> None:
    conference_id = make_conference(
        slug="ttf-9", timezone="Europe/Berlin", online_url="https://meet.example/x"
    )
    for hour in ("02:00", "09:00", "04:00"):
        make_panel(
            conference_id,
            starts_at=at(f"2030-07-01 {hour}"),
            ends_at=at(f"2030-07-01 {hour[:1]}9:30"),
        )
    with app.app_context():
        siis = Institution(name="SIIS")
        people = [
            Person(name="Chen", honorific="Dr", position="Director", institution=siis),
            Person(name="Sarybay", member=db.session.scalars(db.select(Member)).first()),
            Person(name="Nobody"),
        ]
        conference = db.session.get_one(Conference, conference_id)
        for position, person in enumerate(people):
            role = PanelRole.MODERATOR if position == 0 else PanelRole.SPEAKER
            conference.panels[0].roles.append(
                PanelPerson(person=person, role=role, position=position)
            )
        db.session.commit()
        stamp = max(p.updated_at for p in conference.panels).replace(microsecond=0)
        options = {"uid": "c@localhost", "name": "A, B; C", "description": "D", "url": "/"}
        expected = ical.feed_calendar(
            [
                ical.panel_event(
                    p, base_url="http://localhost", stamp=stamp, include_join_link=True
                )
                for p in conference.panels
            ],
            last_modified=stamp,
            **options,
        ).to_ical()
        rows = panel_rows(Conference.id == conference_id)
        etags = set()
        for _ in range(2):  # cold, then from the event cache
            got = render.render_feed(
                rows, base_url="http://localhost", include_join_link=True, stamp=stamp, **options
            )
            assert got.body == expected
            etags.add(got.etag)
    assert len(etags) == 1
    unfolded = expected.replace(b"\r\n ", b"")
    assert b"Dr Chen\\, Director\\, SIIS" in unfolded
    assert b"- Sarybay\\, " in unfolded


def test_the_etag_changes_with_any_byte_of_the_feed(
    app: Flask, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> None:
    """The ETag is made of each event's digest (kept with the event) and the calendar's own
    lines: other bytes anywhere give another ETag; the same bytes, cold or cached, the same."""
    conference_id = make_conference(slug="ttf-9")
    for day in ("01", "02"):
        make_panel(conference_id, starts_at=at(f"2030-07-{day} 02:00"))
    stamp = at("2030-01-01 00:00")
    options = {"base_url": "http://localhost", "include_join_link": False, "uid": "c@localhost"}
    with app.app_context():
        rows = panel_rows(Conference.id == conference_id)
        first = render.render_feed(rows, stamp=stamp, name="Forum", **options)
        render.clear_caches()
        assert render.render_feed(rows, stamp=stamp, name="Forum", **options) == first
        retitled = rows[1]._replace(panel=rows[1].panel._replace(title="Realistic challenges"))
        others = [
            render.render_feed([rows[0], retitled], stamp=stamp, name="Forum", **options),
            render.render_feed(rows, stamp=at("2030-01-01 00:01"), name="Forum", **options),
            render.render_feed(rows, stamp=stamp, name="Forum 2", **options),
            render.render_feed(rows[:1], stamp=stamp, name="Forum", **options),
        ]
    assert len({first.body, *(o.body for o in others)}) == 5
    assert len({first.etag, *(o.etag for o in others)}) == 5


def test_the_etag_of_a_big_feed_follows_each_event(app: Flask) -> None:
    """Past one run of events (their digests are kept by runs): one event changed in a later
    run gives another ETag, the same as a cold render of the same bytes gives."""
    options = {"base_url": "http://localhost", "include_join_link": False, "uid": "c@localhost"}
    options |= {"stamp": at("2030-01-01 00:00"), "name": "Forum"}
    with app.app_context():
        rows = panel_rows(Conference.id == big_conference(80, slug="big"))
        first = render.render_feed(rows, **options)
        changed = list(rows)
        changed[50] = rows[50]._replace(panel=rows[50].panel._replace(title="Another title"))
        warm = render.render_feed(changed, **options)
        render.clear_caches()
        assert render.render_feed(changed, **options) == warm
        assert render.render_feed(rows, **options) == first
    assert warm.body != first.body
    assert warm.etag != first.etag


def test_a_1000_panel_conference_takes_few_queries(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        big_conference(1000)

    with counting_queries(app) as cold:
        response = client.get("/conferences/big-forum/calendar.ics")
    with counting_queries(app) as warm:
        again = client.get("/conferences/big-forum/calendar.ics")

    assert response.data.count(b"BEGIN:VEVENT") == 1000
    assert len(cold) <= 5, cold
    assert again.data == response.data
    assert len(warm) == 1, warm


def test_a_series_of_50_meetings_takes_few_queries(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        big_series(50, panels_each=10)

    with counting_queries(app) as series_queries:
        response = client.get("/series/ttf/calendar.ics")
    with counting_queries(app) as all_queries:
        everything = client.get("/calendar.ics")

    assert response.data.count(b"BEGIN:VEVENT") == 500
    assert everything.data.count(b"BEGIN:VEVENT") == 500
    assert len(series_queries) <= 5, series_queries
    assert len(all_queries) <= 5, all_queries


def test_a_worker_keeps_one_version_of_a_feed_after_conference_wide_changes(
    app: Flask, client: FlaskClient
) -> None:
    """Each venue change rewrites every event of the feed; the process keeps the latest
    version's body, runs and people, not every version's (which cost the collector, and
    memory, as much again at each change)."""
    from registration.calendars import loading

    url = "/conferences/big-forum/calendar.ics?lang=en"
    with app.app_context():
        conference_id = big_conference(80)
    client.get(url)
    for venue in ("Palace of Independence", "Hilton Astana", "Congress Centre"):
        with app.app_context():
            conference = db.session.get_one(Conference, conference_id)
            services_data = conferences.ConferenceData(
                title=conference.title,
                starts_at=conference.starts_at,
                ends_at=conference.ends_at,
                timezone=conference.timezone,
                format=conference.format,
                venue=venue,
                city=conference.city,
                online_url=conference.online_url,
            )
            assert conferences.update_conference(conference, services_data).sequence_bumped
        events = feed(client, url)["by_uid"].values()
        assert {e["location"].split(", ")[-2] for e in events} == {venue}

    assert len(services.FEEDS) == 1
    assert len(render.CHUNKS) == 3  # 80 events: runs of 32, 32 and 16
    assert len(loading.PEOPLE) == 80


def test_conference_page_offers_every_way_to_add_the_calendar(
    client: FlaskClient, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> None:
    panel_id = make_panel(make_conference(slug="ttf-9", title="Forum & Co"))

    page = client.get("/conferences/ttf-9").text

    feed = "http://localhost/conferences/ttf-9/calendar.ics"
    assert f'href="{feed}?download=1"' in page
    assert 'href="webcal://localhost/conferences/ttf-9/calendar.ics"' in page
    assert (
        "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Flocalhost%2Fconferences"
        "%2Fttf-9%2Fcalendar.ics" in page
    )
    assert "addfromweb?url=http%3A%2F%2Flocalhost%2Fconferences%2Fttf-9%2Fcalendar.ics" in page
    assert "&amp;name=Forum%20%26%20Co" in page
    panel_feed = f"http://localhost/conferences/ttf-9/panels/{panel_id}/calendar.ics"
    assert f'href="{panel_feed}?download=1"' in page
    assert f"webcal%3A%2F%2Flocalhost%2Fconferences%2Fttf-9%2Fpanels%2F{panel_id}" in page
    assert f"addfromweb?url=http%3A%2F%2Flocalhost%2Fconferences%2Fttf-9%2Fpanels%2F{panel_id}" in (
        page
    )


def test_series_and_all_conference_feeds_are_offered_where_people_look(
    app: Flask,
    client: FlaskClient,
    make_conference: Callable[..., int],
    make_series: Callable[..., int],
) -> None:
    series_id = make_series("cica-ttf")
    make_conference(slug="ttf-9", series_id=series_id)

    page = client.get("/conferences/ttf-9").text
    assert "Every meeting of the CICA Think Tank Forum" in page
    assert 'href="webcal://localhost/series/cica-ttf/calendar.ics"' in page
    index = client.get("/").text
    assert 'href="webcal://localhost/calendar.ics"' in index


def test_feeds_follow_the_conference_services(
    app: Flask,
    client: FlaskClient,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
) -> None:
    """Edits through the organisers' services: new speaker, new time, cancellations."""

    conference_id = make_conference(slug="ttf-9")
    kept, dropped = (
        make_panel(conference_id, title="Kept"),
        make_panel(conference_id, title="Dropped"),
    )
    url = "/conferences/ttf-9/calendar.ics"
    etag = client.get(url).headers["ETag"]
    with app.app_context():
        panel = db.session.get_one(Panel, kept)
        panel_services.update_panel(
            panel,
            panel_services.PanelData(
                title="Kept",
                starts_at=at("2030-12-28 03:00"),
                ends_at=at("2030-12-28 05:00"),
                room="Hall A",
                speakers=[panel_services.PersonLine(name="Li Wei", position="Director")],
            ),
        )
        panel_services.cancel_panel(db.session.get_one(Panel, dropped))

    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    events = read_all(response.data)["by_uid"]
    assert events[uid(kept)]["start"] == "2030-12-28T03:00:00.000Z"
    assert events[uid(kept)]["sequence"] == 1
    assert "Speakers:\n- Li Wei, Director" in events[uid(kept)]["description"]
    assert (events[uid(dropped)]["status"], events[uid(dropped)]["sequence"]) == ("CANCELLED", 1)

    with app.app_context():
        conferences.cancel_conference(db.session.get_one(Conference, conference_id))

    events = feed(client, url)["by_uid"]
    assert {e["status"] for e in events.values()} == {"CANCELLED"}
    assert events[uid(kept)]["sequence"] > 1
    assert events[uid(dropped)]["sequence"] > 1


def test_a_speakers_new_affiliation_reaches_every_feed_they_appear_in(
    app: Flask,
    client: FlaskClient,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
) -> None:
    """Editing one panel can update a person who also speaks elsewhere: the other
    conference's feed must change too, not answer 304 with the old affiliation."""
    edited_conference = make_conference(slug="ttf-9")
    other_conference = make_conference(slug="ttf-10")
    edited, other = make_panel(edited_conference), make_panel(other_conference)
    speaker = panel_services.PersonLine(name="Li Wei", position="Director")

    def set_speaker(panel_id: int, line: panel_services.PersonLine) -> None:
        with app.app_context():
            panel = db.session.get_one(Panel, panel_id)
            panel_services.update_panel(
                panel,
                panel_services.PanelData(
                    title=panel.title,
                    starts_at=panel.starts_at,
                    ends_at=panel.ends_at,
                    room=panel.room,
                    speakers=[line],
                ),
            )

    set_speaker(other, speaker)
    set_speaker(edited, speaker)
    url = "/conferences/ttf-10/calendar.ics"
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304

    set_speaker(edited, panel_services.PersonLine(name="Li Wei", position="President"))

    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    description = read_all(response.data)["by_uid"][uid(other)]["description"]
    assert "Speakers:\n- Li Wei, President" in description
