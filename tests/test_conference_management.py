"""Organisers create, edit, publish and cancel conferences and manage their panels."""

from __future__ import annotations

import re
from typing import Any

import pytest

from registration.conferences import panels as panel_services
from registration.conferences import services
from registration.conferences.models import (
    Conference,
    ConferenceStatus,
    OrganizerRole,
    Panel,
    PanelStatus,
)
from registration.conferences.panels import PanelData, PersonLine
from registration.database import db
from tests.conftest import at


def conference_form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Ninth Meeting of the CICA Think Tank Forum",
        "slug": "",
        "theme": "Building a secure and sustainable Asia",
        "description": "",
        "series_id": "0",
        "number": "",
        "host": "Shanghai Institutes for International Studies",
        "new_co_organizers": "",
        "format": "hybrid",
        "venue": "SIIS, 845-1 Julu Road",
        "city": "Shanghai",
        "timezone": "Asia/Shanghai",
        "starts_at": "2030-12-28T09:00",
        "ends_at": "2030-12-29T18:00",
        "online_url": "https://meet.example.org/ttf9",
    }
    data.update(overrides)
    return data


def panel_form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Realistic security challenges in Asia",
        "kind": "panel",
        "theme": "",
        "day": "2030-12-28",
        "starts": "09:30",
        "ends": "11:00",
        "room": "Hall A",
        "join_url": "https://meet.example.org/panel-1",
        "moderators": "Chen Dongxiao — President, Shanghai Institutes for International Studies",
        "speakers": "Kairat Sarybay — Executive Director, CICA Secretariat\nBolat Nurgaliyev",
    }
    data.update(overrides)
    return data


def load(app, slug: str) -> Conference:
    conference = services.conference_by_slug(slug)
    assert conference is not None
    return conference


def test_organiser_creates_a_draft_with_local_times_stored_in_utc(organizer_client, app):
    response = organizer_client.post(
        "/manage/conferences/new",
        data=conference_form(new_co_organizers="Foreign Policy Research Institute\n"),
    )
    slug = "ninth-meeting-of-the-cica-think-tank-forum"
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/manage/conferences/{slug}")
    with app.app_context():
        conference = load(app, slug)
        assert conference.status == ConferenceStatus.DRAFT
        assert conference.starts_at == at("2030-12-28 01:00")
        assert conference.ends_at == at("2030-12-29 10:00")
        assert conference.host.name == "Shanghai Institutes for International Studies"
        assert [i.name for i in services.co_organizers(conference)] == [
            "Foreign Policy Research Institute"
        ]
    page = organizer_client.get(f"/manage/conferences/{slug}")
    assert "Draft" in page.text
    assert "28 December 2030, 09:00" in page.text


def test_second_conference_with_same_title_gets_a_free_slug(organizer_client, app):
    organizer_client.post("/manage/conferences/new", data=conference_form())
    response = organizer_client.post("/manage/conferences/new", data=conference_form())
    assert response.headers["Location"].endswith("ninth-meeting-of-the-cica-think-tank-forum-2")


def test_organiser_edits_a_conference_and_picks_existing_co_organisers(
    organizer_client, app, make_conference
):
    conference_id = make_conference(slug="ttf-9")
    with app.app_context():
        services.update_conference(
            db.session.get(Conference, conference_id),
            services.ConferenceData(
                title="TTF",
                starts_at=at("2030-12-28 01:00"),
                ends_at=at("2030-12-29 10:00"),
                timezone="Asia/Shanghai",
                venue="SIIS",
                host="Institute of World Economy and Politics",
            ),
        )
    form_page = organizer_client.get("/manage/conferences/ttf-9/edit")
    assert 'value="2030-12-28T09:00"' in form_page.text
    response = organizer_client.post(
        "/manage/conferences/ttf-9/edit",
        data=conference_form(
            slug="ttf-9",
            title="Ninth Meeting (revised)",
            host="Shanghai Institutes for International Studies",
            co_organizers=["Institute of World Economy and Politics"],
        ),
    )
    assert response.status_code == 302
    with app.app_context():
        conference = load(app, "ttf-9")
        assert conference.title == "Ninth Meeting (revised)"
        roles = {o.institution.name: o.role for o in conference.organizers}
        assert roles == {
            "Shanghai Institutes for International Studies": OrganizerRole.HOST,
            "Institute of World Economy and Politics": OrganizerRole.CO_ORGANIZER,
        }


