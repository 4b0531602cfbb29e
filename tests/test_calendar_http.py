"""HTTP caching of feeds: strong ETags, Last-Modified, 304 only when nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar
from werkzeug.http import http_date, parse_date, parse_options_header

from registration.calendars import services
from registration.conferences.models import Panel, PanelPerson, PanelRole, Person
from registration.database import db
from tests.calendar_data import change_panel
from tests.conftest import at
from tests.query_count import counting_queries

URL = "/conferences/ttf-9/calendar.ics"


@pytest.fixture(autouse=True)
def _cold_caches() -> None:
    services.clear_caches()


@pytest.fixture
def panel_id(make_conference: Callable[..., int], make_panel: Callable[..., int]) -> int:
    return make_panel(make_conference(slug="ttf-9"))


def test_feed_carries_a_strong_etag_and_last_modified(client: FlaskClient, panel_id: int) -> None:
    response = client.get(URL)

    etag = response.headers["ETag"]
    assert etag.startswith('"')
    assert not etag.startswith("W/")
    assert parse_date(response.headers["Last-Modified"]) is not None
    assert response.headers["Cache-Control"] == "public, max-age=900"
    assert client.get(URL).headers["ETag"] == etag


def test_if_none_match_gives_304_until_a_panel_changes(
    app: Flask, client: FlaskClient, panel_id: int
) -> None:
    first = client.get(URL)
    etag = first.headers["ETag"]

    unchanged = client.get(URL, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304
    assert unchanged.data == b""
    assert unchanged.headers["ETag"] == etag
    assert client.get(URL, headers={"If-None-Match": '"something-else"'}).status_code == 200
    assert client.get(URL, headers={"If-None-Match": f'"x", {etag}'}).status_code == 304

    with app.app_context():
        change_panel(panel_id, bump=False, title="A new title")

    changed = client.get(URL, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert b"SUMMARY:A new title" in changed.data


def test_a_new_speaker_changes_the_etag(app: Flask, client: FlaskClient, panel_id: int) -> None:
    etag = client.get(URL).headers["ETag"]
    with app.app_context():
        db.session.add(
            PanelPerson(panel_id=panel_id, role=PanelRole.SPEAKER, person=Person(name="Li Wei"))
        )
        db.session.commit()
        change_panel(panel_id, bump=False)

    response = client.get(URL, headers={"If-None-Match": etag})

    assert response.status_code == 200
    description = Calendar.from_ical(response.data).events[0]["DESCRIPTION"]
    assert "Speakers:\n- Li Wei" in description


def test_if_modified_since_gives_304_only_when_nothing_changed(
    app: Flask, client: FlaskClient, panel_id: int
) -> None:
    last_modified = client.get(URL).headers["Last-Modified"]

    assert client.get(URL, headers={"If-Modified-Since": last_modified}).status_code == 304
    earlier = http_date(parse_date(last_modified) - timedelta(seconds=1))
    assert client.get(URL, headers={"If-Modified-Since": earlier}).status_code == 200
    assert client.get(URL, headers={"If-Modified-Since": "not a date"}).status_code == 200

    with app.app_context():
        change_panel(panel_id, starts_at=at("2030-12-28 03:00"))
    # HTTP dates have whole seconds: make the change land in a later second.
    with app.app_context():
        panel = db.session.get_one(Panel, panel_id)
        panel.updated_at = parse_date(last_modified) + timedelta(seconds=2)
        panel.conference.updated_at = panel.updated_at
        db.session.commit()

    response = client.get(URL, headers={"If-Modified-Since": last_modified})
    assert response.status_code == 200
    assert parse_date(response.headers["Last-Modified"]) > parse_date(last_modified)


def test_if_none_match_wins_over_if_modified_since(client: FlaskClient, panel_id: int) -> None:
    first = client.get(URL)
    headers = {"If-None-Match": '"stale"', "If-Modified-Since": first.headers["Last-Modified"]}

    assert client.get(URL, headers=headers).status_code == 200


def test_download_link_saves_a_file(client: FlaskClient, panel_id: int) -> None:
    response = client.get(URL + "?download=1")

    disposition = parse_options_header(response.headers["Content-Disposition"])
    assert disposition == ("attachment", {"filename": "ttf-9.ics"})
    assert response.data == client.get(URL).data


def test_feeds_name_their_charset_once(client: FlaskClient, panel_id: int) -> None:
    """Not 'text/calendar; charset=utf-8; charset=utf-8', which strict clients refuse."""
    for url in (URL, URL + "?download=1", "/calendar.ics"):
        assert client.get(url).headers["Content-Type"] == "text/calendar; charset=utf-8", url


def test_unknown_feeds_are_404(client: FlaskClient, panel_id: int) -> None:
    for url in (
        "/conferences/nothing/calendar.ics",
        "/conferences/ttf-9/panels/999/calendar.ics",
        "/series/nothing/calendar.ics",
    ):
        assert client.get(url).status_code == 404


def test_unchanged_feed_is_answered_from_one_query(
    app: Flask, client: FlaskClient, panel_id: int
) -> None:
    etag = client.get(URL).headers["ETag"]
    with counting_queries(app) as statements:
        assert client.get(URL, headers={"If-None-Match": etag}).status_code == 304
    assert len(statements) == 1
