"""Personal feeds: only the panels a participant attends, with join links, behind a token."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.calendars import services
from registration.conferences.models import (
    Conference,
    ConferenceFormat,
    ConferenceStatus,
    Panel,
    PanelStatus,
)
from registration.database import db, utcnow
from registration.signed_tokens import personal_join_url
from registration.signup import services as signup
from registration.signup.links import manage_token
from registration.signup.models import Registration, RegistrationStatus
from tests.calendar_data import change_panel, register
from tests.conftest import at
from tests.ics_check import read_all
from tests.query_count import counting_queries
from tests.signup_support import open_registration


@pytest.fixture(autouse=True)
def _cold_caches() -> None:
    services.clear_caches()


@pytest.fixture
def programme(
    app: Flask,
    members: None,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
) -> dict[str, int]:
    conference_id = make_conference(
        slug="ttf-9", format=ConferenceFormat.HYBRID, online_url="https://meet.example/main"
    )
    attended = make_panel(conference_id, title="Attended", join_url="https://meet.example/p1")
    fallback = make_panel(
        conference_id,
        title="Uses the conference link",
        starts_at=at("2030-12-28 06:00"),
        ends_at=at("2030-12-28 07:00"),
    )
    other = make_panel(conference_id, title="Not attended")
    return {"conference": conference_id, "attended": attended, "fallback": fallback, "other": other}


def personal_url(key: str) -> str:
    return f"/calendar/personal/{key}.ics"


def test_feed_holds_only_attended_panels_with_join_links(
    app: Flask, client: FlaskClient, programme: dict[str, int]
) -> None:
    with app.app_context():
        registration_id, key = register(
            programme["conference"], [programme["attended"], programme["fallback"]]
        )
        own = {
            name: personal_join_url(registration_id, programme[name])
            for name in ("attended", "fallback")
        }

    response = client.get(personal_url(key))
    calendar = read_all(response.data)

    attended = calendar["by_uid"][f"panel-{programme['attended']}@localhost"]
    fallback = calendar["by_uid"][f"panel-{programme['fallback']}@localhost"]
    assert len(calendar["events"]) == 2
    assert attended["start"] == "2030-12-28T02:00:00.000Z"
    assert own["attended"].startswith("http://localhost/j/"), "personal: it records the join"
    assert attended["conference"] == [
        {"value": own["attended"], "parameters": {"feature": "VIDEO", "label": "Join online"}}
    ]
    assert f"Join online: {own['attended']}" in attended["description"]
    assert f"Join online: {own['fallback']}" in fallback["description"]
    assert b"meet.example" not in response.data
    redirects = {
        name: client.head(url.removeprefix("http://localhost")).headers["Location"]
        for name, url in own.items()
    }
    assert redirects == {
        "attended": "https://meet.example/p1",
        "fallback": "https://meet.example/main",
    }
    assert response.headers["Cache-Control"] == "private, no-cache, max-age=0"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert b"ATTENDEE" not in response.data


def test_join_links_wait_for_approval(
    app: Flask, client: FlaskClient, programme: dict[str, int]
) -> None:
    with app.app_context():
        registration_id, key = register(
            programme["conference"], [programme["attended"]], status="pending"
        )

    pending = client.get(personal_url(key)).data
    assert b"/j/" not in pending
    assert b"BEGIN:VEVENT" in pending

    with app.app_context():
        db.session.get_one(Registration, registration_id).status = RegistrationStatus.APPROVED
        db.session.commit()
    with app.app_context():
        link = personal_join_url(registration_id, programme["attended"])
    assert f"Join online: {link}".encode() in client.get(personal_url(key)).data.replace(
        b"\r\n ", b""
    )

    with app.app_context():
        db.session.get_one(Registration, registration_id).status = RegistrationStatus.WITHDRAWN
        db.session.commit()
    assert b"BEGIN:VEVENT" not in client.get(personal_url(key)).data


def test_cancelled_panel_is_cancelled_in_the_personal_feed(
    app: Flask, client: FlaskClient, programme: dict[str, int]
) -> None:
    with app.app_context():
        _, key = register(programme["conference"], [programme["attended"]])
    etag = client.get(personal_url(key)).headers["ETag"]
    with app.app_context():
        change_panel(programme["attended"], status=PanelStatus.CANCELLED)

    response = client.get(personal_url(key), headers={"If-None-Match": etag})

    assert response.status_code == 200
    (cancelled,) = read_all(response.data)["events"]
    assert (cancelled["status"], cancelled["sequence"]) == ("CANCELLED", 1)


def test_drafts_stay_out_of_personal_feeds(
    app: Flask,
    client: FlaskClient,
    members: None,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
) -> None:
    draft = make_conference(slug="draft", status=ConferenceStatus.DRAFT)
    panel_id = make_panel(draft)
    with app.app_context():
        _, key = register(draft, [panel_id])

    assert b"BEGIN:VEVENT" not in client.get(personal_url(key)).data


def test_bad_tokens_are_404(app: Flask, client: FlaskClient, programme: dict[str, int]) -> None:
    with app.app_context():
        registration_id, key = register(programme["conference"], [programme["attended"]])
    token = key.partition(".")[2]

    for wrong in (
        f"{registration_id}.{token[:-1]}x"
        if token[-1] != "x"
        else f"{registration_id}.{token[:-1]}y",
        f"{registration_id + 1}.{token}",
        f"{registration_id}.",
        token,
        f"{registration_id}.{token}é",
        f"{registration_id}².{token}",
        "x.y",
    ):
        assert client.get(personal_url(wrong)).status_code == 404, wrong
    assert client.get(personal_url(key)).status_code == 200


def test_rotating_the_token_retires_the_old_url(
    app: Flask, client: FlaskClient, programme: dict[str, int]
) -> None:
    with app.app_context():
        registration_id, old_key = register(programme["conference"], [programme["attended"]])
    assert client.get(personal_url(old_key)).status_code == 200

    with app.app_context():
        new_key = services.rotate_feed_token(db.session.get_one(Registration, registration_id))

    assert new_key != old_key
    assert client.get(personal_url(old_key)).status_code == 404
    assert client.get(personal_url(new_key)).status_code == 200


def test_participant_rotates_from_the_form(
    app: Flask, client: FlaskClient, programme: dict[str, int]
) -> None:
    with app.app_context():
        registration_id, old_key = register(programme["conference"], [programme["attended"]])

    page = client.post(f"/calendar/personal/{old_key}/rotate")

    assert page.status_code == 200
    assert "new private address" in page.text
    with app.app_context():
        new_key = services.feed_key(db.session.get_one(Registration, registration_id))
    assert f"webcal://localhost/calendar/personal/{new_key}.ics" in page.text
    assert client.get(personal_url(old_key)).status_code == 404
    assert client.post(f"/calendar/personal/{old_key}/rotate").status_code == 404

    back = client.post(f"/calendar/personal/{new_key}/rotate", data={"next": "/registration/x"})
    assert back.status_code == 303
    assert back.headers["Location"] == "/registration/x"
    elsewhere = client.post(
        f"/calendar/personal/{services_key(app, registration_id)}/rotate",
        data={"next": "//evil.example/"},
    )
    assert elsewhere.status_code == 200


def services_key(app: Flask, registration_id: int) -> str:
    with app.app_context():
        return services.feed_key(db.session.get_one(Registration, registration_id))


def test_rotation_needs_the_csrf_token(
    app: Flask, client: FlaskClient, programme: dict[str, int], csrf_enabled: None
) -> None:
    with app.app_context():
        _, key = register(programme["conference"], [programme["attended"]])

    assert client.post(f"/calendar/personal/{key}/rotate").status_code == 400
    assert client.get(personal_url(key)).status_code == 200


def test_personal_feed_takes_few_queries(
    app: Flask, client: FlaskClient, programme: dict[str, int]
) -> None:
    with app.app_context():
        _, key = register(programme["conference"], list(programme.values())[1:])
    with counting_queries(app) as statements:
        etag = client.get(personal_url(key)).headers["ETag"]
        cold = len(statements)
        assert client.get(personal_url(key), headers={"If-None-Match": etag}).status_code == 304
    assert cold <= 5
    assert len(statements) - cold == 1


def test_subscribe_partial_offers_every_way_and_the_rotate_form(
    app: Flask, programme: dict[str, int]
) -> None:
    with app.app_context():
        registration_id, key = register(programme["conference"], [programme["attended"]])
        registration = db.session.get_one(Registration, registration_id)
        with app.test_request_context("/registration/manage"):
            from flask import render_template_string

            html = render_template_string(
                "{% with links = personal_calendar_links(registration) %}"
                '{% include "calendars/_subscribe.html" %}{% endwith %}',
                registration=registration,
            )

    feed = f"http://localhost/calendar/personal/{key}.ics"
    assert f'href="webcal://localhost/calendar/personal/{key}.ics"' in html
    assert f'href="{feed}?download=1"' in html
    assert "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Flocalhost" in html
    assert "https://outlook.live.com/calendar/0/addfromweb?url=http%3A%2F%2Flocalhost" in html
    assert f'action="/calendar/personal/{key}/rotate"' in html
    assert 'name="next" value="/registration/manage"' in html


def test_manage_page_offers_the_private_feed_and_its_rotation(
    app: Flask, client: FlaskClient, programme: dict[str, int]
) -> None:
    with app.app_context():
        registration_id, old_key = register(programme["conference"], [programme["attended"]])
        token = manage_token(db.session.get_one(Registration, registration_id))
    page_path = f"/conferences/ttf-9/registration/{token}"

    page = client.get(page_path)
    assert page.status_code == 200, page.text
    assert f"webcal://localhost/calendar/personal/{old_key}.ics" in page.text

    back = client.post(f"/calendar/personal/{old_key}/rotate", data={"next": page_path})
    assert back.status_code == 303
    assert back.headers["Location"] == page_path
    new_key = services_key(app, registration_id)
    assert f"webcal://localhost/calendar/personal/{new_key}.ics" in client.get(page_path).text
    assert client.get(personal_url(old_key)).status_code == 404


def test_choosing_other_panels_changes_the_feed_and_its_dates(
    app: Flask, client: FlaskClient, programme: dict[str, int]
) -> None:
    """Same number of panels, none of them newer: the feed must still change."""
    open_registration(app, programme["conference"])
    with app.app_context():
        registration_id, key = register(
            programme["conference"], [programme["attended"], programme["fallback"]]
        )
        an_hour_ago = utcnow() - timedelta(hours=1)
        for model in (Conference, Panel, Registration):
            db.session.execute(db.update(model).values(updated_at=an_hour_ago))
        db.session.commit()
    first = client.get(personal_url(key))
    with app.app_context():
        registration = db.session.get_one(Registration, registration_id)
        signup.change(registration, registration.mode, [programme["attended"], programme["other"]])
    second = client.get(personal_url(key))
    uids = set(read_all(second.data)["by_uid"])
    assert uids == {f"panel-{programme[n]}@localhost" for n in ("attended", "other")}
    assert second.headers["ETag"] != first.headers["ETag"]
    assert second.headers["Last-Modified"] != first.headers["Last-Modified"]
    unchanged_since = client.get(
        personal_url(key), headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert unchanged_since.status_code == 200
