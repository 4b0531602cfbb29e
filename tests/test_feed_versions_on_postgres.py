"""On PostgreSQL a feed's version is read on its own autocommit engine without pre-ping: it
must still see every change at once and survive a connection the server closed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, text

from registration.calendars import services, versions
from registration.database import db
from tests.calendar_data import change_panel

pytestmark = pytest.mark.postgres

URL = "/conferences/ttf-9/calendar.ics"


@pytest.fixture
def feed(make_conference: Callable[..., int], make_panel: Callable[..., int]) -> int:
    services.clear_caches()
    return make_panel(make_conference(slug="ttf-9"))


def test_an_edit_is_seen_by_the_next_conditional_request(
    app: Flask, client: FlaskClient, feed: int
) -> None:
    etag = client.get(URL).headers["ETag"]
    assert client.get(URL, headers={"If-None-Match": etag}).status_code == 304
    with app.app_context():
        change_panel(feed, title="Renamed at once")
    response = client.get(URL, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert b"Renamed at once" in response.data


def test_a_connection_the_server_closed_costs_no_failed_request(
    app: Flask, client: FlaskClient, feed: int
) -> None:
    etag = client.get(URL).headers["ETag"]
    with app.app_context():
        with versions.version_engine().connect() as connection:
            pids = {connection.connection.dbapi_connection.info.backend_pid}
        with db.engine.connect() as admin:
            for pid in pids:
                admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        dropped: list[object] = []
        event.listen(versions.version_engine(), "invalidate", lambda *args: dropped.append(args))
    assert client.get(URL, headers={"If-None-Match": etag}).status_code == 304
    assert dropped, "the closed connection was met, dropped, and the read tried again"
