"""Each person's language where the reviewer found English (issue 13): the sign-in prompt of
a management page, the links mailed to a registrant (they open the pages in the
registration's mail language, whatever the browser prefers), the mail language a focal point
chooses for a delegate, and the language of an account created for a focal point or staff
member (its first mail is in it)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import gettext

from registration.accounts.models import User
from registration.database import db
from registration.directory.services import member_by_code, member_name
from registration.signup.models import FocalPoint, Registration
from tests.conftest import PASSWORD
from tests.signup_support import body, form_data, link_in, mails, member_id, open_registration

pytestmark = pytest.mark.usefixtures("members")

TITLES = {
    "ru": "Девятое заседание Форума аналитических центров СВМДА",
    "kk": "АӨСШК Сараптамалық орталықтар форумының тоғызыншы отырысы",
}


def _in(app: Flask, language: str, message: str, **values: object) -> str:
    with app.test_request_context(f"/?lang={language}"):
        return gettext(message, **values)


def _english_browser(app: Flask) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9"
    return client


def _our_links(message: object) -> list[str]:
    return re.findall(r"http://localhost/\S+", body(message))  # type: ignore[arg-type]


def _selected(page: str, name: str) -> str:
    """The value of the option selected in the select `name`."""
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S)
    assert select, page
    [value] = re.findall(r'<option[^>]*\bselected\b[^>]*value="(\w+)"', select.group(0)) or (
        re.findall(r'<option[^>]*value="(\w+)"[^>]*\bselected\b', select.group(0))
    )
    return value


@pytest.fixture
def ttf9(app: Flask, make_conference: Callable[..., int]) -> int:
    conference_id = make_conference(
        slug="ttf9", translations={code: {"title": title} for code, title in TITLES.items()}
    )
    open_registration(app, conference_id)
    return conference_id


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_signed_out_management_page_asks_to_sign_in_in_the_pages_language(
    app: Flask, language: str
) -> None:
    client = _english_browser(app)
    response = client.get(f"/manage/?lang={language}")
    assert response.status_code == 302
    assert "/account/login" in response.location
    login = client.get(response.location).text
    prompt = _in(app, language, "Please sign in to reach the management pages.")
    assert prompt != "Please sign in to reach the management pages."
    assert prompt in login
    assert "Please sign in" not in login
    assert f'<html lang="{language}">' in login


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_registrants_mailed_link_opens_in_their_mail_language_from_an_english_browser(
    app: Flask, ttf9: int, language: str
) -> None:
    """Registered from an English page with Kazakh (Russian) chosen for our mail: every link
    mailed carries it, and the confirmation link opens the pages in it."""
    browser = _english_browser(app)
    data = form_data(member_id(app, "KAZ"), mail_language=language)
    assert browser.post("/conferences/ttf9/register", data=data).status_code == 302
    [confirmation] = mails(app, to="aigerim@kisi.example")
    links = _our_links(confirmation)
    assert links
    assert all(link.endswith(f"lang={language}") for link in links), links
    assert "/confirm/" in link_in(confirmation)

    opened = _english_browser(app).get(link_in(confirmation), follow_redirects=True).text
    assert f'<html lang="{language}">' in opened
    assert _in(app, language, "Thank you: your e-mail address is confirmed.") in opened
    assert TITLES[language] in opened


@pytest.fixture
def kaz_focal_point(app: Flask, ttf9: int, make_organizer: Callable[..., User]) -> FlaskClient:
    user = make_organizer("focal@mfa.kz.example", organizer=False)
    with app.app_context():
        db.session.add(
            FocalPoint(user_id=user.id, conference_id=ttf9, member_id=member_id(app, "KAZ"))
        )
        db.session.commit()
    client = _english_browser(app)
    response = client.post(
        "/account/login", data={"email": "focal@mfa.kz.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def test_a_focal_point_chooses_the_delegates_mail_language(
    app: Flask, kaz_focal_point: FlaskClient
) -> None:
    form = kaz_focal_point.get("/delegation/ttf9/register").text
    assert "Language of our messages to the delegate" in form
    assert _selected(form, "mail_language") == "en", "the focal point's page language"
    data = form_data(member_id(app, "KAZ"), email="delegate@mfa.kz.example", mail_language="kk")
    response = kaz_focal_point.post("/delegation/ttf9/register", data=data)
    assert response.status_code == 302, response.text
    with app.app_context():
        delegate = db.session.scalar(db.select(Registration).filter_by(email=data["email"]))
        assert delegate is not None
        assert delegate.mail_language == "kk"
    [mail] = mails(app, to="delegate@mfa.kz.example")
    assert TITLES["kk"] in str(mail["Subject"])
    assert all(link.endswith("lang=kk") for link in _our_links(mail))


def test_the_delegate_form_refuses_a_mail_language_we_do_not_offer(
    app: Flask, kaz_focal_point: FlaskClient
) -> None:
    data = form_data(member_id(app, "KAZ"), email="delegate@mfa.kz.example", mail_language="de")
    response = kaz_focal_point.post("/delegation/ttf9/register", data=data)
    assert response.status_code == 200
    assert 'id="mail_language-error' in response.text
    with app.app_context():
        assert db.session.scalar(db.select(Registration.id)) is None


def test_a_focal_point_assigned_from_a_russian_page_gets_a_russian_first_mail(
    app: Flask, ttf9: int, organizer_client: FlaskClient
) -> None:
    page = organizer_client.get("/manage/conferences/ttf9/registration/focal-points?lang=ru")
    assert _selected(page.text, "language") == "ru", "the organiser's page language"
    assert _in(app, "ru", "Language of a new account (its e-mails and pages)") in page.text
    response = organizer_client.post(
        "/manage/conferences/ttf9/registration/focal-points",
        data={"email": "focal@mfa.kz.example", "name": "Dana", "member": member_id(app, "KAZ")},
    )
    assert response.status_code == 302, response.text
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email="focal@mfa.kz.example"))
        assert user is not None
        assert user.language == "ru"
    [mail] = mails(app, to="focal@mfa.kz.example")
    with app.app_context():
        state = member_name(member_by_code("KAZ"), "ru")
    assert str(mail["Subject"]).strip() == _in(
        app,
        "ru",
        "Focal point of %(member)s for %(conference)s",
        member=state,
        conference=TITLES["ru"],
    )
    links = _our_links(mail)
    assert len(links) == 2  # the password link and the way to the delegation
    assert all("lang=ru" in link for link in links), links
    opened = _english_browser(app).get(link_in(mail))
    assert '<html lang="ru">' in opened.text


def test_a_staff_account_created_in_kazakh_gets_its_first_mail_in_kazakh(
    app: Flask, ttf9: int, organizer_client: FlaskClient
) -> None:
    response = organizer_client.post(
        "/manage/conferences/ttf9/staff/",
        data={"email": "officer@cica.example", "role": "reviewer", "language": "kk"},
    )
    assert response.status_code == 302, response.text
    [mail] = mails(app, to="officer@cica.example")
    assert TITLES["kk"] in str(mail["Subject"])
    assert _in(app, "kk", "CICA Secretariat") in body(mail)
    assert all("lang=kk" in link for link in _our_links(mail))
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email="officer@cica.example"))
        assert user is not None
        assert user.language == "kk"
