"""Uploaded files: a size limit with a clear 413 page, the encoding found (or a clear
message), CSV problems as "line N: what is wrong", and nothing saved when a file is refused."""

from __future__ import annotations

import base64
import io
import zlib
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.attendance.models import AttendanceEvent
from registration.database import db
from registration.invitations.models import Invitation
from registration.jobs.models import Job
from registration.uploads import UploadError, csv_rows, read_text
from tests.test_meeting_report_imports import DATA, counts, seeded  # noqa: F401 (fixture)

LIST = "/manage/conferences/ttf9/invitations/list"


def invitations(app: Flask) -> list[tuple[str, str]]:
    with app.app_context():
        found = db.session.execute(db.select(Invitation.name, Invitation.email)).all()
        batches = db.session.scalar(db.select(db.func.count()).select_from(Job))
    assert batches == (1 if found else 0), "a batch exactly when invitations were made"
    return [tuple(row) for row in found]


def send_list(client: FlaskClient, content: bytes, name: str = "people.csv"):
    return client.post(
        LIST,
        data={"list-upload": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


@pytest.fixture
def ttf9(make_conference: Callable[..., int], members: None) -> int:
    return make_conference(slug="ttf9")


def test_a_file_over_the_limit_gets_a_413_page_and_nothing_is_saved(
    app: Flask, organizer_client: FlaskClient, ttf9: int
) -> None:
    line = b"Anna Petrova, anna@example.org, RUS, participant\n"
    too_big = line * (app.config["UPLOAD_MAX_BYTES"] // len(line) + 1)
    response = send_list(organizer_client, too_big)
    assert response.status_code == 413
    assert "larger than the 5 MB this site accepts, so nothing was saved" in response.text
    assert "<h1>413</h1>" in response.text
    assert invitations(app) == []


def test_a_windows_cyrillic_list_is_read_as_cyrillic(
    app: Flask, organizer_client: FlaskClient, ttf9: int
) -> None:
    people = (
        "Имя,Электронная почта,Государство,Роль\n"
        "Айдар Сейтқазы,aidar@example.kz,KAZ,participant\n"
        "Сергей Иванов,sergey@example.ru,RUS,observer\n"
        "Мария Петрова,maria@example.ru,RUS,participant\n"
    )
    response = send_list(organizer_client, people.replace("қ", "к").encode("cp1251"))
    assert response.status_code == 302
    assert sorted(invitations(app)) == [
        ("Айдар Сейтказы", "aidar@example.kz"),
        ("Мария Петрова", "maria@example.ru"),
        ("Сергей Иванов", "sergey@example.ru"),
    ]
    page = organizer_client.get(response.headers["Location"]).text
    assert "read as Windows-1251 (Cyrillic)" in page


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), "This file is an Excel workbook"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)), "This file is a PDF document"),
        (bytes(range(256)) * 8, "not text in an encoding we recognise"),
    ],
)
def test_a_file_that_is_not_text_gets_a_clear_message(
    app: Flask, organizer_client: FlaskClient, ttf9: int, content: bytes, message: str
) -> None:
    response = send_list(organizer_client, content)
    assert response.status_code == 422
    assert message in response.text
    assert "CSV UTF-8" in response.text
    assert invitations(app) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'Anna, anna@example.org\n"Li Wei, li@example.org\n', "line 2: a quoted cell is not"),
        (b"Anna, anna@example.org\nLi\x00Wei, li@example.org\n", "line 2: cell 1 contains U+0000"),
        (b"Anna, anna@example.org\rLi Wei\r, li@example.org\r", "line 3: the name is missing"),
        (b'Anna, "' + b"x" * 140_000 + b'"\n', "line 1: a cell is longer than 131,072"),
        (b"A" * 201 + b", anna@example.org\n", "line 1: the name is longer than 200"),
    ],
)
def test_csv_problems_are_reported_by_line_and_nothing_is_saved(
    app: Flask, organizer_client: FlaskClient, ttf9: int, content: bytes, message: str
) -> None:
    response = send_list(organizer_client, content)
    assert response.status_code == 422
    assert message in response.text
    assert invitations(app) == []


def test_read_text_and_csv_rows() -> None:
    assert read_text("Zoë,zoe@example.org".encode("utf-16")).content == "Zoë,zoe@example.org"
    assert read_text(b"\xef\xbb\xbfa,b").encoding == "UTF-8"
    with pytest.raises(UploadError, match="says it is UTF-16 but byte"):
        read_text(b"\xff\xfea\x00\x00\xd8")
    rows = csv_rows('a,b\n"multi\nline"\nc,d\n'.replace("multi\nline", "quoted, cell"))
    assert [(row.line, row.cells) for row in rows] == [
        (1, ["a", "b"]),
        (2, ["quoted, cell"]),
        (3, ["c", "d"]),
    ]
    with pytest.raises(UploadError, match=r"^line 2: cell 1 contains U\+000A \(LINE FEED\)"):
        csv_rows('a\n"two\nlines"\n')


