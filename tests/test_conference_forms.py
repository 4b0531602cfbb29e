"""Every validation rule of the conference and panel forms; rejected forms keep what was typed."""

from __future__ import annotations

import html
import re

import pytest

from registration.conferences import services
from registration.conferences.models import Conference, ConferenceStatus, Panel
from registration.conferences.panel_form import parse_person
from registration.conferences.panels import PersonLine
from registration.database import db
from tests.conftest import at
from tests.test_conference_management import conference_form, panel_form


def errors_next_to(page: str, field_id: str) -> list[str]:
    """The error messages shown under one field."""
    found = re.findall(rf'<p class="error" id="{field_id}-error">(.*?)</p>', page)
    return [html.unescape(message) for message in found]


def conference_count(app) -> int:
    with app.app_context():
        return len(db.session.scalars(db.select(Conference)).all())


@pytest.mark.parametrize(
    ("overrides", "field_id", "message"),
    [
        ({"title": ""}, "title", "Enter the title in English, the main language"),
        ({"slug": "Bad Slug!"}, "slug", "Use lowercase letters, digits and single hyphens only."),
        ({"slug": "ends-with-"}, "slug", "Use lowercase letters, digits and single hyphens only."),
        ({"timezone": "Mars/Olympus"}, "timezone", "Unknown time zone"),
        ({"timezone": "asia/shanghai"}, "timezone", "Unknown time zone"),
        ({"ends_at": "2030-12-28T08:00"}, "ends_at", "The end must be after the start."),
        ({"ends_at": "2030-12-28T09:00"}, "ends_at", "The end must be after the start."),
        ({"starts_at": ""}, "starts_at", "This field is required."),
        ({"starts_at": "28/12/2030"}, "starts_at", "Not a valid datetime value."),
        ({"format": "in_person", "venue": ""}, "venue", "needs a venue"),
        ({"format": "hybrid", "venue": "  "}, "venue", "needs a venue"),
        ({"online_url": "javascript:alert(1)"}, "online_url", "starting with http:// or https://"),
        ({"online_url": "ftp://example.org/x"}, "online_url", "starting with http:// or https://"),
        ({"number": "9", "series_id": "0"}, "number", "Choose the series"),
        ({"number": "0"}, "number", "Number must be between 1 and 1000."),
        ({"format": "by_pigeon"}, "format", "Not a valid choice."),
        ({"new_co_organizers": "IWEP\n" + "x" * 301}, "new_co_organizers", "too long"),
        ({"host": "x" * 301}, "host", "Field cannot be longer than 300 characters."),
        (
            {"timezone": "America/New_York", "starts_at": "2030-03-10T02:30"},
            "starts_at",
            "does not exist in America/New_York",
        ),
    ],
)
def test_conference_form_rejects(organizer_client, app, overrides, field_id, message):
    response = organizer_client.post("/manage/conferences/new", data=conference_form(**overrides))
    assert response.status_code == 200
    assert "Please correct the fields marked below." in response.text
    assert any(message in error for error in errors_next_to(response.text, field_id)), (
        errors_next_to(response.text, field_id)
    )
    assert conference_count(app) == 0


def test_online_conference_needs_no_venue(organizer_client, app):
    response = organizer_client.post(
        "/manage/conferences/new", data=conference_form(format="online", venue="", city="")
    )
    assert response.status_code == 302
    assert conference_count(app) == 1


def test_duplicate_slug_is_refused(organizer_client, app, make_conference):
    make_conference(slug="ttf-9")
    response = organizer_client.post("/manage/conferences/new", data=conference_form(slug="ttf-9"))
    assert errors_next_to(response.text, "slug") == [
        "The address “ttf-9” is already taken; choose another one."
    ]
    assert conference_count(app) == 1


def test_a_refused_edit_changes_nothing_of_the_conference(organizer_client, app, make_conference):
    make_conference(slug="ttf-9")
    make_conference(slug="ttf-10")
    response = organizer_client.post(
        "/manage/conferences/ttf-9/edit", data=conference_form(slug="ttf-10", title="Renamed")
    )
    assert errors_next_to(response.text, "slug") == [
        "The address “ttf-10” is already taken; choose another one."
    ]
    with app.app_context():
        conference = db.session.scalar(db.select(Conference).filter_by(slug="ttf-9"))
        assert conference.title == "Ninth Meeting of the CICA Think Tank Forum"
        data = services.ConferenceData(
            title="Renamed", starts_at=at("2030-12-29 10:00"), ends_at=at("2030-12-28 01:00")
        )
        with pytest.raises(services.ChangeError):
            services.update_conference(conference, data)
        assert not db.session.dirty  # the service leaves nothing for its caller to roll back


