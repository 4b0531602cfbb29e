"""Zoom and Teams attendance reports: parsed as exported, matched by e-mail, imported once."""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.attendance.models import AttendanceEvent, AttendanceRecord
from registration.attendance.reports import ReportError, read_teams, read_zoom
from registration.database import db
from registration.signup.models import AttendanceMode
from tests.attendance_support import add_registration
from tests.conftest import at

DATA = Path(__file__).parent / "data"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_zoom_report_with_meeting_data_is_read() -> None:
    rows = read_zoom((DATA / "zoom_participants.csv").read_bytes(), SHANGHAI)
    assert [r.name for r in rows][:3] == [
        "CICA Secretariat",
        "Aigerim Sadykova",
        "Aigerim Sadykova (Aigerim's iPad)",
    ]
    assert len(rows) == 7
    li = rows[3]
    assert li.email == "LI.WEI@SIIS.ORG.CN"
    assert li.joined_at.isoformat() == "2030-12-28T10:00:31+08:00"
    assert li.minutes == 118
    assert rows[5].email == ""


def test_newer_zoom_header_spelling_is_read() -> None:
    rows = read_zoom((DATA / "zoom_participants_2024.csv").read_bytes(), SHANGHAI)
    assert [(r.email, r.minutes) for r in rows] == [
        ("li.wei@siis.org.cn", 118),
        ("guest@unknown.example.org", 55),
    ]


@pytest.mark.parametrize("name", ["teams_attendance.csv", "teams_attendance_utf8.csv"])
def test_teams_report_utf16_tabs_and_utf8_commas(name: str) -> None:
    rows = read_teams((DATA / name).read_bytes(), SHANGHAI)
    assert [r.name for r in rows] == [
        "CICA Secretariat",
        "Rustam Nazarov (External)",
        "Aigerim Sadykova",
        "Unknown Caller",
    ]
    rustam = rows[1]
    assert rustam.minutes == 105
    assert rustam.joined_at.isoformat() == "2030-12-28T10:02:40+08:00"
    assert rustam.left_at.isoformat() == "2030-12-28T11:47:10+08:00"
    assert rows[2].email == "aigerim.sadykova@kisi.kz"
    assert rows[3].email == ""


def test_wrong_file_gets_a_clear_message() -> None:
    with pytest.raises(ReportError, match="not a Teams attendance report"):
        read_teams((DATA / "zoom_participants.csv").read_bytes(), SHANGHAI)
    with pytest.raises(ReportError, match="not a Zoom participants report"):
        read_zoom(b"just,some\ncolumns,here\n", SHANGHAI)


@pytest.fixture
def seeded(
    app: Flask,
    members: None,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
) -> int:
    conference = make_conference(slug="ttf-9")
    panel = make_panel(conference)
    add_registration(app, conference, "Aigerim Sadykova", email="Aigerim.Sadykova@kisi.kz")
    add_registration(
        app,
        conference,
        "Li Wei",
        member="CHN",
        email="li.wei@siis.org.cn",
        mode=AttendanceMode.ONLINE,
    )
    add_registration(
        app, conference, "Dilshod Karimov", member="UZB", email="dilshod.karimov@isrs.uz"
    )
    add_registration(
        app,
        conference,
        "Rustam Nazarov",
        member="TJK",
        email="rustam.nazarov@cssr.tj",
        mode=AttendanceMode.ONLINE,
    )
    return panel


def upload(client: FlaskClient, panel: int, platform: str, name: str) -> str:
    with (DATA / name).open("rb") as report:
        response = client.post(
            f"/manage/conferences/ttf-9/attendance/panels/{panel}/import",
            data={"platform": platform, "timezone": "Asia/Shanghai", "report": (report, name)},
            content_type="multipart/form-data",
        )
    assert response.status_code == 200, response.text
    return response.text


def confirm(client: FlaskClient, panel: int, preview: str) -> str:
    fields = {}
    for name in ("csrf_token", "platform", "timezone", "content"):
        marker = f'name="{name}" type="hidden" value="'
        if marker in preview:
            fields[name] = preview.split(marker, 1)[1].split('"', 1)[0]
    response = client.post(
        f"/manage/conferences/ttf-9/attendance/panels/{panel}/import/confirm",
        data=fields,
        follow_redirects=True,
    )
    assert response.status_code == 200
    return response.text


def counts(app: Flask) -> tuple[int, int]:
    with app.app_context():
        return (
            len(db.session.scalars(db.select(AttendanceRecord)).all()),
            len(db.session.scalars(db.select(AttendanceEvent)).all()),
        )


def test_zoom_import_preview_then_confirm_then_reimport(
    app: Flask, organizer_client: FlaskClient, seeded: int
) -> None:
    preview = upload(organizer_client, seeded, "zoom_report", "zoom_participants.csv")
    assert "4 rows matched (4 new, 0 already imported), 3 unmatched." in preview
    assert "guest@unknown.example.org" in preview
    assert counts(app) == (0, 0)
    page = confirm(organizer_client, seeded, preview)
    assert "4 attendance rows recorded" in page
    assert counts(app) == (3, 4)
    with app.app_context():
        aigerim = db.session.scalar(
            db.select(AttendanceRecord)
            .join(AttendanceRecord.registration)
            .where(AttendanceRecord.registration.has(name="Aigerim Sadykova"))
        )
        assert aigerim.online_minutes == 115
        assert aigerim.mode is AttendanceMode.ONLINE
        assert aigerim.first_seen.isoformat() == "2030-12-28T02:01:05+00:00"
        assert aigerim.last_seen.isoformat() == "2030-12-28T04:00:02+00:00"

    again = upload(organizer_client, seeded, "zoom_report", "zoom_participants.csv")
    assert "4 rows matched (0 new, 4 already imported)" in again
    page = confirm(organizer_client, seeded, again)
    assert "nothing new" in page
    assert counts(app) == (3, 4)