def test_publish_and_cancel_need_a_confirmed_post(organizer_client, app, make_conference):
    make_conference(slug="ttf-9", status=ConferenceStatus.DRAFT)
    confirm = organizer_client.get("/manage/conferences/ttf-9/publish")
    assert confirm.status_code == 200
    assert "The conference page becomes public." in confirm.text
    with app.app_context():
        assert load(app, "ttf-9").status == ConferenceStatus.DRAFT
    assert organizer_client.get("/conferences/ttf-9").status_code == 404

    organizer_client.post("/manage/conferences/ttf-9/publish")
    with app.app_context():
        assert load(app, "ttf-9").status == ConferenceStatus.PUBLISHED
    assert organizer_client.get("/conferences/ttf-9").status_code == 200

    organizer_client.post("/manage/conferences/ttf-9/cancel")
    with app.app_context():
        conference = load(app, "ttf-9")
        assert conference.status == ConferenceStatus.CANCELLED
        assert conference.sequence == 2
    public = organizer_client.get("/conferences/ttf-9")
    assert "This conference has been cancelled." in public.text


def test_publishing_twice_is_refused_with_a_message(organizer_client, make_conference):
    make_conference(slug="ttf-9", status=ConferenceStatus.PUBLISHED)
    response = organizer_client.post("/manage/conferences/ttf-9/publish", follow_redirects=True)
    assert "Only a draft can be published." in response.text


def test_status_changes_are_csrf_protected(organizer_client, app, make_conference, csrf_enabled):
    make_conference(slug="ttf-9", status=ConferenceStatus.DRAFT)
    response = organizer_client.post("/manage/conferences/ttf-9/publish")
    assert response.status_code == 400
    with app.app_context():
        assert load(app, "ttf-9").status == ConferenceStatus.DRAFT


def test_management_pages_need_an_organiser(client, make_conference, make_organizer, login):
    make_conference(slug="ttf-9")
    assert client.get("/manage/conferences/ttf-9").status_code == 302
    assert client.post("/manage/conferences/ttf-9/cancel").status_code == 302
    make_organizer("guest@example.org", organizer=False)
    login("guest@example.org")
    assert client.get("/manage/conferences/ttf-9/edit").status_code == 403


def test_organiser_adds_a_panel_with_people(organizer_client, app, make_conference):
    make_conference(slug="ttf-9")
    response = organizer_client.post("/manage/conferences/ttf-9/panels/new", data=panel_form())
    assert response.status_code == 302
    with app.app_context():
        panel = load(app, "ttf-9").panels[0]
        assert panel.starts_at == at("2030-12-28 01:30")
        assert [p.name for p in panel.moderators] == ["Chen Dongxiao"]
        assert [p.name for p in panel.speakers] == ["Kairat Sarybay", "Bolat Nurgaliyev"]
        assert panel.speakers[0].affiliation == "Executive Director, CICA Secretariat"
    page = organizer_client.get("/manage/conferences/ttf-9")
    assert "09:30" in page.text
    assert "Chen Dongxiao" in page.text


def test_editing_a_panel_reuses_known_people(organizer_client, app, make_conference):
    make_conference(slug="ttf-9")
    organizer_client.post("/manage/conferences/ttf-9/panels/new", data=panel_form())
    organizer_client.post(
        "/manage/conferences/ttf-9/panels/new",
        data=panel_form(title="Second", starts="11:30", ends="12:30", moderators=""),
    )
    with app.app_context():
        first, second = services.ordered_panels(load(app, "ttf-9"))
        assert first.speakers[0].id == second.speakers[0].id
        panel_id = first.id
    edit_page = organizer_client.get(f"/manage/conferences/ttf-9/panels/{panel_id}/edit")
    assert "Kairat Sarybay — Executive Director, CICA Secretariat" in edit_page.text
    assert 'value="09:30"' in edit_page.text


