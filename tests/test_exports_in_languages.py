"""The secretariat's exports (registrations, attendance, audit log) in the downloading
person's language: column titles, statuses, modes, yes/no and roles in Russian and Kazakh;
the columns, their order, e-mails, ids and ISO times the same in every language."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from registration.attendance.checkin import Scan, check_in
from registration.conferences.models import Conference
from registration.database import db
from registration.signup.models import AttendanceMode, RegistrationStatus
from tests.attendance_support import add_registration, payload_of

WORDS = {
    # language: registrations' first titles, a status, a mode, "yes", attendance's sheet,
    # the audit log's words for an export
    "ru": (
        ("Фамилия и имя", "Должность"),
        "Утверждена",
        "Онлайн",
        "да",
        "Посещаемость",
        "Персональные данные выгружены",
    ),
    "kk": (
        ("Тегі мен аты", "Лауазымы"),
        "Бекітілді",
        "Онлайн",
        "иә",
        "Қатысу",
        "Жеке деректер экспортталды",
    ),
}


@pytest.fixture
def seeded(
    app: Flask, members: None, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> dict[str, int]:
    conference = make_conference(slug="ttf-lang")
    panel = make_panel(conference)
    aigerim = add_registration(app, conference, "Aigerim Sadykova", member="KAZ")
    li = add_registration(
        app,
        conference,
        "Li Wei",
        member="CHN",
        mode=AttendanceMode.ONLINE,
        status=RegistrationStatus.PENDING,
    )
    with app.app_context():
        conf = db.session.get(Conference, conference)
        check_in(conf, Scan("lang-1", panel_id=panel, badge=payload_of(app, aigerim)), None)
    return {"conference": conference, "aigerim": aigerim, "li": li}


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def english_titles(client: FlaskClient, path: str) -> list[str]:
    return csv_rows(client.get(f"{path}?lang=en").data)[0]


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_registrations_export_in_the_page_language(
    organizer_client: FlaskClient, seeded: dict[str, int], language: str
) -> None:
    titles, approved, online, *_ = WORDS[language]
    path = "/manage/conferences/ttf-lang/registrations.csv"
    english = english_titles(organizer_client, path)
    response = organizer_client.get(f"{path}?lang={language}")
    assert response.status_code == 200
    assert "ttf-lang-registrations.csv" in response.headers["Content-Disposition"]
    header, *rows = csv_rows(response.data)
    assert len(header) == len(english)
    assert tuple(header[:2]) == titles
    assert header != english
    assert all(len(row) == len(header) for row in rows)
    by_email = {row[3]: row for row in rows}  # the e-mail column, where it always is
    aigerim = by_email["aigerim.sadykova@example.org"]
    assert aigerim[english.index("Status")] == approved
    assert by_email["li.wei@example.org"][english.index("Mode")] == online
    assert aigerim[english.index("Member code")] == "KAZ"

    workbook = organizer_client.get(f"{path.removesuffix('.csv')}.xlsx?lang={language}")
    sheet = load_workbook(io.BytesIO(workbook.data)).active
    assert list(next(sheet.iter_rows(values_only=True))) == header
    assert approved in {row[english.index("Status")] for row in sheet.iter_rows(values_only=True)}


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_attendance_export_in_the_page_language(
    organizer_client: FlaskClient, seeded: dict[str, int], language: str
) -> None:
    _titles, approved, _online, yes, sheet_title, _ = WORDS[language]
    path = "/manage/conferences/ttf-lang/attendance/export.csv"
    english = english_titles(organizer_client, path)
    header, *rows = csv_rows(organizer_client.get(f"{path}?lang={language}").data)
    assert len(header) == len(english)
    assert header != english
    assert all(len(row) == len(header) for row in rows)
    by_id = {int(row[0]): row for row in rows}  # the registration's id, first in every language
    aigerim = by_id[seeded["aigerim"]]
    assert aigerim[english.index("Status")] == approved
    assert aigerim[english.index("Attended")] == yes
    assert aigerim[english.index("E-mail")] == "aigerim.sadykova@example.org"
    # The times stay ISO's; their columns' titles name the zone by its id, in any language.
    first_seen = english[english.index("First seen (Asia/Shanghai)")]
    assert first_seen == "First seen (Asia/Shanghai)"
    assert header[english.index(first_seen)].endswith(" (Asia/Shanghai)")
    assert not header[english.index(first_seen)].startswith("First seen")
    assert aigerim[english.index(first_seen)][:2] == "20"

    workbook = organizer_client.get(f"{path.removesuffix('.csv')}.xlsx?lang={language}")
    sheet = load_workbook(io.BytesIO(workbook.data)).active
    assert sheet.title == sheet_title
    assert list(next(sheet.iter_rows(values_only=True))) == header
    assert approved in {row[english.index("Status")] for row in sheet.iter_rows(values_only=True)}


def test_attendance_export_writes_a_day_in_the_page_language(
    app: Flask, organizer_client: FlaskClient, seeded: dict[str, int]
) -> None:
    """A day's attendance reads as on the participants page, not 'Day 2030-12-29'."""
    with app.app_context():
        conference = db.session.get(Conference, seeded["conference"])
        badge = payload_of(app, seeded["aigerim"])
        check_in(conference, Scan("lang-day", day=date(2030, 12, 29), badge=badge), None)
    path = "/manage/conferences/ttf-lang/attendance/export"
    english = english_titles(organizer_client, f"{path}.csv")
    column = english.index("Sessions and days")
    expected = {
        "en": "Day 29 December 2030",
        "ru": "День 29 декабря 2030\u202fг.",  # Babel: a narrow no-break space
        "kk": "2030\u202fж. 29 желтоқсан күні",
    }
    for language, day in expected.items():
        _, *rows = csv_rows(organizer_client.get(f"{path}.csv?lang={language}").data)
        aigerim = next(row for row in rows if int(row[0]) == seeded["aigerim"])
        assert aigerim[column].endswith(f"; {day}")
        workbook = organizer_client.get(f"{path}.xlsx?lang={language}")
        sheet = load_workbook(io.BytesIO(workbook.data)).active
        assert any(
            str(row[0]) == str(seeded["aigerim"]) and row[column].endswith(day)
            for row in sheet.iter_rows(values_only=True)
        )
        page = organizer_client.get(
            f"/manage/conferences/ttf-lang/attendance/participants?lang={language}"
        )
        assert day in page.text


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_audit_csv_in_the_page_language(
    organizer_client: FlaskClient, seeded: dict[str, int], language: str
) -> None:
    organizer_client.get("/manage/conferences/ttf-lang/registrations.csv")  # an entry to show
    path = "/manage/conferences/ttf-lang/audit.csv"
    english_header, *english_rows = csv_rows(organizer_client.get(f"{path}?lang=en").data)
    header, *rows = csv_rows(organizer_client.get(f"{path}?lang={language}").data)
    assert len(header) == len(english_header)
    assert header != english_header
    what, entry = english_header.index("What"), english_header.index("Entry")
    exported = next(row for row in english_rows if row[what] == "Personal data exported")
    same = next(row for row in rows if row[entry] == exported[entry])  # ids as they are
    assert same[what] == WORDS[language][5]
    assert same[english_header.index("Time zone")] == "Asia/Shanghai"


@pytest.mark.parametrize(("language", "changed"), [("ru", "Статус"), ("kk", "Мәртебесі")])
def test_audit_csv_changes_in_the_page_language(
    organizer_client: FlaskClient, seeded: dict[str, int], language: str, changed: str
) -> None:
    li = seeded["li"]
    organizer_client.post(
        f"/manage/conferences/ttf-lang/registrations/{li}", data={"decision": "approve"}
    )
    path = f"/manage/conferences/ttf-lang/audit.csv?lang={language}"
    _header, *rows = csv_rows(organizer_client.get(path).data)
    changes = [row[6] for row in rows if row[6]]  # the changes, seventh in every language
    assert any(c.startswith(f"{changed}: ") and WORDS[language][1] in c for c in changes)