def test_teams_import_matches_upn_and_is_idempotent(
    app: Flask, organizer_client: FlaskClient, seeded: int
) -> None:
    preview = upload(organizer_client, seeded, "teams_report", "teams_attendance.csv")
    assert "2 rows matched (2 new, 0 already imported), 2 unmatched." in preview
    confirm(organizer_client, seeded, preview)
    assert counts(app) == (2, 2)
    same_in_utf8 = upload(organizer_client, seeded, "teams_report", "teams_attendance_utf8.csv")
    assert "(0 new, 2 already imported)" in same_in_utf8
    confirm(organizer_client, seeded, same_in_utf8)
    assert counts(app) == (2, 2)


def test_upload_errors_are_shown_next_to_the_field(
    organizer_client: FlaskClient, seeded: int
) -> None:
    with (DATA / "zoom_participants.csv").open("rb") as report:
        response = organizer_client.post(
            f"/manage/conferences/ttf-9/attendance/panels/{seeded}/import",
            data={
                "platform": "teams_report",
                "timezone": "Asia/Shanghai",
                "report": (report, "zoom.csv"),
            },
            content_type="multipart/form-data",
        )
    assert response.status_code == 422
    assert "not a Teams attendance report" in response.text
    assert '<option selected value="Asia/Shanghai">' in response.text
    response = organizer_client.post(
        f"/manage/conferences/ttf-9/attendance/panels/{seeded}/import",
        data={"platform": "zoom_report", "timezone": "Mars/Olympus"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Choose the report file." in response.text


@pytest.mark.parametrize(
    ("language", "content", "said"),
    [
        ("ru", "teams_bad_time", "Строка 6: не удаётся прочитать время 'yesterday'."),
        ("kk", "teams_bad_time", "6-жол: 'yesterday' уақытын оқу мүмкін емес."),
        ("ru", "unclosed", "Строка 2: ячейка в кавычках не закрыта"),
        ("kk", "unclosed", "2-жол: тырнақшадағы ұяшық жабылмаған"),
        ("ru", "zoom", "Это не отчёт Teams о посещаемости"),
        ("kk", "zoom", "Бұл Teams қатысу есебі емес"),
    ],
)
def test_report_errors_are_in_the_page_s_language(
    organizer_client: FlaskClient, seeded: int, language: str, content: str, said: str
) -> None:
    data = {
        "teams_bad_time": _teams_report("yesterday"),
        "unclosed": b'1. Summary\n"Meeting title,Panel 2\n',
        "zoom": (DATA / "zoom_participants.csv").read_bytes(),
    }[content]
    response = organizer_client.post(
        f"/manage/conferences/ttf-9/attendance/panels/{seeded}/import?lang={language}",
        data={
            "platform": "teams_report",
            "timezone": "Asia/Shanghai",
            "report": (io.BytesIO(data), "report.csv"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert said in page
    for english in ("cannot read the time", "a quoted cell is not closed", "not a Teams"):
        assert english not in page


def test_damaged_preview_asks_for_a_new_upload(
    app: Flask, organizer_client: FlaskClient, seeded: int
) -> None:
    response = organizer_client.post(
        f"/manage/conferences/ttf-9/attendance/panels/{seeded}/import/confirm",
        data={"platform": "zoom_report", "timezone": "Asia/Shanghai", "content": "bm90IHppcA=="},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "The preview expired or was damaged; upload the report again." in response.text
    assert counts(app) == (0, 0)


def _teams_report(*joins: str) -> bytes:
    """A Teams report as exported with a day-first (e.g. en-GB) locale."""
    lines = [
        "1. Summary",
        "Meeting title,Panel 2",
        "",
        "2. Participants",
        "Name,First Join,Last Leave,In-Meeting Duration,Email,Participant ID (UPN),Role",
    ]
    lines += [
        f'Person {n},"{join}","{join}",1h,p{n}@example.org,p{n}@example.org,Attendee'
        for n, join in enumerate(joins)
    ]
    return "\n".join(lines).encode()


def test_a_day_above_twelve_settles_the_date_order_for_the_whole_file() -> None:
    rows = read_teams(_teams_report("05/12/2030, 10:02:40", "28/12/2030, 10:05:00"), SHANGHAI)
    assert [r.joined_at.date().isoformat() for r in rows] == ["2030-12-05", "2030-12-28"]
    rows = read_teams(_teams_report("05/12/2030, 10:02:40", "12/28/2030, 10:05:00"), SHANGHAI)
    assert [r.joined_at.date().isoformat() for r in rows] == ["2030-05-12", "2030-12-28"]


def test_an_ambiguous_date_is_read_as_the_one_nearest_the_panel() -> None:
    report = _teams_report("05/12/2030, 10:02:40", "05/12/2030, 10:30:00")
    december = read_teams(report, SHANGHAI, near=at("2030-12-05 02:00"))
    assert december[0].joined_at.isoformat() == "2030-12-05T10:02:40+08:00"
    may = read_teams(report, SHANGHAI, near=at("2030-05-12 02:00"))
    assert may[0].joined_at.isoformat() == "2030-05-12T10:02:40+08:00"