def test_reorder_panels_starting_at_the_same_time(organizer_client, app, make_conference):
    make_conference(slug="ttf-9")
    for title in ("Alpha", "Beta", "Gamma"):
        organizer_client.post(
            "/manage/conferences/ttf-9/panels/new",
            data=panel_form(title=title, moderators="", speakers=""),
        )
    with app.app_context():
        gamma = next(p for p in load(app, "ttf-9").panels if p.title == "Gamma")
        gamma_id = gamma.id
    organizer_client.post(f"/manage/conferences/ttf-9/panels/{gamma_id}/move/up")
    with app.app_context():
        titles = [p.title for p in services.ordered_panels(load(app, "ttf-9"))]
    assert titles == ["Alpha", "Gamma", "Beta"]
    page = organizer_client.get("/manage/conferences/ttf-9")
    assert page.text.index("<h4>Gamma</h4>") < page.text.index("<h4>Beta</h4>")

    organizer_client.post(f"/manage/conferences/ttf-9/panels/{gamma_id}/move/up")
    response = organizer_client.post(
        f"/manage/conferences/ttf-9/panels/{gamma_id}/move/up", follow_redirects=True
    )
    assert "only panels starting at the same time" in response.text
    with app.app_context():
        titles = [p.title for p in services.ordered_panels(load(app, "ttf-9"))]
    assert titles == ["Gamma", "Alpha", "Beta"]


def test_a_panel_cannot_move_past_an_earlier_one(app, app_context, make_conference, make_panel):
    conference_id = make_conference()
    make_panel(conference_id, title="Early", starts_at=at("2030-12-28 01:00"))
    late_id = make_panel(conference_id, title="Late", starts_at=at("2030-12-28 03:00"))
    assert panel_services.move_panel(db.session.get(Panel, late_id), "up") is False
    conference = db.session.get(Conference, conference_id)
    assert [p.title for p in services.ordered_panels(conference)] == ["Early", "Late"]


def test_cancel_and_remove_a_panel(organizer_client, app, make_conference, make_panel):
    conference_id = make_conference(slug="ttf-9")
    keep_id = make_panel(conference_id, title="Kept but cancelled")
    drop_id = make_panel(conference_id, title="Added by mistake")
    assert (
        "stays in the programme"
        in organizer_client.get(f"/manage/conferences/ttf-9/panels/{keep_id}/cancel").text
    )
    organizer_client.post(f"/manage/conferences/ttf-9/panels/{keep_id}/cancel")
    removed = organizer_client.post(
        f"/manage/conferences/ttf-9/panels/{drop_id}/remove", follow_redirects=True
    )
    assert "Panel “Added by mistake” removed." in removed.text
    with app.app_context():
        panels = load(app, "ttf-9").panels
        assert [(p.title, p.status, p.sequence) for p in panels] == [
            ("Kept but cancelled", PanelStatus.CANCELLED, 1)
        ]
    public = organizer_client.get("/conferences/ttf-9")
    assert "Added by mistake" not in public.text
    assert "Cancelled" in public.text


def test_panel_of_another_conference_is_404(organizer_client, make_conference, make_panel):
    make_conference(slug="ttf-9")
    other_panel = make_panel(make_conference(slug="other"))
    response = organizer_client.get(f"/manage/conferences/ttf-9/panels/{other_panel}/edit")
    assert response.status_code == 404


