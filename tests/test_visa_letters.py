"""Visa support letters: a delegate asks, an organiser issues (numbered per conference) or
declines, the PDF is in every language of the meeting, a public page verifies it by the
code in its QR code, and a revoked letter says so. Passport data reaches organisers and the
person only."""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from registration.accounts.models import User
from registration.database import db
from registration.delegates.models import LetterStatus, VisaLetter
from registration.signup.links import manage_token
from registration.signup.models import FocalPoint, Registration, RegistrationStatus
from tests.attendance_support import add_registration
from tests.conftest import PASSWORD
from tests.signup_support import body, mails, member_id

pytestmark = pytest.mark.usefixtures("members")
REQUEST = {
    "passport_name": "NURLANOVNA AIGERIM",
    "passport_number": "N1234567",
    "nationality": "KZ",
    "arrival": "2030-12-27",
    "departure": "2030-12-30",
    "consulate_city": "Almaty",
}


@pytest.fixture
def conference(make_conference: Callable[..., int]) -> int:
    return make_conference(slug="ttf9")


def _page(app: Flask, registration_id: int) -> str:
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        assert registration is not None
        return f"/conferences/ttf9/registration/{manage_token(registration)}"


@pytest.fixture
def delegate(app: Flask, conference: int) -> tuple[int, str]:
    registration_id = add_registration(app, conference, "Aigerim Nurlanovna")
    return registration_id, _page(app, registration_id)


@dataclass(frozen=True)
class Letter:
    id: int
    status: LetterStatus
    number: int | None
    reference: str
    code: str


def _letter(app: Flask, registration_id: int) -> Letter:
    with app.app_context():
        letter = db.session.scalar(
            db.select(VisaLetter)
            .filter_by(registration_id=registration_id)
            .order_by(VisaLetter.id.desc())
        )
        assert letter is not None
        return Letter(letter.id, letter.status, letter.number, letter.reference, letter.code)


def test_a_request_with_mistakes_comes_back_with_every_value_kept(
    client: FlaskClient, delegate: tuple[int, str]
) -> None:
    page = delegate[1]
    assert 'id="letter-link"' in client.get(page).text
    wrong = {**REQUEST, "passport_number": "N1<>", "departure": "2030-12-20", "nationality": "XX"}
    response = client.post(f"{page}/visa-letter", data=wrong)
    assert response.status_code == 422
    assert 'id="passport_number-error"' in response.text
    assert "The departure must not be before the arrival." in response.text
    assert 'id="nationality-error"' in response.text
    assert 'value="NURLANOVNA AIGERIM"' in response.text
    assert 'value="Almaty"' in response.text
    assert 'value="2030-12-20"' in response.text


def test_issue_download_verify_and_revoke(
    app: Flask,
    client: FlaskClient,
    organizer_client: FlaskClient,
    delegate: tuple[int, str],
) -> None:
    registration_id, page = delegate
    assert client.post(f"{page}/visa-letter", data=REQUEST).status_code == 302
    assert 'data-status="requested"' in client.get(f"{page}/visa-letter").text
    letter = _letter(app, registration_id)
    listing = organizer_client.get("/manage/conferences/ttf9/visa-letters/").text
    assert "NURLANOVNA AIGERIM" in listing
    review = f"/manage/conferences/ttf9/visa-letters/{letter.id}"
    assert "N1234567" in organizer_client.get(review).text
    assert organizer_client.post(review, data={"decision": "issue"}).status_code == 302
    letter = _letter(app, registration_id)
    assert letter.status is LetterStatus.ISSUED
    assert letter.number == 1
    assert letter.reference == "TTF9/V/001"
    issued_mail = mails(app, "aigerim.nurlanovna@example.org")[-1]
    assert "TTF9/V/001" in body(issued_mail)
    assert "/visa-letter" in body(issued_mail)

    person_page = client.get(f"{page}/visa-letter").text
    assert 'id="letter-download"' in person_page
    pdf = client.get(f"{page}/visa-letter.pdf")
    assert pdf.mimetype == "application/pdf"
    assert pdf.headers["Cache-Control"] == "private, no-store"
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages]
    assert len(pages) == len(app.config["LANGUAGES"]) == 3
    english, russian, kazakh = pages
    verify = f"http://localhost/letters/{letter.code}"
    for text in pages:
        assert "TTF9/V/001" in text
        assert "N1234567" in text
        assert verify in text.replace("\n", "")
    assert "27 December 2030" in english
    assert "30 December 2030" in english
    assert "27 декабря 2030 г." in russian
    assert "Казахстан" in russian
    assert "2030 жылғы 27 желтоқсан" in kazakh
    assert "Қазақстан" in kazakh

    anyone = app.test_client()
    valid = anyone.get(f"/letters/{letter.code}")
    assert valid.status_code == 200
    assert 'data-status="valid"' in valid.text
    assert "NURLANOVNA AIGERIM" in valid.text
    assert "27 December 2030" in valid.text
    for secret in ("N1234567", "Almaty", "Kazakhstan"):
        assert secret not in valid.text, "the public page shows only the name and the dates"

    revoke = organizer_client.post(f"{review}/revoke", data={"reason": "Issued by mistake."})
    assert revoke.status_code == 302
    revoked = anyone.get(f"/letters/{letter.code}")
    assert 'data-status="revoked"' in revoked.text
    assert "Revoked." in revoked.text
    assert "Issued by mistake." in body(mails(app, "aigerim.nurlanovna@example.org")[-1])
    assert client.get(f"{page}/visa-letter.pdf").status_code == 404
    assert anyone.get("/letters/not-a-code").status_code == 404


