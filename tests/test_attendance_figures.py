"""Figures of a seeded conference: by member state, mode switching counted once, press line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.attendance.checkin import Scan, check_in
from registration.attendance.figures import conference_figures, panel_figures, panel_overview
from registration.attendance.join_links import record_join
from registration.conferences.models import Conference, Panel
from registration.database import db
from registration.signed_tokens import join_token
from registration.signup.models import AttendanceMode, RegistrationStatus
from tests.attendance_support import add_registration, payload_of
from tests.conftest import at

SESSION_TIME = at("2030-12-28 02:05")  # during the seeded panels: joins count

ONLINE = AttendanceMode.ONLINE
SUMMARY = (
    "7 experts from 4 member states and 1 observer or partner attended the Ninth Meeting "
    "of the CICA Think Tank Forum, 3 of them online."
)


@dataclass
class Seeded:
    conference: int
    panel_1: int
    panel_2: int


@pytest.fixture
def seeded(
    app: Flask,
    members: None,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
) -> Seeded:
    """Nine registered, seven attended (three online), two no-shows, two changed mode."""
    conference = make_conference(slug="ttf-9")
    p1 = make_panel(
        conference, title="Realistic security challenges", join_url="https://z.example/1"
    )
    p2 = make_panel(conference, title="Connectivity", join_url="https://z.example/2")
    both = (p1, p2)

    def person(name: str, member: str, **kwargs: object) -> int:
        return add_registration(app, conference, name, member=member, panels=both, **kwargs)

    kaz = [person(f"Kazakh Expert {n}", "KAZ") for n in (1, 2, 3)]
    chn = [person(f"Chinese Expert {n}", "CHN", mode=ONLINE) for n in (1, 2)]
    uzb = person("Uzbek Expert", "UZB")
    rus = person("Russian Expert", "RUS", mode=ONLINE)
    person("Tajik Expert", "TJK", status=RegistrationStatus.WITHDRAWN)
    un = person("UN Officer", "UN")
    person("Indian Expert", "IND")

    with app.app_context():
        conf = db.session.get(Conference, conference)

        def scan(registration: int, panel: int, client_id: str) -> None:
            badge = payload_of(app, registration)
            check_in(conf, Scan(client_id, panel_id=panel, badge=badge), None)

        scan(kaz[0], p1, "seed-kaz-0-p1")
        scan(kaz[0], p2, "seed-kaz-0-p2")
        scan(kaz[1], p1, "seed-kaz-1-p1")
        scan(un, p2, "seed-un-p2")
        scan(rus, p1, "seed-rus-p1")
        record_join(join_token(rus, p2), now=SESSION_TIME)
        record_join(join_token(chn[0], p1), now=SESSION_TIME)
        record_join(join_token(chn[1], p2), now=SESSION_TIME)
        record_join(join_token(uzb, p1), now=SESSION_TIME)
        record_join(join_token(uzb, p2), now=SESSION_TIME)
    return Seeded(conference, p1, p2)


def test_per_state_figures(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        figures = conference_figures(db.session.get(Conference, seeded.conference))
        summary = figures.summary  # written from the catalogue and the stored title
    total = figures.total
    assert (total.registered, total.attended, total.in_person, total.online) == (9, 7, 4, 3)
    assert total.no_shows == 2
    assert total.switched == 2
    rows = {row.code: row for row in figures.members}
    assert (rows["KAZ"].registered, rows["KAZ"].attended, rows["KAZ"].no_shows) == (3, 2, 1)
    assert (rows["CHN"].online, rows["CHN"].in_person) == (2, 0)
    assert (rows["IND"].attended, rows["IND"].no_shows) == (0, 1)
    assert "TJK" not in rows
    assert figures.member_states == 4
    assert figures.other_members == 1
    assert summary == SUMMARY


def test_mode_switch_is_counted_once_in_the_mode_used(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        rows = {
            r.code: r
            for r in conference_figures(db.session.get(Conference, seeded.conference)).members
        }
    uzbek, russian = rows["UZB"], rows["RUS"]
    assert (uzbek.attended, uzbek.online, uzbek.in_person, uzbek.switched) == (1, 1, 0, 1)
    assert (russian.attended, russian.in_person, russian.online) == (1, 1, 0)


def test_panel_figures_and_overview(app: Flask, seeded: Seeded) -> None:
    with app.app_context():
        panel = db.session.get(Panel, seeded.panel_2)
        figures = panel_figures(panel)
        assert (figures.total.attended, figures.total.in_person, figures.total.online) == (5, 2, 3)
        assert figures.summary.endswith("attended the session “Connectivity”, 3 of them online.")
        overview = {
            row.panel.title: (row.registered, row.in_person, row.online)
            for row in panel_overview(db.session.get(Conference, seeded.conference))
        }
    assert overview == {
        "Realistic security challenges": (9, 3, 2),
        "Connectivity": (9, 2, 3),
    }


def test_dashboard_shows_table_chart_and_summary_and_json(
    organizer_client: FlaskClient, seeded: Seeded
) -> None:
    page = organizer_client.get("/manage/conferences/ttf-9/attendance")
    assert page.status_code == 200
    assert SUMMARY in page.text
    assert 'data-copy-target="press-summary-en"' in page.text
    assert '<th scope="row">Kazakhstan</th>' in page.text
    assert 'class="bar-in-person"' in page.text
    assert "attendance/dashboard.js" in page.text
    data = organizer_client.get("/manage/conferences/ttf-9/attendance/figures.json").get_json()
    assert data["summary"] == SUMMARY
    assert data["total"]["attended"] == 7
    assert {m["code"] for m in data["members"]} >= {"KAZ", "CHN", "UN"}
    panel = organizer_client.get(
        f"/manage/conferences/ttf-9/attendance/figures.json?panel={seeded.panel_2}"
    ).get_json()
    assert panel["total"]["online"] == 3
    assert (
        organizer_client.get(
            f"/manage/conferences/ttf-9/attendance/panels/{seeded.panel_1}"
        ).status_code
        == 200
    )


def test_no_attendance_yet(app: Flask, members: None, make_conference: Callable[..., int]) -> None:
    conference = make_conference(title="Expert Meeting")
    add_registration(app, conference, "Li Wei", member="CHN")
    with app.app_context():
        figures = conference_figures(db.session.get(Conference, conference))
        summary = figures.summary
    assert summary == "No attendance has been recorded yet for the Expert Meeting."
    assert figures.total.no_shows == 1