def test_a_report_over_the_limit_gets_a_413_page(
    app: Flask,
    organizer_client: FlaskClient,
    seeded: int,  # noqa: F811
) -> None:
    response = organizer_client.post(
        f"/manage/conferences/ttf-9/attendance/panels/{seeded}/import",
        data={
            "platform": "zoom_report",
            "timezone": "Asia/Shanghai",
            "report": (io.BytesIO(b"x" * (app.config["UPLOAD_MAX_BYTES"] + 1)), "big.csv"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "nothing was saved" in response.text


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Li Wei,li.wei@siis.org.cn,12/28/0001 10:00 AM,12/28/2030 11:00 AM,60", "cannot read"),
        ("Li Wei,li.wei@siis.org.cn,12/28/2030 10:00 AM,12/28/2030 11:00 AM,99999999999", "dur"),
        ("Li Wei,li.wei@siis.org.cn,12/28/2030 10:00 AM,12/28/2030 11:00 AM,²", "duration"),
        ("Li\x07Wei,li.wei@siis.org.cn,12/28/2030 10:00 AM,12/28/2030 11:00 AM,60", "U+0007"),
    ],
)
def test_a_report_row_that_cannot_be_read_is_named_by_its_line(
    app: Flask,
    organizer_client: FlaskClient,
    seeded: int,  # noqa: F811
    line: str,
    message: str,
) -> None:
    report = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n" + line
    response = organizer_client.post(
        f"/manage/conferences/ttf-9/attendance/panels/{seeded}/import",
        data={
            "platform": "zoom_report",
            "timezone": "Asia/Shanghai",
            "report": (io.BytesIO(report.encode()), "zoom.csv"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Line 2: " in response.text
    assert message in response.text
    assert counts(app) == (0, 0)


def _packed(content: bytes) -> str:
    return base64.b64encode(zlib.compress(content, 9)).decode()


@pytest.mark.parametrize(
    "fields",
    [
        {"platform": "zoom_report"},
        {"platform": "zoom_report", "timezone": "Asia/" + "x" * 5000},
        {"platform": "zoom_report", "timezone": "../../etc/passwd"},
        {"platform": "zoom_report", "timezone": "Asia/Shanghai\x00"},
        {"platform": "nope", "timezone": "Asia/Shanghai"},
    ],
)
def test_a_damaged_confirmation_is_sent_back_to_the_upload(
    app: Flask,
    organizer_client: FlaskClient,
    seeded: int,  # noqa: F811
    fields: dict[str, str],
) -> None:
    content = _packed((DATA / "zoom_participants.csv").read_bytes())
    response = organizer_client.post(
        f"/manage/conferences/ttf-9/attendance/panels/{seeded}/import/confirm",
        data={**fields, "content": content},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "upload the report again" in response.text
    assert counts(app) == (0, 0)


def test_a_confirmation_that_unpacks_beyond_the_limit_is_refused(
    app: Flask,
    organizer_client: FlaskClient,
    seeded: int,  # noqa: F811
) -> None:
    bomb = _packed(b"\n" * (app.config["UPLOAD_MAX_BYTES"] + 1))
    assert len(bomb) < 20_000
    response = organizer_client.post(
        f"/manage/conferences/ttf-9/attendance/panels/{seeded}/import/confirm",
        data={"platform": "zoom_report", "timezone": "Asia/Shanghai", "content": bomb},
        follow_redirects=True,
    )
    assert "The preview expired or was damaged" in response.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(AttendanceEvent)) == 0


def test_a_list_file_refused_in_the_page_language(
    app: Flask, organizer_client: FlaskClient, ttf9: int
) -> None:
    organizer_client.get(f"{LIST.rsplit('/', 1)[0]}/?lang=ru")  # the switch: the session's
    unclosed = send_list(organizer_client, b'Anna, anna@example.org\n"Li Wei, li@example.org\n')
    assert "строка 2: ячейка в кавычках не закрыта" in unclosed.text
    control = send_list(organizer_client, b"Anna, anna@example.org\nLi\x00Wei, li@example.org\n")
    assert "строка 2: ячейка 1 содержит U+0000" in control.text
    workbook = send_list(organizer_client, b"PK\x03\x04\x14\x00\x06\x00" + bytes(200))
    assert "Этот файл — книга Excel или другой архивированный документ" in workbook.text
    assert "В Excel выберите Файл &gt; Сохранить как &gt; «CSV UTF-8»" in workbook.text
    assert invitations(app) == []
