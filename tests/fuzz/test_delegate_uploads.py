"""Property-based tests of the delegates' uploads: badge photos and files given as answers.
Cut, spliced and random bytes, polyglots (a picture with a script, an archive or a PDF
inside), wrong names and types, absurd crop values: never a 500, a refusal writes nothing
(no row, no stored file; an accepted file sent with a refused crop is kept as a pending
upload), and what is stored or kept is only ever a clean JPEG, PNG or PDF."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from registration.database import db
from registration.signup.links import manage_token
from registration.signup.models import PersonalFile, Question, QuestionKind, Registration
from tests.attendance_support import add_registration
from tests.delegate_support import PDF, picture
from tests.fuzz.support import any_text, fuzz, submit, succeeded, written

HIDDEN = [
    b"<html><script>alert(document.cookie)</script></html>",
    b"PK\x03\x04\x14\x00\x00\x00zip",
    PDF,
    b"\x00" * 64,
    b"%PDF-1.4\n<script>x</script>",
]


def _files() -> st.SearchStrategy[bytes]:
    jpeg, png = picture("JPEG", (320, 400)), picture("PNG", (400, 320))
    base = st.sampled_from([jpeg, png, PDF])
    return st.one_of(
        st.binary(max_size=400),
        base,
        st.builds(lambda b, n: b[:n], base, st.integers(0, 2000)),
        st.builds(lambda b, junk: b + junk, base, st.sampled_from(HIDDEN)),
        st.builds(lambda b, junk: junk + b, base, st.sampled_from(HIDDEN)),
        st.builds(
            lambda b, at, junk: b[:at] + junk + b[at:],
            base,
            st.integers(0, 300),
            st.binary(min_size=1, max_size=30),
        ),
    )


@pytest.fixture
def delegate(app: Flask, members: None, make_conference) -> dict[str, Any]:
    conference_id = make_conference(slug="ttf9")
    registration_id = add_registration(app, conference_id, "Aigerim Nurlanovna")
    with app.app_context():
        question = Question(conference_id=conference_id, label="Document", kind=QuestionKind.FILE)
        db.session.add(question)
        db.session.commit()
        registration = db.session.get(Registration, registration_id)
        page = f"/conferences/ttf9/registration/{manage_token(registration)}"
        return {"page": page, "question": question.id, "id": registration_id}


def _on_disk(app: Flask) -> set[str]:
    """The stored files (pending uploads, in their own folder, are checked as kept ones)."""
    folder = Path(app.config["FILES_FOLDER"])
    found = folder.iterdir() if folder.exists() else iter(())
    return {p.name for p in found if p.name != "pending"}


def _stored_are_clean(app: Flask) -> None:
    from registration import files

    with app.app_context():
        contents = [files.read(f.key) for f in db.session.scalars(db.select(PersonalFile))]
        pending = Path(app.config["FILES_FOLDER"]) / "pending"
        if pending.exists():
            contents += [path.read_bytes() for path in pending.iterdir()]
        for content in contents:
            if content.startswith(b"%PDF-"):
                continue
            image = Image.open(io.BytesIO(content))
            assert image.format in {"JPEG", "PNG"}
            assert b"<script>" not in content
            assert b"PK\x03\x04" not in content


def test_badge_photo_uploads(app: Flask, client: FlaskClient, delegate: dict[str, Any]) -> None:
    @fuzz(250)
    @given(
        content=_files(),
        name=st.one_of(st.just("me.jpg"), any_text(20)),
        zoom=st.one_of(st.integers(-10, 1000), any_text(6)),
        x=st.one_of(st.integers(-10, 200), any_text(6)),
    )
    def upload(content: bytes, name: str, zoom: object, x: object) -> None:
        before = _on_disk(app)
        response = submit(
            client,
            "POST",
            f"{delegate['page']}/photo",
            data={"photo": (io.BytesIO(content), name or "x"), "zoom": zoom, "x": x, "y": 50},
            content_type="multipart/form-data",
        )
        if not succeeded(response):
            assert response.status_code in {400, 413, 422}
            assert written() == set()
            assert _on_disk(app) == before
        _stored_are_clean(app)

    upload()


def test_files_given_as_answers(app: Flask, client: FlaskClient, delegate: dict[str, Any]) -> None:
    field = f"question_{delegate['question']}"

    @fuzz(250)
    @given(content=_files(), name=st.one_of(st.just("scan.pdf"), any_text(20)))
    def answer(content: bytes, name: str) -> None:
        before = _on_disk(app)
        response = submit(
            client,
            "POST",
            f"{delegate['page']}/answers",
            data={field: (io.BytesIO(content), name or "x")},
            content_type="multipart/form-data",
        )
        if not succeeded(response):
            assert response.status_code in {400, 413, 422}
            assert written() == set()
            assert _on_disk(app) == before
        _stored_are_clean(app)

    answer()
