"""One page per person: the e-mail address gets a signed, expiring sign-in link to every
registration of that address, with badges, visa letters and personal calendar feeds."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from registration.database import db
from registration.delegates.models import LetterStatus, VisaLetter
from registration.delegates.person import SALT
from registration.mail.models import OutgoingMail
from registration.signup.models import AttendanceMode, Registration, RegistrationStatus
from tests.attendance_support import add_registration
from tests.signup_support import body, mails

pytestmark = pytest.mark.usefixtures("members")
EMAIL = "aigerim@kisi.example"


@pytest.fixture
def two_conferences(app: Flask, make_conference: Callable[..., int]) -> tuple[int, int]:
    """The same person at ttf9 (approved, in person, with an issued letter) and at ttf10
    (pending, online); someone else at ttf9."""
    ttf9 = make_conference(slug="ttf9", title="Ninth Meeting")
    ttf10 = make_conference(slug="ttf10", title="Tenth Meeting")
    first = add_registration(app, ttf9, "Aigerim Nurlanovna", email=EMAIL)
    second = add_registration(
        app,
        ttf10,
        "Aigerim Nurlanovna",
        email=EMAIL,
        mode=AttendanceMode.ONLINE,
        status=RegistrationStatus.PENDING,
    )
    add_registration(app, ttf9, "Li Wei", member="CHN", email="li@siis.example")
    with app.app_context():
        from datetime import date

        from registration.database import utcnow

        db.session.add(
            VisaLetter(
                registration_id=first, conference_id=ttf9, passport_name="AIGERIM",
                passport_number="N1234567", nationality="KZ", arrival=date(2030, 12, 27),
                departure=date(2030, 12, 30), consulate_city="Almaty",
                status=LetterStatus.ISSUED, number=1, issued_at=utcnow(),
            )
        )  # fmt: skip
        db.session.commit()
    return first, second


def _signed_in_link(app: Flask, client: FlaskClient, email: str) -> str:
    response = client.post("/my/", data={"email": email})
    assert response.status_code == 302
    with app.app_context():
        composers = db.session.scalars(db.select(OutgoingMail.composer).distinct()).all()
        assert "delegates.person_link" in composers, "the request queued an intent only"
        assert (
            db.session.scalar(
                db.select(OutgoingMail.id).where(OutgoingMail.composer.is_(None)).limit(1)
            )
            is None
        )
    [message] = [m for m in mails(app, email.lower()) if "registrations with" in m["Subject"]]
    link = next(word for word in body(message).split() if "/my/" in word)
    return link.replace("http://localhost", "")


def test_the_link_opens_every_registration_of_the_address(
    app: Flask, client: FlaskClient, two_conferences: tuple[int, int]
) -> None:
    assert client.get("/my/").status_code == 200
    page = client.get(_signed_in_link(app, client, "Aigerim@KISI.example"))
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "private, no-store"
    text = page.text
    assert "Ninth Meeting" in text
    assert "Tenth Meeting" in text
    assert "Li Wei" not in text
    first, second = two_conferences
    ninth = text[text.index(f'id="person-registration-{first}"') :]
    ninth = ninth[: ninth.index("</section>")]
    assert "/badge" in ninth
    assert "/visa-letter.pdf" in ninth
    assert "/calendar/personal/" in ninth
    tenth = text[text.index(f'id="person-registration-{second}"') :]
    tenth = tenth[: tenth.index("</section>")]
    assert "/badge" not in tenth, "a pending online registration has no badge"
    manage = next(part.split('"')[0] for part in tenth.split('href="')[1:])
    assert client.get(manage).status_code == 200


def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    app: Flask, client: FlaskClient, two_conferences: tuple[int, int]
) -> None:
    response = client.post("/my/", data={"email": "nobody@example.org"}, follow_redirects=True)
    assert "If that address has a registration, a sign-in link is on its way." in response.text
    assert mails(app, "nobody@example.org") == []
    wrong = client.post("/my/", data={"email": "not an address"})
    assert wrong.status_code == 422
    assert 'id="email-error"' in wrong.text
    assert 'value="not an address"' in wrong.text


def test_expired_and_forged_links_are_refused_in_words(
    app: Flask, client: FlaskClient, two_conferences: tuple[int, int]
) -> None:
    forged = client.get("/my/forged-token", follow_redirects=True)
    assert "This sign-in link is not valid." in forged.text
    assert "Ninth Meeting" not in forged.text
    other_key = URLSafeTimedSerializer("another-secret", salt=SALT).dumps({"e": EMAIL})
    assert "not valid" in client.get(f"/my/{other_key}", follow_redirects=True).text
    app.config["PERSON_LINK_MAX_AGE_HOURS"] = -1
    try:
        link = _signed_in_link(app, client, EMAIL)
        expired = client.get(link, follow_redirects=True)
    finally:
        app.config["PERSON_LINK_MAX_AGE_HOURS"] = 24
    assert "This sign-in link has expired." in expired.text
    assert "Ninth Meeting" not in expired.text


def test_asking_twice_sends_one_mail_per_window(
    app: Flask, client: FlaskClient, two_conferences: tuple[int, int]
) -> None:
    client.post("/my/", data={"email": EMAIL})
    client.post("/my/", data={"email": EMAIL})
    assert len([m for m in mails(app, EMAIL) if "registrations with" in m["Subject"]]) == 1
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Registration)) == 3