def test_timetable_shows_local_times_in_the_conference_zone(
    organizer_client, make_conference, make_panel
):
    conference_id = make_conference(slug="ttf-9", timezone="Asia/Shanghai")
    make_panel(
        conference_id,
        title="Opening",
        starts_at=at("2030-12-28 01:30"),
        ends_at=at("2030-12-28 02:00"),
    )
    make_panel(
        conference_id,
        title="Day two",
        starts_at=at("2030-12-28 17:00"),
        ends_at=at("2030-12-28 18:00"),
    )
    page = organizer_client.get("/manage/conferences/ttf-9/timetable")
    assert page.status_code == 200
    assert "09:30" in page.text
    assert "10:00" in page.text
    assert "Asia/Shanghai (UTC+08:00)" in page.text
    # 17:00 UTC is 01:00 the next morning in Shanghai: the panel belongs to 29 December.
    assert page.text.index("Saturday 28 December 2030") < page.text.index("Opening")
    assert page.text.index("Sunday 29 December 2030") < page.text.index("Day two")
    assert "01:00" in page.text


def test_dashboard_lists_every_conference_with_status(organizer_client, make_conference):
    make_conference(title="A published one")
    make_conference(title="A draft one", status=ConferenceStatus.DRAFT)
    make_conference(title="A cancelled one", status=ConferenceStatus.CANCELLED)
    page = organizer_client.get("/manage/").text
    for text in ("A published one", "A draft one", "A cancelled one", "Draft", "Cancelled"):
        assert text in page


def test_series_create_and_edit(organizer_client, app):
    response = organizer_client.post(
        "/manage/series/new",
        data={"name": "CICA Think Tank Forum", "short_name": "TTF", "slug": "", "description": ""},
    )
    assert response.status_code == 302
    with app.app_context():
        series = services.series_by_slug("ttf")
        assert series is not None
        assert series.name == "CICA Think Tank Forum"
    response = organizer_client.post(
        "/manage/series/ttf/edit",
        data={"name": "CICA Think Tank Forum", "short_name": "TTF", "slug": "cica-ttf"},
    )
    assert response.status_code == 302
    assert "CICA Think Tank Forum" in organizer_client.get("/manage/series/").text
    form = organizer_client.get("/manage/conferences/new").text
    assert "CICA Think Tank Forum" in form


def test_series_slug_must_be_unique(organizer_client, app):
    organizer_client.post("/manage/series/new", data={"name": "First", "slug": "ttf"})
    response = organizer_client.post("/manage/series/new", data={"name": "Second", "slug": "ttf"})
    assert response.status_code == 200
    assert "already taken" in response.text
    assert 'value="Second"' in response.text


# ---------------------------------------------------------------- sequence rule


@pytest.fixture
def panel_in_conference(app_context, make_conference, make_panel):
    conference_id = make_conference()
    panel_id = make_panel(conference_id)
    return db.session.get(Panel, panel_id)


def data_of(panel: Panel, **changes: Any) -> PanelData:
    values: dict[str, Any] = {
        "title": panel.title,
        "theme": panel.theme,
        "kind": panel.kind,
        "starts_at": panel.starts_at,
        "ends_at": panel.ends_at,
        "room": panel.room,
        "join_url": panel.join_url,
    }
    values.update(changes)
    return PanelData(**values)


@pytest.mark.parametrize(
    ("changes", "bumped", "schedule", "location"),
    [
        ({"starts_at": at("2030-12-28 01:00")}, True, True, False),
        ({"ends_at": at("2030-12-28 05:00")}, True, True, False),
        ({"room": "Hall B"}, True, False, True),
        ({"join_url": "https://meet.example.org/new"}, True, False, True),
        ({"theme": "A longer description"}, False, False, False),
        ({"title": "A better title"}, False, False, False),
        ({"speakers": [PersonLine("Chen Dongxiao")]}, False, False, False),
    ],
)
def test_panel_sequence_rule(panel_in_conference, changes, bumped, schedule, location):
    panel = panel_in_conference
    before = panel.updated_at
    change = panel_services.update_panel(panel, data_of(panel, **changes))
    assert panel.sequence == (1 if bumped else 0)
    assert change.sequence_bumped is bumped
    assert change.schedule_changed is schedule
    assert change.location_changed is location
    assert change.fields
    assert panel.updated_at >= before


def test_saving_an_unchanged_panel_changes_nothing(panel_in_conference):
    change = panel_services.update_panel(panel_in_conference, data_of(panel_in_conference))
    assert not change.changed
    assert panel_in_conference.sequence == 0


