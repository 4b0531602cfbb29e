"""Check-in on a phone: who may use it, a repeated scan is one record, refused badges, undo."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from registration.attendance.models import AttendanceEvent, AttendanceRecord
from registration.database import db
from registration.signed_tokens import badge_payload
from registration.signup.models import AttendanceMode, RegistrationStatus
from tests.attendance_support import add_registration, payload_of

pytestmark = pytest.mark.usefixtures("members")


@pytest.fixture
def conference(make_conference: Callable[..., int]) -> int:
    return make_conference(slug="ttf-9")


@pytest.fixture
def panel(conference: int, make_panel: Callable[..., int]) -> int:
    return make_panel(conference)


def scan(client: FlaskClient, **body: object) -> tuple[int, dict]:
    response = client.post("/manage/conferences/ttf-9/checkin/api/scan", json=body)
    return response.status_code, response.get_json()


def records(app: Flask) -> list[AttendanceRecord]:
    with app.app_context():
        return list(db.session.scalars(db.select(AttendanceRecord)))


def events(app: Flask) -> int:
    with app.app_context():
        return len(db.session.scalars(db.select(AttendanceEvent)).all())


def test_anonymous_is_sent_to_login(client: FlaskClient, conference: int) -> None:
    response = client.get("/manage/conferences/ttf-9/checkin")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]
    api = client.post("/manage/conferences/ttf-9/checkin/api/scan", json={})
    assert api.status_code == 401
    assert api.get_json()["reason"]


def test_non_organiser_gets_403(
    client: FlaskClient,
    conference: int,
    make_organizer: Callable[..., object],
    login: Callable[[str], None],
) -> None:
    make_organizer("participant@example.org", organizer=False)
    login("participant@example.org")
    assert client.get("/manage/conferences/ttf-9/checkin").status_code == 403
    assert client.get("/manage/conferences/ttf-9/attendance").status_code == 403
    assert client.get("/manage/conferences/ttf-9/badges").status_code == 403
    assert client.post("/manage/conferences/ttf-9/checkin/api/scan", json={}).status_code == 403


def test_check_in_page_offers_days_panels_code_and_search(
    organizer_client: FlaskClient, panel: int
) -> None:
    page = organizer_client.get("/manage/conferences/ttf-9/checkin").text
    assert 'id="checkin-scope"' in page
    assert 'value="day:2030-12-28"' in page
    assert 'value="day:2030-12-29"' in page
    assert f'value="panel:{panel}"' in page
    assert '<label for="checkin-code">Badge code</label>' in page
    assert 'id="checkin-search"' in page
    assert "vendor/jsqr/jsQR.js" in page
    assert "<script>" not in page


def test_scan_twice_with_same_client_id_is_recorded_once(
    app: Flask, organizer_client: FlaskClient, conference: int, panel: int
) -> None:
    person = add_registration(app, conference, "Aigerim Sadykova")
    payload = payload_of(app, person)
    status, first = scan(organizer_client, payload=payload, client_id="tap-0001", panel_id=panel)
    assert status == 200
    assert first["status"] == "checked_in"
    assert first["registration"]["name"] == "Aigerim Sadykova"
    status, again = scan(organizer_client, payload=payload, client_id="tap-0001", panel_id=panel)
    assert status == 200
    assert again["status"] == "duplicate"
    assert "already recorded" in again["message"]
    assert events(app) == 1
    [record] = records(app)
    assert record.mode is AttendanceMode.IN_PERSON
    assert record.panel_id == panel


def statements_of(app: Flask, request: Callable[[], object]) -> list[str]:
    """The SQL statements the app sends while handling one request."""
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def count(_connection: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", count)
    try:
        request()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return statements


def test_a_badge_scan_reads_badge_panel_and_client_id_in_one_query(
    app: Flask, organizer_client: FlaskClient, conference: int, panel: int
) -> None:
    payload = payload_of(app, add_registration(app, conference, "Li Wei", member="CHN"))
    body = {"payload": payload, "client_id": "one-query-1", "panel_id": panel}
    first = statements_of(app, lambda: scan(organizer_client, **body))
    # the signed-in user, the staff policy (is two-factor sign-in required?), the conference,
    # the one read, the record, the event, its audit entry; then whether a webhook
    # subscription listens to check-ins (a job is written only if one does)
    assert [sql.split(" ", 1)[0] for sql in first] == ["SELECT"] * 4 + ["INSERT"] * 3 + ["SELECT"]
    assert "webhook_subscriptions" in first[-1]
    retry = statements_of(app, lambda: scan(organizer_client, **body))
    assert len(retry) == 4
    assert events(app) == 1


def test_second_scan_of_same_badge_says_already_checked_in(
    app: Flask, organizer_client: FlaskClient, conference: int, panel: int
) -> None:
    payload = payload_of(app, add_registration(app, conference, "Li Wei", member="CHN"))
    scan(organizer_client, payload=payload, client_id="scan-aaaa1", panel_id=panel)
    status, body = scan(organizer_client, payload=payload, client_id="scan-aaaa2", panel_id=panel)
    assert status == 200
    assert body["status"] == "already_checked_in"
    assert len(records(app)) == 1


def test_day_check_in(app: Flask, organizer_client: FlaskClient, conference: int) -> None:
    payload = payload_of(app, add_registration(app, conference, "Li Wei", member="CHN"))
    status, body = scan(organizer_client, payload=payload, client_id="day-00001", day="2030-12-29")
    assert status == 200, body
    [record] = records(app)
    assert record.day.isoformat() == "2030-12-29"
    status, body = scan(organizer_client, payload=payload, client_id="day-00002", day="2031-01-05")
    assert status == 400
    assert "not a day of the conference" in body["reason"]


@pytest.mark.parametrize("refused", [RegistrationStatus.WITHDRAWN, RegistrationStatus.REJECTED])
def test_withdrawn_or_rejected_badge_is_refused(
    app: Flask,
    organizer_client: FlaskClient,
    conference: int,
    panel: int,
    refused: RegistrationStatus,
) -> None:
    person = add_registration(app, conference, "Dilshod Karimov", member="UZB", status=refused)
    status, body = scan(
        organizer_client, payload=payload_of(app, person), client_id="ref-00001", panel_id=panel
    )
    assert status == 422
    assert f"registration {refused.value}" in body["reason"]
    assert "do not admit" in body["reason"]
    assert records(app) == []


def test_forged_and_foreign_badges_are_refused(
    app: Flask,
    organizer_client: FlaskClient,
    conference: int,
    panel: int,
    make_conference: Callable[..., int],
) -> None:
    other = make_conference(slug="other", title="Expert Meeting on Connectivity")
    stranger = add_registration(app, other, "Rustam Nazarov", member="TJK")
    status, body = scan(
        organizer_client, payload=payload_of(app, stranger), client_id="for-00001", panel_id=panel
    )
    assert status == 422
    assert "another conference (Expert Meeting on Connectivity)" in body["reason"]
    person = add_registration(app, conference, "Li Wei", member="CHN")
    with app.app_context():
        app.config["SECRET_KEY"], real = "not-our-key", app.config["SECRET_KEY"]
        forged = badge_payload(person, conference)
        app.config["SECRET_KEY"] = real
    status, body = scan(organizer_client, payload=forged, client_id="for-00002", panel_id=panel)
    assert status == 422
    assert "forged" in body["reason"]
    assert records(app) == []


def test_bad_requests_answer_json_with_a_reason(
    app: Flask, organizer_client: FlaskClient, conference: int, panel: int
) -> None:
    payload = payload_of(app, add_registration(app, conference, "Li Wei", member="CHN"))
    cases = [
        ({"payload": payload, "panel_id": panel}, 400, "client_id"),
        ({"payload": payload, "client_id": "bad-0001"}, 400, "panel or a day"),
        ({"payload": payload, "client_id": "bad-0002", "panel_id": 99999}, 404, "not part"),
        ({"client_id": "bad-0003", "panel_id": panel}, 400, "badge code"),
        ({"payload": payload, "client_id": "bad-0004", "panel_id": 10**25}, 404, "No such panel"),
        ({"registration_id": 10**25, "client_id": "bad-0005", "panel_id": panel}, 404, "No such"),
        ({"registration_id": "Li", "client_id": "bad-0006", "panel_id": panel}, 400, "a number"),
    ]
    for body, code, reason in cases:
        status, answer = scan(organizer_client, **body)
        assert status == code, answer
        assert reason in answer["reason"]
    response = organizer_client.post(
        "/manage/conferences/ttf-9/checkin/api/scan", data="not json", content_type="text/plain"
    )
    assert response.status_code == 400
    assert response.get_json()["reason"] == "Send a JSON object."


def test_undo_removes_the_check_in_and_is_idempotent(
    app: Flask, organizer_client: FlaskClient, conference: int, panel: int
) -> None:
    payload = payload_of(app, add_registration(app, conference, "Li Wei", member="CHN"))
    scan(organizer_client, payload=payload, client_id="undo-0001", panel_id=panel)
    for _ in range(2):
        response = organizer_client.post(
            "/manage/conferences/ttf-9/checkin/api/undo", json={"client_id": "undo-0001"}
        )
        assert response.status_code == 200
        assert response.get_json()["status"] == "undone"
    assert records(app) == []
    _status, body = scan(organizer_client, payload=payload, client_id="undo-0001", panel_id=panel)
    assert body["status"] == "duplicate"
    assert records(app) == []


def test_search_by_name_and_manual_check_in(
    app: Flask, organizer_client: FlaskClient, conference: int, panel: int
) -> None:
    person = add_registration(app, conference, "Aigerim Sadykova")
    add_registration(app, conference, "Li Wei", member="CHN")
    found = organizer_client.get(
        f"/manage/conferences/ttf-9/checkin/api/search?q=sady&panel_id={panel}"
    ).get_json()["results"]
    assert [(r["name"], r["checked_in"]) for r in found] == [("Aigerim Sadykova", False)]
    status, body = scan(
        organizer_client, registration_id=person, client_id="man-00001", panel_id=panel
    )
    assert status == 200
    assert body["status"] == "checked_in"
    found = organizer_client.get(
        f"/manage/conferences/ttf-9/checkin/api/search?q=SADY&panel_id={panel}"
    ).get_json()["results"]
    assert found[0]["checked_in"] is True


def test_scan_needs_the_csrf_header(
    app: Flask, organizer_client: FlaskClient, conference: int, panel: int, csrf_enabled: None
) -> None:
    payload = payload_of(app, add_registration(app, conference, "Li Wei", member="CHN"))
    status, body = scan(organizer_client, payload=payload, client_id="csrf-0001", panel_id=panel)
    assert status == 400
    assert "reload" in body["reason"]
    page = organizer_client.get("/manage/conferences/ttf-9/checkin").text
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    response = organizer_client.post(
        "/manage/conferences/ttf-9/checkin/api/scan",
        json={"payload": payload, "client_id": "csrf-0002", "panel_id": panel},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200


def test_refusals_are_problem_details(
    app: Flask, organizer_client: FlaskClient, conference: int, panel: int
) -> None:
    """RFC 9457 problem+json, with `reason` (what the phone page shows) beside `detail`."""
    api = "/manage/conferences/ttf-9/checkin/api"
    refused = [
        organizer_client.post(f"{api}/scan", json={"client_id": "pd-00001", "panel_id": 10**25}),
        organizer_client.post(f"{api}/scan", data="not json", content_type="text/plain"),
        organizer_client.get(f"{api}/scan"),  # the method is not allowed
        app.test_client().post(f"{api}/scan", json={}),  # nobody signed in
    ]
    assert [r.status_code for r in refused] == [404, 400, 405, 401]
    for response in refused:
        assert response.mimetype == "application/problem+json"
        body = response.get_json()
        assert body["status"] == response.status_code
        assert body["detail"] == body["reason"]
        assert body["instance"] == f"{api}/scan"
        assert body["title"]