def test_a_pending_registration_gets_no_letter_and_a_declined_request_can_be_sent_again(
    app: Flask, client: FlaskClient, organizer_client: FlaskClient, conference: int
) -> None:
    registration_id = add_registration(
        app, conference, "Li Wei", member="CHN", status=RegistrationStatus.PENDING
    )
    page = _page(app, registration_id)
    assert client.post(f"{page}/visa-letter", data=REQUEST).status_code == 302
    review = f"/manage/conferences/ttf9/visa-letters/{_letter(app, registration_id).id}"
    refused = organizer_client.post(review, data={"decision": "issue"})
    assert refused.status_code == 422
    assert "Approve the registration before issuing its letter." in refused.text
    no_reason = organizer_client.post(review, data={"decision": "decline"})
    assert no_reason.status_code == 422
    declined = organizer_client.post(
        review, data={"decision": "decline", "reason": "The passport number is incomplete."}
    )
    assert declined.status_code == 302
    again = client.get(f"{page}/visa-letter").text
    assert "The passport number is incomplete." in again
    assert 'value="N1234567"' in again, "the declined request fills the form again"


def test_online_participants_and_strangers_get_no_letter_page(
    app: Flask, client: FlaskClient, conference: int
) -> None:
    from registration.signup.models import AttendanceMode

    online = add_registration(app, conference, "Ivan Online", mode=AttendanceMode.ONLINE)
    assert client.get(f"{_page(app, online)}/visa-letter").status_code == 404
    forged = "/conferences/ttf9/registration/forged/visa-letter"
    assert client.get(forged).status_code == 302


def test_focal_points_and_visitors_cannot_reach_passport_data(
    app: Flask,
    client: FlaskClient,
    delegate: tuple[int, str],
    make_organizer: Callable[..., User],
    conference: int,
) -> None:
    registration_id, page = delegate
    assert client.post(f"{page}/visa-letter", data=REQUEST).status_code == 302
    letter = _letter(app, registration_id)
    user = make_organizer("focal@mfa.kz.example", organizer=False)
    with app.app_context():
        kaz = member_id(app, "KAZ")
        db.session.add(FocalPoint(user_id=user.id, conference_id=conference, member_id=kaz))
        db.session.commit()
    focal = app.test_client()
    focal.post("/account/login", data={"email": "focal@mfa.kz.example", "password": PASSWORD})
    for url in (
        "/manage/conferences/ttf9/visa-letters/",
        f"/manage/conferences/ttf9/visa-letters/{letter.id}",
        f"/manage/conferences/ttf9/visa-letters/{letter.id}/letter.pdf",
    ):
        refused = focal.get(url)
        assert refused.status_code == 403, url
        assert "N1234567" not in refused.text
        anonymous = app.test_client().get(url)
        assert anonymous.status_code == 302, url
        assert "/account/login" in anonymous.headers["Location"]
    review = focal.get(f"/delegation/ttf9/registrations/{registration_id}").text
    assert "N1234567" not in review


@pytest.mark.postgres
def test_two_organisers_issuing_at_once_get_different_numbers(
    app: Flask, conference: int, make_organizer: Callable[..., User]
) -> None:
    from registration.delegates import letters

    user = make_organizer()
    ids = []
    for number in range(6):
        registration_id = add_registration(app, conference, f"Delegate {number}")
        with app.app_context():
            registration = db.session.get(Registration, registration_id)
            given = letters.LetterRequest("X", "N1234567", "KZ", *_dates(), "Almaty")
            ids.append(letters.request_letter(registration, given).id)
    barrier = threading.Barrier(len(ids))

    def issue(letter_id: int) -> None:
        with app.app_context():
            letter = db.session.get(VisaLetter, letter_id)
            organiser = db.session.get(User, user.id)
            barrier.wait()
            letters.issue(letter, organiser)
            db.session.remove()

    threads = [threading.Thread(target=issue, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        numbers = sorted(db.session.scalars(db.select(VisaLetter.number)))
    assert numbers == [1, 2, 3, 4, 5, 6]


def _dates() -> tuple[object, object]:
    from datetime import date

    return date(2030, 12, 27), date(2030, 12, 30)


def test_the_reference_of_a_series_meeting(app: Flask, make_series, make_conference) -> None:
    from registration.conferences.models import Conference, Series

    series_id = make_series()
    conference_id = make_conference(slug="ttf10", series_id=series_id, number=10)
    with app.app_context():
        series = db.session.get(Series, series_id)
        series.short_name = "TTF"
        db.session.commit()
        letter = VisaLetter(conference=db.session.get(Conference, conference_id), number=7)
        assert letter.reference == "TTF-10/V/007"
        assert re.fullmatch(r"[A-Z0-9-]+/V/\d{3}", letter.reference)
