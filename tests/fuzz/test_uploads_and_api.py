"""Property-based tests of every upload (invitation lists, Zoom and Teams reports and their
confirmation) and of the check-in API. Random bytes, damaged CSV, other encodings, JSON of
any shape: no 500, nothing written by a refused file or call, and the attendance facts stay
consistent (every record has live events)."""

from __future__ import annotations

import base64
import io
import zlib
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st

from registration.attendance.models import AttendanceEvent, AttendanceRecord
from registration.database import db
from tests.attendance_support import add_registration, payload_of
from tests.fuzz.support import (
    any_text,
    fuzz,
    submit,
    succeeded,
    written,
)

DATA = Path(__file__).resolve().parent.parent / "data"
REPORTS = {
    "zoom_report": (DATA / "zoom_participants.csv").read_bytes(),
    "teams_report": (DATA / "teams_attendance.csv").read_bytes(),
}
LIST = (
    b"Name,E-mail,Member,Role\n"
    b"Anna Petrova,anna@example.org,RUS,observer\n"
    b"Li Wei,li@siis.example,CHN,speaker\n"
)


def _mutated(original: bytes) -> st.SearchStrategy[bytes]:
    """A file as damaged in transit or by hand: cut, spliced, re-encoded, or random."""
    text = original.decode("utf-16") if original.startswith(b"\xff\xfe") else original.decode()
    return st.one_of(
        st.binary(max_size=600),
        st.builds(lambda n: original[:n], st.integers(0, len(original))),
        st.builds(
            lambda at, junk: original[:at] + junk + original[at:],
            st.integers(0, len(original)),
            st.binary(min_size=1, max_size=40),
        ),
        st.builds(
            lambda at, junk: (text[:at] + junk + text[at:]).encode("utf-8", "replace"),
            st.integers(0, len(text)),
            any_text(30),
        ),
        st.sampled_from(["utf-16", "utf-16-le", "cp1251", "cp1252", "gb18030", "latin-1"]).map(
            lambda codec: text.encode(codec, "replace")
        ),
        st.just(original),
    )


@pytest.fixture
def ttf9(app: Flask, members: None, make_conference, make_panel) -> dict[str, Any]:
    conference_id = make_conference(slug="ttf-9")
    panel_id = make_panel(conference_id)
    people = [
        add_registration(app, conference_id, "Aigerim Sadykova", email="aigerim.sadykova@kisi.kz"),
        add_registration(app, conference_id, "Li Wei", member="CHN", email="li.wei@siis.org.cn"),
    ]
    return {"conference": conference_id, "panel": panel_id, "people": people}


def test_invitation_lists_uploaded_or_pasted(
    app: Flask, organizer_client: FlaskClient, ttf9: dict[str, Any]
) -> None:
    @fuzz(400)
    @given(
        content=_mutated(LIST),
        name=st.one_of(st.just("people.csv"), any_text(20)),
        paste=st.booleans(),
    )
    def send(content: bytes, name: str, paste: bool) -> None:
        if paste:
            data: dict[str, Any] = {"list-people": content.decode("utf-8", "replace")}
        else:
            data = {"list-upload": (io.BytesIO(content), name or "x.csv")}
        response = submit(
            organizer_client,
            "POST",
            "/manage/conferences/ttf-9/invitations/list",
            data=data,
            content_type="multipart/form-data",
        )
        if not succeeded(response):
            assert written() == set()

    send()


def test_meeting_report_uploads(
    app: Flask, organizer_client: FlaskClient, ttf9: dict[str, Any]
) -> None:
    url = f"/manage/conferences/ttf-9/attendance/panels/{ttf9['panel']}/import"

    @fuzz(400)
    @given(
        platform=st.sampled_from(list(REPORTS)),
        data=st.data(),
        zone=st.one_of(st.just("Asia/Shanghai"), st.just("America/New_York"), any_text(30)),
    )
    def upload(platform: str, data: st.DataObject, zone: str) -> None:
        content = data.draw(_mutated(REPORTS[platform]))
        response = submit(
            organizer_client,
            "POST",
            url,
            data={"platform": platform, "timezone": zone, "report": (io.BytesIO(content), "r.csv")},
            content_type="multipart/form-data",
        )
        assert response.status_code in {200, 422}
        assert written() == set(), "a preview writes nothing"

    upload()


