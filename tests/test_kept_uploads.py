"""A file sent with a form that comes back for a mistake in another field is kept: stored as
a pending upload, carried by a signed token in a hidden field, and used when the form is
sent again without a new file. A refused file is not kept; a token for another question or
a forged one keeps nothing; pending files older than a day are swept."""

from __future__ import annotations

import io
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration import files, pending_uploads
from registration.database import db
from registration.signup import photos
from registration.signup.links import manage_token
from registration.signup.models import Answer, PersonalFile, Registration
from tests.attendance_support import add_registration
from tests.delegate_support import PDF, add_question, picture
from tests.signup_support import form_data, member_id, open_registration

pytestmark = pytest.mark.usefixtures("members")
REGISTER = "/conferences/ttf9/register"


@pytest.fixture
def scans(app: Flask, make_conference: Callable[..., int], organizer_client: FlaskClient) -> int:
    """ttf9 open for registration, asking everyone for a scan (a required file)."""
    open_registration(app, make_conference(slug="ttf9"))
    with app.app_context():
        return add_question(organizer_client, "ttf9", "Passport scan", "file", required="y")


def _post(client: FlaskClient, data: dict[str, object]):
    return client.post(REGISTER, data=data, content_type="multipart/form-data")


def _kept_token(page: str, name: str) -> str:
    found = re.search(rf'<input type="hidden" name="{name}" value="([^"]+)"', page)
    assert found, f"no {name} on the page"
    return found.group(1)


def test_a_file_sent_with_a_mistake_elsewhere_is_kept_and_used_when_sent_again(
    app: Flask, client: FlaskClient, scans: int
) -> None:
    field = f"question_{scans}"
    data = form_data(member_id(app, "KAZ"), name="")
    first = _post(client, {**data, field: (io.BytesIO(PDF), "passport.pdf")})
    assert 'id="name-error"' in first.text
    assert "File passport.pdf is kept. Choose another file to replace it." in first.text
    assert f'aria-describedby="{field}-kept' in first.text
    token = _kept_token(first.text, f"{field}-kept")

    sent = _post(client, {**data, "name": "Aigerim Nurlanovna", f"{field}-kept": token})
    assert sent.status_code == 302, sent.text
    with app.app_context():
        answer = db.session.scalars(db.select(Answer).filter_by(question_id=scans)).one()
        assert answer.value == "passport.pdf"
        assert answer.file is not None
        assert files.read(answer.file.key) == PDF


def test_a_refused_file_is_not_kept_and_a_token_for_another_question_keeps_nothing(
    app: Flask, client: FlaskClient, scans: int, organizer_client: FlaskClient
) -> None:
    field = f"question_{scans}"
    data = form_data(member_id(app, "KAZ"), name="")
    refused = _post(client, {**data, field: (io.BytesIO(b"not a file we take"), "notes.pdf")})
    assert "is kept" not in refused.text
    assert f'name="{field}-kept"' not in refused.text

    with app.app_context():
        other = add_question(organizer_client, "ttf9", "Invitation letter", "file")
    letter = {f"question_{other}": (io.BytesIO(PDF), "letter.pdf")}
    first = _post(client, {**data, **letter, field: (io.BytesIO(PDF), "a.pdf")})
    other_token = _kept_token(first.text, f"question_{other}-kept")
    for token in (other_token, "forged-token", other_token[:-4] + "AAAA"):
        again = _post(client, {**data, "name": "Li Wei", f"{field}-kept": token})
        assert again.status_code == 200
        assert f'id="{field}-error">' in again.text
    with app.app_context():
        assert db.session.scalar(db.select(Registration)) is None
        assert db.session.scalar(db.select(PersonalFile)) is None


def test_a_photo_sent_with_a_crop_out_of_range_is_kept_for_the_next_try(
    app: Flask, client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    conference = make_conference(slug="ttf9")
    registration_id = add_registration(app, conference, "Aigerim Nurlanovna")
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        assert registration is not None
        page = f"/conferences/ttf9/registration/{manage_token(registration)}/photo"
    photo = picture("JPEG", (600, 800))
    data = {"photo": (io.BytesIO(photo), "me.jpg"), "zoom": 999, "x": 50, "y": 50}
    first = client.post(page, data=data, content_type="multipart/form-data")
    assert first.status_code == 422
    assert 'id="zoom-error"' in first.text
    assert "File me.jpg is kept. Choose another file to replace it." in first.text
    token = _kept_token(first.text, "photo-kept")

    saved = client.post(
        page,
        data={"zoom": 100, "x": 50, "y": 50, "photo-kept": token},
        content_type="multipart/form-data",
    )
    assert saved.status_code == 302, saved.text
    with app.app_context():
        assert photos.photo_of(registration_id) is not None
    nothing = client.post(page, data={"zoom": 100, "x": 50, "y": 50, "photo-kept": "forged"})
    assert nothing.status_code == 422
    assert 'id="photo-error"' in nothing.text


def test_pending_uploads_older_than_a_day_are_swept(app: Flask) -> None:
    with app.app_context():
        old = pending_uploads.keep(PDF, "old.pdf", "question:1")
        folder = Path(app.config["FILES_FOLDER"]) / "pending"
        day_ago = time.time() - pending_uploads.MAX_AGE_SECONDS - 60
        for path in folder.iterdir():
            os.utime(path, (day_ago, day_ago))
        new = pending_uploads.keep(PDF, "new.pdf", "question:1")
        assert pending_uploads.sweep() >= 1
        assert pending_uploads.take(old.token, "question:1") is None
        assert pending_uploads.take(new.token, "question:1") is not None
        assert pending_uploads.take(new.token, "question:2") is None
