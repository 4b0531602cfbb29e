"""Management pages follow the language the account chose on its page (issue 13): the choice
offers each language by its own name, starts from the browser's language, holds for every
later sign-in, and the language switch still changes a page's language."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from registration.accounts.models import User
from registration.database import db
from tests.conftest import PASSWORD

KAZAKH_BROWSER = {"Accept-Language": "kk-KZ,kk;q=0.9,ru;q=0.8"}
ENGLISH_BROWSER = {"Accept-Language": "en-GB,en;q=0.9"}


def _signed_in(app: Flask, email: str, headers: dict[str, str]) -> FlaskClient:
    client = app.test_client()
    response = client.post(
        "/account/login", data={"email": email, "password": PASSWORD}, headers=headers
    )
    assert response.status_code == 302, response.text
    return client


def _page_language(html: str) -> str:
    found = re.search(r'<html lang="([a-z]+)"', html)
    assert found is not None
    return found.group(1)


def test_the_choice_names_each_language_in_itself_and_starts_from_the_browser(
    app: Flask, make_organizer: Callable[..., User]
) -> None:
    user = make_organizer()
    client = _signed_in(app, user.email, KAZAKH_BROWSER)
    page = client.get("/account/", headers=KAZAKH_BROWSER).text
    assert _page_language(page) == "kk"
    assert '<option lang="en" value="en">English</option>' in page
    assert '<option lang="ru" value="ru">Русский</option>' in page
    assert '<option lang="kk" selected value="kk">Қазақша</option>' in page
    assert "Сіздің есептік жазбаңыз" in page  # "Your account"


def test_management_pages_follow_the_chosen_language_in_every_sign_in(
    app: Flask, make_organizer: Callable[..., User]
) -> None:
    user = make_organizer()
    client = _signed_in(app, user.email, ENGLISH_BROWSER)
    saved = client.post("/account/language", data={"language": "ru"}, headers=ENGLISH_BROWSER)
    assert saved.status_code == 302
    dashboard = client.get("/manage/", headers=ENGLISH_BROWSER).text
    assert _page_language(dashboard) == "ru"
    assert "Новая конференция" in dashboard  # "New conference"
    with app.app_context():
        assert db.session.get(User, user.id).language == "ru"

    elsewhere = _signed_in(app, user.email, ENGLISH_BROWSER)
    assert _page_language(elsewhere.get("/manage/", headers=ENGLISH_BROWSER).text) == "ru"
    # The language switch still shows a page in another language, for the rest of the session.
    switched = elsewhere.get("/manage/?lang=kk", headers=ENGLISH_BROWSER).text
    assert _page_language(switched) == "kk"
    assert "Жаңа конференция" in switched
    assert _page_language(elsewhere.get("/manage/", headers=ENGLISH_BROWSER).text) == "kk"


def test_without_a_choice_pages_follow_the_browser(
    app: Flask, make_organizer: Callable[..., User]
) -> None:
    user = make_organizer()
    client = _signed_in(app, user.email, KAZAKH_BROWSER)
    assert _page_language(client.get("/manage/", headers=KAZAKH_BROWSER).text) == "kk"
    assert _page_language(client.get("/manage/", headers=ENGLISH_BROWSER).text) == "en"


def test_an_unknown_language_is_refused_next_to_the_field(
    organizer_client: FlaskClient, app: Flask
) -> None:
    response = organizer_client.post("/account/language", data={"language": "fr"})
    assert response.status_code == 422
    assert 'id="language-error' in response.text or 'aria-invalid="true"' in response.text
    with app.app_context():
        assert db.session.scalar(db.select(User.language)) is None