def _packed(content: bytes) -> str:
    return base64.b64encode(zlib.compress(content)).decode()


def test_confirming_a_meeting_report(
    app: Flask, organizer_client: FlaskClient, ttf9: dict[str, Any]
) -> None:
    url = f"/manage/conferences/ttf-9/attendance/panels/{ttf9['panel']}/import/confirm"

    @fuzz(300)
    @given(
        platform=st.one_of(st.sampled_from(list(REPORTS)), any_text(15)),
        data=st.data(),
        zone=st.one_of(st.just("Asia/Shanghai"), any_text(30)),
        raw=st.booleans(),
    )
    def confirm(platform: str, data: st.DataObject, zone: str, raw: bool) -> None:
        original = REPORTS.get(platform, REPORTS["zoom_report"])
        content = data.draw(any_text(60)) if raw else _packed(data.draw(_mutated(original)))
        response = submit(
            organizer_client,
            "POST",
            url,
            data={"platform": platform, "timezone": zone, "content": content},
        )
        assert succeeded(response), "always back to a page, with a message"
        changed = written()
        assert changed <= {
            "attendance_events",
            "attendance_records",
            "audit_entries",
        }  # an import is audited
        _records_have_live_events(app)

    confirm()


def _records_have_live_events(app: Flask) -> None:
    with app.app_context():
        orphans = db.session.scalar(
            db.select(db.func.count())
            .select_from(AttendanceRecord)
            .where(
                ~db.select(AttendanceEvent.id)
                .where(
                    AttendanceEvent.registration_id == AttendanceRecord.registration_id,
                    AttendanceEvent.scope == AttendanceRecord.scope,
                    AttendanceEvent.undone_at.is_(None),
                )
                .exists()
            )
        )
    assert orphans == 0


JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False),
        any_text(30),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(any_text(10), children, max_size=3)
    ),
    max_leaves=6,
)


def test_the_check_in_api(app: Flask, organizer_client: FlaskClient, ttf9: dict[str, Any]) -> None:
    base = "/manage/conferences/ttf-9/checkin/api"
    payloads = [payload_of(app, person) for person in ttf9["people"]]
    valid = {
        "client_id": st.uuids().map(lambda u: u.hex),
        "payload": st.sampled_from(payloads),
        "registration_id": st.sampled_from(ttf9["people"]),
        "panel_id": st.just(ttf9["panel"]),
        "day": st.just("2030-12-28"),
    }
    body = st.fixed_dictionaries(
        {},
        optional={key: st.one_of(value, JSON_VALUES) for key, value in valid.items()},
    )

    @fuzz(700)
    @given(
        action=st.sampled_from(["scan", "scan", "undo", "search"]),
        json_body=st.one_of(body, body, JSON_VALUES),
        raw=st.one_of(st.none(), st.binary(max_size=60)),
        query=st.dictionaries(st.sampled_from(["q", "panel_id", "day"]), any_text(20), max_size=3),
    )
    def call(action: str, json_body: Any, raw: bytes | None, query: dict[str, str]) -> None:
        if action == "search":
            response = submit(organizer_client, "GET", f"{base}/search", query_string=query)
        elif raw is not None:
            response = submit(
                organizer_client, "POST", f"{base}/{action}", data=raw,
                content_type="application/json",
            )  # fmt: skip
        else:
            response = submit(organizer_client, "POST", f"{base}/{action}", json=json_body)
        assert response.is_json, response.status_code
        if response.status_code >= 400:
            assert response.json.get("reason"), response.json
            assert written() == set()
        _records_have_live_events(app)

    call()