def test_keeping_its_own_slug_on_edit_is_fine(organizer_client, make_conference):
    make_conference(slug="ttf-9")
    response = organizer_client.post(
        "/manage/conferences/ttf-9/edit", data=conference_form(slug="ttf-9")
    )
    assert response.status_code == 302


def test_rejected_conference_form_keeps_every_typed_value(organizer_client, app):
    typed = conference_form(
        title="Tenth Meeting <of> the TTF",
        slug="tenth-ttf",
        theme="Asia's security & development",
        description="Two days.\nThree panels.",
        new_co_organizers="Asan Institute for Policy Studies\nIWEP",
        timezone="Asia/Almaty",
        starts_at="2030-12-28T09:00",
        ends_at="2030-12-27T18:00",
        city="Almaty",
        format="hybrid",
        online_url="https://meet.example.org/ttf10",
    )
    organizer_client.post(
        "/manage/conferences/new",
        data=conference_form(slug="first", host="Foreign Policy Research Institute"),
    )
    typed["co_organizers"] = ["Foreign Policy Research Institute"]
    page = organizer_client.post("/manage/conferences/new", data=typed).text
    assert errors_next_to(page, "ends_at") == ["The end must be after the start."]
    assert 'value="Tenth Meeting &lt;of&gt; the TTF"' in page
    assert 'value="tenth-ttf"' in page
    assert "Asia&#39;s security &amp; development</textarea>" in page
    assert "Two days.\nThree panels.</textarea>" in page
    assert "Asan Institute for Policy Studies\nIWEP</textarea>" in page
    assert 'value="Asia/Almaty"' in page
    assert 'value="2030-12-28T09:00"' in page
    assert 'value="2030-12-27T18:00"' in page
    assert 'value="Almaty"' in page
    assert 'value="https://meet.example.org/ttf10"' in page
    assert '<option selected value="hybrid">' in page
    assert '<option selected value="Foreign Policy Research Institute">' in page
    assert conference_count(app) == 1


def test_unparseable_date_is_shown_back_as_typed(organizer_client):
    page = organizer_client.post(
        "/manage/conferences/new", data=conference_form(starts_at="28/12/2030")
    ).text
    assert 'value="28/12/2030"' in page


def test_moving_conference_dates_away_from_its_panels_is_refused(
    organizer_client, app, make_conference, make_panel
):
    conference_id = make_conference(slug="ttf-9")
    make_panel(conference_id, title="Day one panel", starts_at=at("2030-12-28 02:00"))
    response = organizer_client.post(
        "/manage/conferences/ttf-9/edit",
        data=conference_form(
            slug="ttf-9", starts_at="2031-01-10T09:00", ends_at="2031-01-11T18:00"
        ),
    )
    assert errors_next_to(response.text, "ends_at") == [
        "1 panel would fall outside these dates (Day one panel); move it first."
    ]
    with app.app_context():
        assert db.session.get(Conference, conference_id).starts_at == at("2030-12-28 01:00")


# ---------------------------------------------------------------- panels


@pytest.fixture
def conference_slug(make_conference) -> str:
    """A conference on 28-29 December 2030 in Shanghai."""
    make_conference(slug="ttf-9", status=ConferenceStatus.DRAFT)
    return "ttf-9"


def panel_count(app) -> int:
    with app.app_context():
        return len(db.session.scalars(db.select(Panel)).all())