def test_panel_change_reports_people_changes(panel_in_conference):
    change = panel_services.update_panel(
        panel_in_conference,
        data_of(panel_in_conference, moderators=[PersonLine("Chen Dongxiao", "President")]),
    )
    assert change.fields == {"moderators"}


def test_cancelling_a_panel_bumps_its_sequence(panel_in_conference):
    change = panel_services.cancel_panel(panel_in_conference)
    assert change.status_changed
    assert panel_in_conference.sequence == 1


def test_conference_sequence_rule(app_context, make_conference, make_panel):
    conference = db.session.get(Conference, make_conference(status=ConferenceStatus.DRAFT))
    panel_id = make_panel(conference.id)

    def edit(**changes: Any) -> services.ConferenceChange:
        values: dict[str, Any] = {
            "title": conference.title,
            "slug": conference.slug,
            "theme": conference.theme,
            "starts_at": conference.starts_at,
            "ends_at": conference.ends_at,
            "timezone": conference.timezone,
            "format": conference.format,
            "venue": conference.venue,
            "city": conference.city,
            "online_url": conference.online_url,
        }
        values.update(changes)
        return services.update_conference(conference, services.ConferenceData(**values))

    assert not edit(theme="A description-only change").sequence_bumped
    assert conference.sequence == 0
    assert edit(ends_at=at("2030-12-29 11:00")).schedule_changed
    assert conference.sequence == 1
    change = edit(venue="Another hall")
    assert change.location_changed
    assert change.resequenced_panel_ids == (panel_id,)
    assert conference.sequence == 2
    assert db.session.get(Panel, panel_id).sequence == 1
    services.publish_conference(conference)
    assert conference.sequence == 3


def test_end_before_start_is_refused_by_the_service(app_context, make_conference):
    conference = db.session.get(Conference, make_conference())
    with pytest.raises(services.ChangeError, match="end must be after"):
        panel_services.add_panel(
            conference,
            PanelData("Bad", starts_at=at("2030-12-28 03:00"), ends_at=at("2030-12-28 02:00")),
        )


def test_changing_the_time_zone_keeps_panels_at_their_wall_clock_times(
    organizer_client, app, make_conference, make_panel
):
    conference_id = make_conference(slug="ttf-9", timezone="Asia/Shanghai")
    panel_id = make_panel(
        conference_id, starts_at=at("2030-12-28 01:30"), ends_at=at("2030-12-28 03:00")
    )
    response = organizer_client.post(
        "/manage/conferences/ttf-9/edit", data=conference_form(slug="ttf-9", timezone="Asia/Tokyo")
    )
    assert response.status_code == 302
    with app.app_context():
        conference = db.session.get(Conference, conference_id)
        panel = db.session.get(Panel, panel_id)
        assert conference.starts_at == at("2030-12-28 00:00")
        assert panel.starts_at == at("2030-12-28 00:30")
        assert panel.sequence == 1
        assert conference.sequence == 1
    assert "<time>09:30</time>" in organizer_client.get("/manage/conferences/ttf-9/timetable").text


def test_slug_suggestion_script_is_loaded_from_static(organizer_client):
    page = organizer_client.get("/manage/conferences/new").text
    assert 'src="/static/slug-suggest.js"' in page
    assert 'data-slug-from="title"' in page


def test_move_buttons_carry_a_csrf_token(
    organizer_client, app, make_conference, make_panel, csrf_enabled
):
    conference_id = make_conference(slug="ttf-9")
    first = make_panel(conference_id, title="First")
    second = make_panel(conference_id, title="Second")
    url = f"/manage/conferences/ttf-9/panels/{second}/move/up"
    assert organizer_client.post(url).status_code == 400
    page = organizer_client.get("/manage/conferences/ttf-9").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert organizer_client.post(url, data={"csrf_token": token}).status_code == 302
    with app.app_context():
        ordered = services.ordered_panels(db.session.get(Conference, conference_id))
        assert [p.id for p in ordered] == [second, first]
