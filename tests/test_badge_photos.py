"""Badge photos: the person uploads one and crops it to the badge's frame; it is checked by
its content, printed on the badge and shown at check-in; only organisers and the person
reach it."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from pypdf import PdfReader

from registration import files
from registration.accounts.models import User
from registration.database import db
from registration.signup import photos
from registration.signup.links import manage_token
from registration.signup.models import FocalPoint, PersonalFile, Registration
from tests.attendance_support import add_registration
from tests.conftest import PASSWORD
from tests.delegate_support import picture
from tests.signup_support import member_id

pytestmark = pytest.mark.usefixtures("members")


@pytest.fixture
def delegate(app: Flask, make_conference: Callable[..., int]) -> tuple[int, str]:
    """An approved in-person delegate of ttf9: (registration id, their page's path)."""
    conference = make_conference(slug="ttf9")
    registration_id = add_registration(app, conference, "Aigerim Nurlanovna")
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        assert registration is not None
        return registration_id, f"/conferences/ttf9/registration/{manage_token(registration)}"


def _upload(client: FlaskClient, page: str, content: bytes, name: str = "me.jpg", **crop: int):
    data = {"photo": (io.BytesIO(content), name), "zoom": 100, "x": 50, "y": 50, **crop}
    return client.post(f"{page}/photo", data=data, content_type="multipart/form-data")


def _stored(app: Flask, registration_id: int) -> Image.Image:
    with app.app_context():
        photo = photos.photo_of(registration_id)
        assert photo is not None
        return Image.open(io.BytesIO(files.read(photo.key)))


def test_a_photo_is_cropped_to_the_badge_frame_where_the_person_chose(
    app: Flask, client: FlaskClient, delegate: tuple[int, str]
) -> None:
    registration_id, page = delegate
    assert 'id="photo-link"' in client.get(page).text
    assert client.get(f"{page}/photo").status_code == 200
    wide = Image.new("RGB", (1200, 600), "white")
    wide.paste(Image.new("RGB", (300, 600), "red"), (900, 0))  # the right quarter is red
    out = io.BytesIO()
    wide.save(out, "PNG")
    response = _upload(client, page, out.getvalue(), "wide.png", x=100)
    assert response.status_code == 302
    stored = _stored(app, registration_id)
    assert stored.format == "JPEG"
    assert stored.size == (600, 800)
    red, green, _blue = stored.getpixel((500, 400))
    assert red > 200, "the frame moved to the right edge shows the red part"
    assert green < 60
    again = _upload(client, page, picture(colour="navy"))
    assert again.status_code == 302
    with app.app_context():
        kept = db.session.scalars(db.select(PersonalFile).filter_by(purpose="photo")).all()
        assert len(kept) == 1, "a new photo replaces the old one"
    assert _stored(app, registration_id).getpixel((300, 400))[2] > 100
    own = client.get(f"{page}/photo.jpg")
    assert own.status_code == 200
    assert own.mimetype == "image/jpeg"
    assert own.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"%PDF-1.4\n%%EOF", "me.jpg", "is not a JPEG or PNG picture"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "me.svg", "is not a JPEG or PNG picture"),
        (picture(size=(120, 160)), "small.jpg", "too small"),
        (picture()[:300], "cut.jpg", "cannot be read"),
        (picture("GIF"), "me.gif", "is not a JPEG or PNG picture"),
    ],
)
def test_a_picture_that_is_not_a_usable_photo_is_refused_in_words(
    app: Flask,
    client: FlaskClient,
    delegate: tuple[int, str],
    content: bytes,
    name: str,
    message: str,
) -> None:
    response = _upload(client, delegate[1], content, name)
    assert response.status_code == 422
    assert 'id="photo-error"' in response.text
    assert message in response.text
    with app.app_context():
        assert photos.photo_of(delegate[0]) is None


def test_sliders_out_of_range_come_back_next_to_their_field(
    client: FlaskClient, delegate: tuple[int, str]
) -> None:
    response = _upload(client, delegate[1], picture(), zoom=900, x=-5)
    assert response.status_code == 422
    assert 'id="zoom-error"' in response.text
    assert 'id="x-error"' in response.text


def test_an_oversized_upload_gets_the_413_page(
    app: Flask, client: FlaskClient, delegate: tuple[int, str]
) -> None:
    big = b"\xff\xd8" + b"0" * (app.config["UPLOAD_MAX_BYTES"] + 10)
    response = _upload(client, delegate[1], big)
    assert response.status_code == 413
    assert "larger than" in response.text


def test_the_photo_is_on_the_badge_and_at_check_in(
    app: Flask, client: FlaskClient, organizer_client: FlaskClient, delegate: tuple[int, str]
) -> None:
    registration_id, page = delegate
    assert _upload(client, page, picture()).status_code == 302
    badge = client.get(f"{page}/badge").text
    assert f'src="{page}/photo.jpg"' in badge
    assert 'class="badge-card-photo"' in badge
    pdf = PdfReader(io.BytesIO(client.get(f"{page}/badge.pdf").data))
    assert pdf.pages[0].images, "the photo is printed on the PDF badge"
    organiser_photo = f"/manage/conferences/ttf9/registrations/{registration_id}/photo.jpg"
    sheet = organizer_client.get("/manage/conferences/ttf9/badges").text
    assert f'src="{organiser_photo}"' in sheet
    assert organizer_client.get(organiser_photo).mimetype == "image/jpeg"
    checkin = organizer_client.get("/manage/conferences/ttf9/checkin").text
    assert 'data-photo-url="/manage/conferences/ttf9/registrations/0/photo.jpg"' in checkin
    assert 'id="checkin-photo"' in checkin


def test_focal_points_and_visitors_cannot_reach_a_photo(
    app: Flask,
    client: FlaskClient,
    delegate: tuple[int, str],
    make_organizer: Callable[..., User],
) -> None:
    registration_id, page = delegate
    assert _upload(client, page, picture()).status_code == 302
    user = make_organizer("focal@mfa.kz.example", organizer=False)
    with app.app_context():
        conference_id = db.session.get(Registration, registration_id).conference_id
        db.session.add(
            FocalPoint(
                user_id=user.id, conference_id=conference_id, member_id=member_id(app, "KAZ")
            )
        )
        db.session.commit()
    focal = app.test_client()
    focal.post("/account/login", data={"email": "focal@mfa.kz.example", "password": PASSWORD})
    organiser_photo = f"/manage/conferences/ttf9/registrations/{registration_id}/photo.jpg"
    assert focal.get(organiser_photo).status_code == 403
    review = focal.get(f"/delegation/ttf9/registrations/{registration_id}").text
    assert "photo.jpg" not in review
    visitor = app.test_client()
    assert visitor.get(organiser_photo).status_code == 302
    forged = page.rsplit("/", 1)[0] + "/not-a-token"
    assert visitor.get(f"{forged}/photo.jpg").status_code in {302, 404}
    assert visitor.get(f"{forged}/photo.jpg").mimetype != "image/jpeg"
