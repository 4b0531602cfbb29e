"""The secretariat's pages: settings, filtered list, review with mail, CSV and XLSX export."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from werkzeug.http import parse_options_header

from registration.database import db
from registration.signup.models import Registration, RegistrationSettings
from tests.signup_support import form_data, mails, member_id, open_registration


@pytest.fixture
def ttf9(
    app: Flask,
    client: FlaskClient,
    members: None,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
) -> dict[str, int]:
    conference_id = make_conference(slug="ttf9")
    panel = make_panel(conference_id, title="Energy security")
    open_registration(app, conference_id)
    people = [
        ("kaz1", "KAZ", "in_person", [panel]),
        ("kaz2", "KAZ", "online", []),
        ("chn1", "CHN", "in_person", [panel]),
        ("ind1", "IND", "online", [panel]),
    ]
    for who, code, mode, panels in people:
        response = client.post(
            "/conferences/ttf9/register",
            data=form_data(
                member_id(app, code),
                email=f"{who}@example.org",
                name=who,
                mode=mode,
                panels=[str(p) for p in panels],
                position="=HYPERLINK(evil)" if who == "ind1" else "Fellow",
            ),
        )
        assert response.status_code == 302
    return {"conference": conference_id, "panel": panel}


def registration_id(app: Flask, email: str) -> int:
    with app.app_context():
        found = db.session.scalar(db.select(Registration.id).filter_by(email=email))
        assert found is not None
        return found


def test_anonymous_visitor_cannot_reach_management_pages(
    app: Flask, client: FlaskClient, ttf9: dict[str, int]
) -> None:
    kaz1 = registration_id(app, "kaz1@example.org")
    for path in (
        "/manage/conferences/ttf9/registrations",
        "/manage/conferences/ttf9/registrations.csv",
        "/manage/conferences/ttf9/registrations.xlsx",
        "/manage/conferences/ttf9/registration/settings",
        "/manage/conferences/ttf9/registration/focal-points",
        f"/manage/conferences/ttf9/registrations/{kaz1}",
    ):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/account/login" in response.headers["Location"]


def test_list_filters_and_counts_per_member_and_mode(
    organizer_client: FlaskClient, ttf9: dict[str, int]
) -> None:
    page = organizer_client.get("/manage/conferences/ttf9/registrations").text
    assert "4 registrations" in page
    assert '<tr data-member="KAZ"><td>🇰🇿 Kazakhstan</td><td>1</td><td>1</td><td>2</td></tr>' in page
    online = organizer_client.get("/manage/conferences/ttf9/registrations?mode=online").text
    assert "2 registrations" in online
    assert "kaz2@example.org" in online
    assert "kaz1@example.org" not in online
    panel = organizer_client.get(
        f"/manage/conferences/ttf9/registrations?panel={ttf9['panel']}&mode=in_person"
    ).text
    assert "2 registrations" in panel
    assert "kaz2@example.org" not in panel
    nonsense = organizer_client.get("/manage/conferences/ttf9/registrations?status=bogus").text
    assert "4 registrations" in nonsense


def test_csv_export_follows_the_filter(organizer_client: FlaskClient, ttf9: dict[str, int]) -> None:
    response = organizer_client.get("/manage/conferences/ttf9/registrations.csv?mode=online")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # one charset
    disposition = parse_options_header(response.headers["Content-Disposition"])
    assert disposition == ("attachment", {"filename": "ttf9-registrations.csv"})
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert sorted(r["E-mail"] for r in rows) == ["ind1@example.org", "kaz2@example.org"]
    ind = next(r for r in rows if r["E-mail"] == "ind1@example.org")
    assert ind["Member"] == "India"
    assert ind["Mode"] == "Online"
    assert ind["Panels"] == "Energy security"
    assert ind["Position"] == "'=HYPERLINK(evil)"  # never a live formula in a spreadsheet
    assert ind["Status"] == "Pending"


def test_xlsx_export_holds_the_filtered_rows(
    app: Flask, organizer_client: FlaskClient, ttf9: dict[str, int]
) -> None:
    kaz = member_id(app, "KAZ")
    response = organizer_client.get(f"/manage/conferences/ttf9/registrations.xlsx?member={kaz}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:5] == ("Name", "Position", "Institution", "E-mail", "Member")
    assert sorted(row[3] for row in body) == ["kaz1@example.org", "kaz2@example.org"]
    assert {row[4] for row in body} == {"Kazakhstan"}


def test_organiser_rejects_with_a_reason_that_is_mailed(
    app: Flask, organizer_client: FlaskClient, ttf9: dict[str, int]
) -> None:
    chn1 = registration_id(app, "chn1@example.org")
    path = f"/manage/conferences/ttf9/registrations/{chn1}"
    assert "chn1@example.org" in organizer_client.get(path).text
    missing = organizer_client.post(path, data={"decision": "reject"})
    assert "Give a reason for the rejection" in missing.text
    organizer_client.post(path, data={"decision": "reject", "reason": "Registered twice."})
    mail = mails(app, to="chn1@example.org")[-1]
    assert "was not accepted" in mail["Subject"]
    assert "Reason: Registered twice." in mail.get_body().get_content()
    again = organizer_client.post(path, data={"decision": "approve"})
    assert "Only pending registrations can be approved" in again.text
    rejected = organizer_client.get("/manage/conferences/ttf9/registrations?status=rejected")
    assert "1 registration<" in rejected.text


def test_settings_form_validates_and_saves_in_conference_time(
    app: Flask, organizer_client: FlaskClient, ttf9: dict[str, int]
) -> None:
    path = "/manage/conferences/ttf9/registration/settings"
    page = organizer_client.get(path).text
    assert "Energy security" in page
    bad = organizer_client.post(
        path,
        data={
            "opens_at": "2030-12-01T09:00",
            "closes_at": "2030-11-01T09:00",
            "in_person_capacity": "-3",
            "panels": [str(ttf9["panel"])],
        },
    )
    assert "Registration must close after it opens." in bad.text
    assert "Enter 0 or a positive number." in bad.text
    assert 'value="2030-12-01T09:00"' in bad.text
    good = organizer_client.post(
        path,
        data={
            "opens_at": "2030-11-01T09:00",
            "closes_at": "2030-12-01T09:00",
            "in_person_capacity": "40",
            "delegation_total_quota": "5",
            "panels": [],
        },
        follow_redirects=True,
    )
    assert "Registration settings saved." in good.text
    with app.app_context():
        saved = db.session.scalar(db.select(RegistrationSettings))
        assert saved is not None
        assert saved.opens_at.isoformat() == "2030-11-01T01:00:00+00:00"  # Shanghai is UTC+8
        assert saved.in_person_capacity == 40
        assert saved.delegation_total_quota == 5
        assert saved.delegation_in_person_quota is None
        assert saved.approval_required is False
        assert saved.panel_ids == set()
