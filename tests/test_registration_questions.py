"""Organisers add their own questions; registrants answer them on the form or after approval;
answers show on the review page, in the filters and the exports; sensitive answers reach
organisers only."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from registration.accounts.models import User
from registration.database import db
from registration.signup.models import Answer, FocalPoint, PersonalFile, Registration
from tests.conftest import PASSWORD
from tests.delegate_support import PDF, add_question, picture
from tests.signup_support import body, form_data, mails, member_id, open_registration


@pytest.fixture
def ttf9(app: Flask, members: None, make_conference: Callable[..., int]) -> int:
    conference_id = make_conference(slug="ttf9")
    open_registration(app, conference_id)
    return conference_id


@pytest.fixture
def questions(app: Flask, ttf9: int, organizer_client: FlaskClient) -> dict[str, int]:
    """Four questions: dietary needs (all), arrival date (in person, required), passport
    number (in person, sensitive, required), nationality (country, in person, sensitive)."""
    with app.app_context():
        return {
            "diet": add_question(
                organizer_client,
                "ttf9",
                "Dietary needs",
                "single_choice",
                options="None\nVegetarian\nHalal",
                required="y",
            ),
            "arrival": add_question(
                organizer_client, "ttf9", "Arrival date", "date", audience="in_person", required="y"
            ),
            "passport": add_question(
                organizer_client,
                "ttf9",
                "Passport number",
                "short_text",
                audience="in_person",
                required="y",
                sensitive="y",
            ),
            "nationality": add_question(
                organizer_client,
                "ttf9",
                "Nationality",
                "country",
                audience="in_person",
                sensitive="y",
            ),
        }


def answers_of(app: Flask, email: str) -> dict[str, str]:
    with app.app_context():
        rows = db.session.scalars(
            db.select(Answer).join(Registration).where(Registration.email == email)
        ).all()
        return {answer.question.label: answer.value for answer in rows}


def _register(client: FlaskClient, app: Flask, q: dict[str, int], **fields: object):
    data = form_data(
        member_id(app, "KAZ"),
        **{
            f"question_{q['diet']}": "Halal",
            f"question_{q['arrival']}": "2030-12-27",
            f"question_{q['passport']}": "N1234567",
            f"question_{q['nationality']}": "KZ",
            **fields,
        },
    )
    return client.post("/conferences/ttf9/register", data=data, content_type="multipart/form-data")


def test_the_organiser_builds_the_questions_and_the_form_asks_them(
    app: Flask, client: FlaskClient, questions: dict[str, int], organizer_client: FlaskClient
) -> None:
    listing = organizer_client.get("/manage/conferences/ttf9/questions/").text
    for label in ("Dietary needs", "Arrival date", "Passport number", "Nationality"):
        assert label in listing
    assert "Vegetarian" in listing
    page = app.test_client().get("/conferences/ttf9/register").text
    assert "Dietary needs" in page
    assert 'value="Halal"' in page
    assert 'type="date"' in page
    assert "For participants attending in person." in page
    assert '<option value="KZ">Kazakhstan</option>' in page
    russian = app.test_client().get("/conferences/ttf9/register?lang=ru").text
    assert '<option value="KZ">Казахстан</option>' in russian


def test_a_question_without_enough_choices_is_refused_with_the_values_kept(
    app: Flask, ttf9: int, organizer_client: FlaskClient
) -> None:
    response = organizer_client.post(
        "/manage/conferences/ttf9/questions/",
        data={"label": "Hotel", "kind": "single_choice", "options": "Only one", "audience": "all",
              "stage": "registration"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "Give at least two choices, one per line." in response.text
    assert 'value="Hotel"' in response.text
    assert "Only one</textarea>" in response.text


def test_missing_and_wrong_answers_come_back_next_to_their_fields_with_every_value_kept(
    app: Flask, client: FlaskClient, questions: dict[str, int]
) -> None:
    response = _register(
        client,
        app,
        questions,
        **{
            f"question_{questions['passport']}": "",
            f"question_{questions['arrival']}": "2030-02-30",
            f"question_{questions['nationality']}": "XX",
        },
    )
    assert response.status_code == 200
    page = response.text
    assert f'id="question_{questions["passport"]}-error">Answer this question.' in page
    assert f'id="question_{questions["arrival"]}-error">' in page
    assert f'id="question_{questions["nationality"]}-error">' in page
    diet = questions["diet"]
    assert f'checked id="question_{diet}-2" name="question_{diet}" required type="radio"' in page
    assert 'value="Aigerim Nurlanovna"' in page
    assert 'value="2030-02-30"' in page
    with app.app_context():
        assert db.session.scalar(db.select(Registration)) is None


def test_answers_are_stored_and_in_person_questions_are_not_asked_online(
    app: Flask, client: FlaskClient, questions: dict[str, int]
) -> None:
    assert _register(client, app, questions).status_code == 302
    assert answers_of(app, "aigerim@kisi.example") == {
        "Dietary needs": "Halal",
        "Arrival date": "2030-12-27",
        "Passport number": "N1234567",
        "Nationality": "KZ",
    }
    online = _register(
        client,
        app,
        questions,
        email="online@example.org",
        mode="online",
        **{f"question_{questions['passport']}": ""},
    )
    assert online.status_code == 302, online.text
    assert answers_of(app, "online@example.org") == {"Dietary needs": "Halal"}


@pytest.fixture
def kaz_focal_point(
    app: Flask, ttf9: int, make_organizer: Callable[..., User], login: Callable[[str], None]
) -> FlaskClient:
    user = make_organizer("focal@mfa.kz.example", organizer=False)
    with app.app_context():
        db.session.add(
            FocalPoint(user_id=user.id, conference_id=ttf9, member_id=member_id(app, "KAZ"))
        )
        db.session.commit()
    focal = app.test_client()
    signed_in = focal.post(
        "/account/login", data={"email": "focal@mfa.kz.example", "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    return focal


def _registration_id(app: Flask, email: str = "aigerim@kisi.example") -> int:
    with app.app_context():
        found = db.session.scalar(db.select(Registration.id).filter_by(email=email))
        assert found is not None
        return found


def test_sensitive_answers_reach_organisers_only(
    app: Flask,
    client: FlaskClient,
    questions: dict[str, int],
    organizer_client: FlaskClient,
    kaz_focal_point: FlaskClient,
) -> None:
    assert _register(client, app, questions).status_code == 302
    rid = _registration_id(app)
    organiser_view = organizer_client.get(f"/manage/conferences/ttf9/registrations/{rid}").text
    assert "N1234567" in organiser_view
    assert "Kazakhstan" in organiser_view
    assert "Halal" in organiser_view
    focal_view = kaz_focal_point.get(f"/delegation/ttf9/registrations/{rid}")
    assert focal_view.status_code == 200
    assert "Halal" in focal_view.text
    assert "N1234567" not in focal_view.text
    assert "Passport number" not in focal_view.text
    anonymous = app.test_client().get(f"/manage/conferences/ttf9/registrations/{rid}")
    assert anonymous.status_code == 302
    assert "/account/login" in anonymous.headers["Location"]
    refused = kaz_focal_point.get(f"/manage/conferences/ttf9/registrations/{rid}")
    assert refused.status_code == 403
    assert "N1234567" not in refused.text


def test_exports_leave_sensitive_answers_out_unless_asked(
    app: Flask, client: FlaskClient, questions: dict[str, int], organizer_client: FlaskClient
) -> None:
    assert _register(client, app, questions).status_code == 302
    plain = organizer_client.get("/manage/conferences/ttf9/registrations.csv")
    rows = list(csv.reader(io.StringIO(plain.data.decode("utf-8-sig"))))
    assert rows[0][-2:] == ["Dietary needs", "Arrival date"]
    assert rows[1][-2:] == ["Halal", "2030-12-27"] or rows[1][-2] == "Halal"
    assert "N1234567" not in plain.data.decode("utf-8-sig")
    full = organizer_client.get("/manage/conferences/ttf9/registrations.xlsx?sensitive=1")
    sheet = load_workbook(io.BytesIO(full.data)).active
    header = [cell.value for cell in sheet[1]]
    values = [cell.value for cell in sheet[2]]
    assert header[-2:] == ["Passport number", "Nationality"]
    assert values[-2:] == ["N1234567", "Kazakhstan"]
    page = organizer_client.get("/manage/conferences/ttf9/registrations").text
    assert "sensitive=1" in page


def test_the_list_filters_by_an_answer(
    app: Flask, client: FlaskClient, questions: dict[str, int], organizer_client: FlaskClient
) -> None:
    assert _register(client, app, questions).status_code == 302
    assert (
        _register(
            client,
            app,
            questions,
            email="veg@example.org",
            name="Vera Vegetarian",
            **{f"question_{questions['diet']}": "Vegetarian"},
        ).status_code
        == 302
    )
    url = f"/manage/conferences/ttf9/registrations?q{questions['diet']}=Vegetarian"
    page = organizer_client.get(url).text
    assert "Vera Vegetarian" in page
    assert "Aigerim Nurlanovna" not in page
    assert f'id="filter-q{questions["diet"]}"' in page


def test_follow_up_questions_are_asked_after_approval_by_mail(
    app: Flask, client: FlaskClient, ttf9: int, organizer_client: FlaskClient
) -> None:
    with app.app_context():
        hotel = add_question(
            organizer_client,
            "ttf9",
            "Hotel",
            "yes_no",
            stage="follow_up",
            audience="in_person",
            required="y",
        )
        scan = add_question(
            organizer_client, "ttf9", "Passport scan", "file", stage="follow_up", sensitive="y"
        )
    assert (
        client.post("/conferences/ttf9/register", data=form_data(member_id(app, "KAZ"))).status_code
        == 302
    )
    rid = _registration_id(app)
    decided = organizer_client.post(
        f"/manage/conferences/ttf9/registrations/{rid}", data={"decision": "approve"}
    )
    assert decided.status_code == 302
    approval = mails(app, "aigerim@kisi.example")[-1]
    assert "The organisers have a few more questions for you" in body(approval)
    answers_page = next(line for line in body(approval).split() if "/answers" in line)
    path = answers_page.replace("http://localhost", "")
    page = client.get(path)
    assert page.status_code == 200
    assert "Hotel" in page.text
    assert "Passport scan" in page.text
    missing = client.post(path, data={}, content_type="multipart/form-data")
    assert missing.status_code == 422
    assert f'id="question_{hotel}-error">Answer this question.' in missing.text
    saved = client.post(
        path,
        data={f"question_{hotel}": "yes", f"question_{scan}": (io.BytesIO(PDF), "scan.pdf")},
        content_type="multipart/form-data",
    )
    assert saved.status_code == 302
    assert answers_of(app, "aigerim@kisi.example") == {"Hotel": "yes", "Passport scan": "scan.pdf"}
    review = organizer_client.get(f"/manage/conferences/ttf9/registrations/{rid}").text
    download = f"/manage/conferences/ttf9/registrations/{rid}/answers/{scan}/file"
    assert download in review
    fetched = organizer_client.get(download)
    assert fetched.data == PDF
    assert fetched.mimetype == "application/pdf"
    assert fetched.headers["Content-Disposition"].startswith("attachment")
    assert app.test_client().get(download).status_code == 302
    again = client.post(path, data={f"question_{hotel}": "no"}, content_type="multipart/form-data")
    assert again.status_code == 302, "the file on record stays without a new upload"
    assert answers_of(app, "aigerim@kisi.example")["Passport scan"] == "scan.pdf"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"just some text", "notes.pdf", "is not a JPEG or PNG image or a PDF document"),
        (b"GIF89a" + b"\x00" * 40, "photo.jpg", "is not a JPEG or PNG image or a PDF document"),
        (b"%PDF-1.4 truncated", "cut.pdf", "incomplete or damaged"),
        (picture()[:200], "cut.jpg", "cannot be read"),
        (b"", "empty.pdf", ""),
    ],
)
def test_files_are_checked_by_their_content(
    app: Flask,
    client: FlaskClient,
    ttf9: int,
    organizer_client: FlaskClient,
    content: bytes,
    name: str,
    message: str,
) -> None:
    with app.app_context():
        scan = add_question(organizer_client, "ttf9", "Document", "file", required="y")
    response = client.post(
        "/conferences/ttf9/register",
        data={**form_data(member_id(app, "KAZ")), f"question_{scan}": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert f'id="question_{scan}-error">' in response.text
    assert message in response.text
    with app.app_context():
        assert db.session.scalar(db.select(PersonalFile)) is None


def test_a_polyglot_picture_is_stored_as_the_picture_alone(
    app: Flask, client: FlaskClient, ttf9: int, organizer_client: FlaskClient
) -> None:
    with app.app_context():
        scan = add_question(organizer_client, "ttf9", "Document", "file")
    hidden = b"<html><script>alert(document.cookie)</script></html>PK\x03\x04zip"
    response = client.post(
        "/conferences/ttf9/register",
        data={
            **form_data(member_id(app, "KAZ")),
            f"question_{scan}": (io.BytesIO(picture("PNG") + hidden), "photo.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        from registration import files

        stored = db.session.scalar(db.select(PersonalFile))
        assert stored is not None
        assert stored.content_type == "image/png"
        content = files.read(stored.key)
    assert content.startswith(b"\x89PNG")
    assert b"<script>" not in content
    assert b"PK\x03\x04" not in content
