"""Delegates can use the public pages in Russian: by ?lang=ru (remembered in the session) or
their browser's language; English visitors still get English. The Russian catalogue covers
every string the code marks (tests/test_catalogues.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.database import db
from registration.signup.models import Registration, RegistrationStatus
from tests.signup_support import form_data, member_id, open_registration

RUSSIAN = {"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}


@pytest.fixture
def conference(
    app: Flask, members: None, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> int:
    conference_id = make_conference(slug="ttf9")
    make_panel(conference_id, title="Realistic security challenges")
    open_registration(app, conference_id)
    return conference_id


def russian_form(page: str) -> None:
    assert '<html lang="ru">' in page
    # The title has no Russian version: shown in English, marked as such (language of parts).
    assert 'Регистрация: <span lang="en">Ninth Meeting of the CICA Think Tank Forum</span>' in page
    for text in ("Фамилия и имя", "Формат участия", "Очно", "Онлайн", "Выберите…"):
        assert text in page, text
    assert "Язык устного перевода" in page
    assert ">Английский<" in page, "a language name standing alone starts with a capital"
    assert ">Зарегистрироваться</button>" in page
    assert '28 дек. 10:00 · <span lang="en">Realistic security challenges</span>' in page
    assert 'label="Государства-члены"' in page
    assert "Казахстан (KAZ)" in page, "states by their Russian names"
    assert page.index("Казахстан (KAZ)") < page.index("Китай (CHN)"), "in Russian order"
    for english in ("Full name", "Attendance", "Interpretation language", ">Register<"):
        assert english not in page, english


def test_the_form_in_russian_by_choice(client: FlaskClient, conference: int) -> None:
    page = client.get("/conferences/ttf9/register?lang=ru", headers=ENGLISH).text
    russian_form(page)
    switch = page[page.index('id="language-switch"') :]
    assert 'href="/conferences/ttf9/register?lang=en"' in switch
    assert 'hreflang="ru" aria-current="true">Русский</a>' in switch


def test_the_form_in_russian_by_the_browser_language(client: FlaskClient, conference: int) -> None:
    russian_form(client.get("/conferences/ttf9/register", headers=RUSSIAN).text)


def test_the_choice_sticks_in_the_session(client: FlaskClient, conference: int) -> None:
    client.get("/?lang=ru", headers=ENGLISH)
    russian_form(client.get("/conferences/ttf9/register", headers=ENGLISH).text)
    client.get("/?lang=en", headers=RUSSIAN)
    assert "Full name" in client.get("/conferences/ttf9/register", headers=RUSSIAN).text


def test_an_english_browser_still_gets_english(app: Flask, conference: int) -> None:
    app.test_client().get("/conferences/ttf9/register?lang=ru")  # the form cache has Russian
    page = app.test_client().get("/conferences/ttf9/register", headers=ENGLISH).text
    assert '<html lang="en">' in page
    assert "Register for Ninth Meeting of the CICA Think Tank Forum" in page
    assert "Full name" in page
    assert ">Register</button>" in page
    assert "28 Dec 10:00 · Realistic security challenges" in page
    assert "Фамилия" not in page
    assert "Kazakhstan (KAZ)" in page
    assert "Казахстан (KAZ)" not in page, "Russian names only in data-names, for the filter"
    # The switch names each language in itself.
    assert ">English</a>" in page
    assert ">Русский</a>" in page


def test_a_rejected_form_in_russian_keeps_the_values(
    app: Flask, client: FlaskClient, conference: int
) -> None:
    data = form_data(member_id(app, "KAZ"), name="", email="not-an-address", position="x" * 301)
    page = client.post("/conferences/ttf9/register?lang=ru", data=data).text
    assert "Пожалуйста, исправьте отмеченные ниже поля." in page
    assert '<p class="error" id="name-error">Введите Ваши фамилию и имя полностью.</p>' in page
    assert (
        '<p class="error" id="email-error">'
        "Введите действительный адрес электронной почты, например name@example.org.</p>"
    ) in page
    # WTForms' own messages come from its Russian catalogue, with Russian plural forms.
    assert "Значение не должно содержать более 300 символов." in page
    assert 'value="Kazakhstan Institute for Strategic Studies"' in page
    assert 'value="not-an-address"' in page
    with app.app_context():
        assert db.session.scalar(db.select(Registration)) is None


def test_the_confirmation_in_russian(app: Flask, client: FlaskClient, conference: int) -> None:
    response = client.post(
        "/conferences/ttf9/register", data=form_data(member_id(app, "KAZ")), headers=RUSSIAN
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"], headers=RUSSIAN).text
    assert "<h1>Благодарим Вас, Aigerim Nurlanovna</h1>" in page
    assert "Ваша заявка получена и ожидает утверждения Секретариатом" in page
    assert "Мы направили письмо на адрес <strong>aigerim@kisi.example</strong>." in page
    assert "Вернуться к программе" in page


def test_a_waiting_list_reason_is_shown_in_russian_and_stored_in_english(
    app: Flask, client: FlaskClient, conference: int
) -> None:
    open_registration(app, conference, in_person_capacity=0)
    client.get("/?lang=ru")
    response = client.post("/conferences/ttf9/register", data=form_data(member_id(app, "KAZ")))
    page = client.get(response.headers["Location"]).text
    assert "Вы включены в лист ожидания: Все места для очного участия заняты." in page
    with app.app_context():
        registration = db.session.scalar(db.select(Registration))
        assert registration is not None
        assert registration.status is RegistrationStatus.WAITLISTED
        assert registration.status_reason == "All in-person seats are taken."


def test_a_registrant_s_errors_and_messages_in_russian(
    app: Flask, client: FlaskClient, conference: int
) -> None:
    client.get("/?lang=ru")
    response = client.get("/conferences/ttf9/registration/not-a-token")
    page = client.get(response.headers["Location"]).text
    assert "Эта ссылка недействительна. Запросите новую ссылку ниже." in page
    assert "Ссылка на Вашу регистрацию" in page

    kaz = member_id(app, "KAZ")
    client.post("/conferences/ttf9/register", data=form_data(kaz))
    again = client.post("/conferences/ttf9/register", data=form_data(kaz)).text
    assert "Адрес aigerim@kisi.example уже зарегистрирован на эту конференцию." in again

    missing = client.get("/conferences/no-such-conference")
    assert missing.status_code == 404
    assert "Запрошенная страница не найдена." in missing.text


def test_the_conference_page_in_russian(client: FlaskClient, conference: int) -> None:
    page = client.get("/conferences/ttf9?lang=ru").text
    assert "<h2>Программа</h2>" in page
    assert "<dt>Формат</dt><dd>Смешанный</dd>" in page
    assert "28 декабря 2030\u202fг., 09:00" in page, "Babel's Russian date"
    assert "суббота, 28 декабря 2030\u202fг." in page
    assert 'Зал: <span lang="en">Hall A</span>' in page
    assert "Добавить в календарь (.ics)" in page
    english = client.get("/conferences/ttf9?lang=en").text
    assert "28 December 2030, 09:00" in english
    assert "Saturday 28 December 2030" in english
