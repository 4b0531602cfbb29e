"""What the public sees: published conferences, their programme in local time, never drafts."""

from __future__ import annotations

import re

import pytest

from registration.conferences import panels as panel_services
from registration.conferences import services
from registration.conferences.models import (
    Conference,
    ConferenceFormat,
    ConferenceStatus,
    Panel,
    PanelKind,
    PanelStatus,
)
from registration.conferences.panels import PanelData, PersonLine
from registration.conferences.services import ConferenceData
from registration.database import db
from tests.conftest import at


@pytest.fixture
def ttf9(app, make_conference) -> str:
    """The Ninth Meeting of the TTF, hosted by SIIS, with two panels and their people."""
    conference_id = make_conference(
        slug="ttf-9", status=ConferenceStatus.DRAFT, online_url="https://live.example.org/ttf9"
    )
    with app.app_context():
        conference = db.session.get(Conference, conference_id)
        services.update_conference(
            conference,
            ConferenceData(
                title="Ninth Meeting of the CICA Think Tank Forum",
                slug="ttf-9",
                theme="Building a secure and sustainable Asia",
                starts_at=conference.starts_at,
                ends_at=conference.ends_at,
                timezone="Asia/Shanghai",
                format=ConferenceFormat.HYBRID,
                venue="SIIS, 845-1 Julu Road",
                city="Shanghai",
                online_url="https://live.example.org/ttf9",
                host="Shanghai Institutes for International Studies",
                co_organizers=["Foreign Policy Research Institute"],
            ),
        )
        panel_services.add_panel(
            conference,
            PanelData(
                title="Welcome remarks",
                kind=PanelKind.WELCOME_REMARKS,
                starts_at=at("2030-12-28 01:30"),
                ends_at=at("2030-12-28 02:00"),
                join_url="https://secret.example.org/join",
                speakers=[PersonLine("Kairat Sarybay", "Executive Director", "CICA Secretariat")],
            ),
        )
        panel_services.add_panel(
            conference,
            PanelData(
                title="Prospects for cooperation",
                starts_at=at("2030-12-29 02:00"),
                ends_at=at("2030-12-29 04:00"),
                room="Hall B",
                moderators=[PersonLine("Chen Dongxiao", "President", "SIIS")],
                speakers=[PersonLine("Bolat Nurgaliyev", "Chairman")],
            ),
        )
        services.publish_conference(conference)
    return "ttf-9"


def test_conference_page_shows_programme_in_the_conference_zone(client, ttf9):
    page = client.get(f"/conferences/{ttf9}").text
    assert "Asia/Shanghai (UTC+08:00)" in page
    assert "<time>09:30</time>\u2013<time>10:00</time>" in page
    assert "<time>10:00</time>\u2013<time>12:00</time>" in page
    assert page.index("Saturday 28 December 2030") < page.index("Welcome remarks")
    assert page.index("Welcome remarks") < page.index("Sunday 29 December 2030")
    assert page.index("Sunday 29 December 2030") < page.index("Prospects for cooperation")


def test_conference_page_shows_theme_organisers_format_venue_and_people(client, ttf9):
    page = client.get(f"/conferences/{ttf9}").text
    for text in (
        "Building a secure and sustainable Asia",
        "Shanghai Institutes for International Studies",
        "Foreign Policy Research Institute",
        "Hybrid",
        "SIIS, 845-1 Julu Road, Shanghai",
        "https://live.example.org/ttf9",
        "Kairat Sarybay",
        "Executive Director, CICA Secretariat",
        "Chen Dongxiao",
        "Moderator:",
        "Room: Hall B",
    ):
        assert text in page, text


def test_panel_join_links_stay_private(client, ttf9):
    assert "secret.example.org" not in client.get(f"/conferences/{ttf9}").text


def test_cancelled_panel_is_marked(app, client, ttf9):
    with app.app_context():
        panel = db.session.scalar(db.select(Panel).filter_by(title="Prospects for cooperation"))
        panel_services.cancel_panel(panel)
        assert panel.status == PanelStatus.CANCELLED
    page = client.get(f"/conferences/{ttf9}").text
    assert '<article class="panel is-cancelled"' in page
    assert "Cancelled" in page


def test_drafts_are_404_and_not_listed(client, make_conference):
    make_conference(
        slug="secret-draft", title="A draft nobody may see", status=ConferenceStatus.DRAFT
    )
    assert client.get("/conferences/secret-draft").status_code == 404
    assert "A draft nobody may see" not in client.get("/").text


def test_unknown_conference_is_404(client):
    assert client.get("/conferences/nothing-here").status_code == 404


def test_index_splits_upcoming_and_past_and_marks_cancelled(client, make_conference):
    make_conference(title="Future forum")
    make_conference(
        title="Online conference of July 2021",
        timezone="Asia/Almaty",
        starts_at=at("2021-07-14 04:00"),
        ends_at=at("2021-07-14 09:00"),
        format=ConferenceFormat.ONLINE,
    )
    make_conference(title="Called-off forum", status=ConferenceStatus.CANCELLED)
    page = client.get("/").text
    upcoming, past = page.split('id="past"')
    assert "Future forum" in upcoming
    assert "Called-off forum" in upcoming
    assert "Online conference of July 2021" in past
    assert "14 July 2021" in past
    cancelled_card = upcoming[upcoming.index("Called-off forum") :]
    assert cancelled_card.index("Cancelled") < cancelled_card.index("</article>")


def test_public_and_management_pages_satisfy_the_csp(organizer_client, ttf9):
    """No inline scripts, styles or event handlers anywhere: the CSP would block them."""
    with organizer_client.application.app_context():
        panel_id = db.session.scalar(db.select(Panel.id).filter_by(title="Welcome remarks"))
    for url in (
        "/",
        f"/conferences/{ttf9}",
        "/manage/",
        f"/manage/conferences/{ttf9}",
        f"/manage/conferences/{ttf9}/edit",
        f"/manage/conferences/{ttf9}/timetable",
        f"/manage/conferences/{ttf9}/panels/new",
        f"/manage/conferences/{ttf9}/panels/{panel_id}/edit",
        f"/manage/conferences/{ttf9}/cancel",
        "/manage/series/",
        "/manage/series/new",
    ):
        response = organizer_client.get(url)
        assert response.status_code == 200, url
        assert not re.search(
            r"\sstyle=|<style|\son[a-z]+=|<script(?![^>]*\ssrc=)", response.text
        ), url


def test_register_link_only_on_conferences_not_yet_over(client, make_conference):
    make_conference(slug="upcoming-meeting")
    make_conference(
        slug="past-meeting", starts_at=at("2021-12-28 01:00"), ends_at=at("2021-12-29 04:00")
    )
    assert 'id="register-link"' in client.get("/conferences/upcoming-meeting").text
    past = client.get("/conferences/past-meeting").text
    assert 'id="register-link"' not in past
    assert 'id="participants-link"' in past