@pytest.mark.parametrize(
    ("overrides", "field_id", "message"),
    [
        ({"title": " "}, "title", "Enter the title in English, the main language"),
        ({"ends": "09:00"}, "ends", "The end must be after the start."),
        ({"ends": "09:30"}, "ends", "The end must be after the start."),
        ({"day": "2030-12-27"}, "day", "within the conference's dates, 28 December 2030"),
        ({"day": "2030-12-30"}, "day", "within the conference's dates"),
        ({"day": ""}, "day", "Choose the day."),
        ({"starts": "nine"}, "starts", "Not a valid time value."),
        ({"join_url": "zoom.us/j/123"}, "join_url", "starting with http:// or https://"),
        ({"join_url": "javascript:alert(1)"}, "join_url", "starting with http:// or https://"),
        ({"kind": "party"}, "kind", "Not a valid choice."),
        ({"speakers": "— Professor, Asan Institute"}, "speakers", "Line 1: the name is missing."),
        ({"moderators": "A\n" + "x" * 201}, "moderators", "Line 2: the name is too long"),
    ],
)
def test_panel_form_rejects(organizer_client, app, conference_slug, overrides, field_id, message):
    response = organizer_client.post(
        f"/manage/conferences/{conference_slug}/panels/new", data=panel_form(**overrides)
    )
    assert response.status_code == 200
    assert any(message in error for error in errors_next_to(response.text, field_id)), (
        errors_next_to(response.text, field_id)
    )
    assert panel_count(app) == 0


def test_panel_on_the_last_conference_day_is_accepted(organizer_client, app, conference_slug):
    response = organizer_client.post(
        f"/manage/conferences/{conference_slug}/panels/new",
        data=panel_form(day="2030-12-29", starts="17:00", ends="18:00"),
    )
    assert response.status_code == 302
    assert panel_count(app) == 1


def test_panel_time_skipped_by_daylight_saving_is_refused(organizer_client, app, make_conference):
    make_conference(
        slug="nyc",
        timezone="America/New_York",
        starts_at=at("2030-03-09 14:00"),
        ends_at=at("2030-03-11 22:00"),
    )
    response = organizer_client.post(
        "/manage/conferences/nyc/panels/new",
        data=panel_form(day="2030-03-10", starts="02:15", ends="04:00"),
    )
    assert errors_next_to(response.text, "starts") == [
        "This time does not exist in America/New_York (clocks go forward)."
    ]


def test_rejected_panel_form_keeps_every_typed_value(organizer_client, app, conference_slug):
    typed = panel_form(
        title="Prospects for cooperation",
        kind="discussion",
        theme="Within CICA",
        day="2030-12-31",
        starts="14:00",
        ends="15:30",
        room="Room 2",
        join_url="https://meet.example.org/p2",
        moderators="Lee Sang-hyun — Director, Sejong Institute",
        speakers="Ahmet Yildiz — Professor, Ankara Yildirim Beyazit University\nNo Affiliation",
    )
    page = organizer_client.post(f"/manage/conferences/{conference_slug}/panels/new", data=typed)
    text = page.text
    assert errors_next_to(text, "day")
    for value in (
        "Prospects for cooperation",
        "2030-12-31",
        "14:00",
        "15:30",
        "Room 2",
        "https://meet.example.org/p2",
    ):
        assert f'value="{value}"' in text
    assert '<option selected value="discussion">' in text
    assert "Within CICA</textarea>" in text
    assert "Lee Sang-hyun — Director, Sejong Institute</textarea>" in text
    assert (
        "Ahmet Yildiz — Professor, Ankara Yildirim Beyazit University\nNo Affiliation</textarea>"
        in text
    )


def test_rejected_panel_edit_keeps_the_panel_unchanged(
    organizer_client, app, conference_slug, make_panel
):
    with app.app_context():
        conference_id = services.conference_by_slug(conference_slug).id
    panel_id = make_panel(conference_id, title="Original")
    response = organizer_client.post(
        f"/manage/conferences/{conference_slug}/panels/{panel_id}/edit",
        data=panel_form(title="Changed", join_url="not a link"),
    )
    assert response.status_code == 200
    with app.app_context():
        panel = db.session.get(Panel, panel_id)
        assert panel.title == "Original"
        assert panel.sequence == 0


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Chen Dongxiao", PersonLine("Chen Dongxiao")),
        (
            "Chen Dongxiao — President, SIIS",
            PersonLine("Chen Dongxiao", "President", "SIIS"),
        ),
        ("Chen Dongxiao - President, SIIS", PersonLine("Chen Dongxiao", "President", "SIIS")),
        ("Chen Dongxiao \u2013 President", PersonLine("Chen Dongxiao", "President")),
        (
            "Kim Jong-ho — Senior Fellow, Head of Unit, Asan Institute",
            PersonLine("Kim Jong-ho", "Senior Fellow, Head of Unit", "Asan Institute"),
        ),
    ],
)
def test_person_lines_are_read_as_name_position_institution(line, expected):
    assert parse_person(line) == expected
