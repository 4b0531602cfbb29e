"""The personal join link records an online join and redirects; forged or dead links do not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.attendance.models import AttendanceEvent, AttendanceRecord, AttendanceSource
from registration.conferences.models import Panel, PanelStatus
from registration.database import db, utcnow
from registration.signed_tokens import join_token, personal_join_url
from registration.signup.models import AttendanceMode, Registration, RegistrationStatus
from tests.attendance_support import add_registration
from tests.conftest import at

pytestmark = pytest.mark.usefixtures("members")
ZOOM = "https://zoom.example/j/81234567890?pwd=abc"


@pytest.fixture
def setup(
    app: Flask, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> tuple[int, int]:
    conference = make_conference(slug="ttf-9")
    now = utcnow()
    panel = make_panel(
        conference,
        join_url=ZOOM,
        starts_at=now - timedelta(minutes=10),
        ends_at=now + timedelta(hours=2),
    )
    person = add_registration(
        app, conference, "Li Wei", member="CHN", mode=AttendanceMode.ONLINE, panels=(panel,)
    )
    return person, panel


def link(app: Flask, person: int, panel: int) -> str:
    with app.app_context():  # as a mail or calendar worker calls it: no request
        return personal_join_url(person, panel)


def path(url: str) -> str:
    return url.removeprefix("http://localhost")


def test_join_link_records_and_redirects(
    app: Flask, client: FlaskClient, setup: tuple[int, int]
) -> None:
    person, panel = setup
    url = link(app, person, panel)
    assert url.startswith("http://localhost/j/")
    response = client.get(path(url))
    assert response.status_code == 302
    assert response.headers["Location"] == ZOOM
    with app.app_context():
        [record] = db.session.scalars(db.select(AttendanceRecord)).all()
        assert (record.registration_id, record.panel_id) == (person, panel)
        assert record.mode is AttendanceMode.ONLINE
        [event] = db.session.scalars(db.select(AttendanceEvent)).all()
        assert event.source is AttendanceSource.JOIN_LINK
    assert client.get(path(url)).status_code == 302
    with app.app_context():
        assert len(db.session.scalars(db.select(AttendanceRecord)).all()) == 1


def test_forged_link_is_refused_without_redirect(
    app: Flask, client: FlaskClient, setup: tuple[int, int]
) -> None:
    person, panel = setup
    token = path(link(app, person, panel)).removeprefix("/j/")
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = client.get(f"/j/{forged}")
    assert response.status_code == 404
    assert "Location" not in response.headers
    assert "not valid" in response.text
    app.config["SECRET_KEY"], real = "another-key", app.config["SECRET_KEY"]
    try:
        with app.app_context():
            signed_elsewhere = join_token(person, panel)
    finally:
        app.config["SECRET_KEY"] = real
    assert client.get(f"/j/{signed_elsewhere}").status_code == 404
    with app.app_context():
        assert db.session.scalars(db.select(AttendanceRecord)).all() == []


def test_dead_links_are_refused(app: Flask, client: FlaskClient, setup: tuple[int, int]) -> None:
    person, panel = setup
    url = path(link(app, person, panel))
    with app.app_context():
        db.session.get(Panel, panel).ends_at = at("2020-01-01 10:00")
        db.session.get(Panel, panel).starts_at = at("2020-01-01 08:00")
        db.session.commit()
    response = client.get(url)
    assert response.status_code == 410
    assert "expired" in response.text
    with app.app_context():
        db.session.get(Panel, panel).ends_at = at("2030-12-28 04:00")
        db.session.get(Panel, panel).status = PanelStatus.CANCELLED
        db.session.commit()
    assert client.get(url).status_code == 410
    with app.app_context():
        db.session.get(Panel, panel).status = PanelStatus.SCHEDULED
        db.session.get(Registration, person).status = RegistrationStatus.WITHDRAWN
        db.session.commit()
    assert client.get(url).status_code == 403
    with app.app_context():
        assert db.session.scalars(db.select(AttendanceRecord)).all() == []


def test_head_request_checks_but_does_not_record(
    app: Flask, client: FlaskClient, setup: tuple[int, int]
) -> None:
    person, panel = setup
    assert client.head(path(link(app, person, panel))).status_code == 302
    with app.app_context():
        assert db.session.scalars(db.select(AttendanceRecord)).all() == []


def test_a_link_opened_long_before_the_session_redirects_but_records_nothing(
    app: Flask, client: FlaskClient, setup: tuple[int, int]
) -> None:
    """Mail security scanners open every link on delivery; people try theirs in advance."""
    person, panel = setup
    with app.app_context():
        tomorrow = utcnow() + timedelta(days=1)
        db.session.get(Panel, panel).starts_at = tomorrow
        db.session.get(Panel, panel).ends_at = tomorrow + timedelta(hours=2)
        db.session.commit()
    response = client.get(path(link(app, person, panel)))
    assert response.status_code == 302
    assert response.headers["Location"] == ZOOM
    with app.app_context():
        assert db.session.scalars(db.select(AttendanceRecord)).all() == []
        db.session.get(Panel, panel).starts_at = utcnow() + timedelta(minutes=20)
        db.session.commit()
    assert client.get(path(link(app, person, panel))).status_code == 302
    with app.app_context():
        assert len(db.session.scalars(db.select(AttendanceRecord)).all()) == 1
