"""Delegates can use the public pages in Kazakh (?lang=kk or the browser's language): the
form, its errors, the confirmation and the conference page; the member filter finds a state
by its name in any of the three languages or by its ISO codes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.database import db
from registration.signup.models import Registration
from tests.signup_support import form_data, member_id, open_registration

KAZAKH = {"Accept-Language": "kk-KZ,kk;q=0.9,ru;q=0.5"}


@pytest.fixture
def conference(
    app: Flask, members: None, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> int:
    conference_id = make_conference(slug="ttf9")
    make_panel(conference_id, title="Realistic security challenges")
    open_registration(app, conference_id)
    return conference_id


def test_the_form_in_kazakh(client: FlaskClient, conference: int) -> None:
    page = client.get("/conferences/ttf9/register", headers=KAZAKH).text
    assert '<html lang="kk">' in page
    for text in ("Тегі мен аты", "Қатысу түрі", "Бетпе-бет", "Онлайн", "Ауызша аударма тілі"):
        assert text in page, text
    assert ">Ағылшын тілі<" in page
    assert ">Тіркелу</button>" in page
    assert 'label="Мүше мемлекеттер"' in page
    assert "Қазақстан (KAZ)" in page, "states by their Kazakh names (pycountry)"
    switch = page[page.index('id="language-switch"') :]
    assert 'hreflang="kk" aria-current="true">Қазақша</a>' in switch
    for english in ("Full name", "Attendance", ">Register<"):
        assert english not in page, english


def test_the_member_filter_matches_every_language(client: FlaskClient, conference: int) -> None:
    """The filter box reads each option's text and its data-names (the other languages)."""
    russian = client.get("/conferences/ttf9/register?lang=ru").text
    label = russian.index("Казахстан (KAZ)")
    option = russian[russian.rindex("<option", 0, label) : label]
    assert 'data-names="Kazakhstan | Қазақстан | KZ"' in option
    assert "Начните вводить для поиска, например Казахстан или KAZ" in russian


def test_a_rejected_form_in_kazakh(app: Flask, client: FlaskClient, conference: int) -> None:
    data = form_data(member_id(app, "KAZ"), name="", email="not-an-address")
    page = client.post("/conferences/ttf9/register?lang=kk", data=data).text
    assert "Төменде белгіленген өрістерді түзетіңіз." in page
    assert "Тегіңіз бен атыңызды толық енгізіңіз." in page
    assert "Жарамды электрондық пошта мекенжайын енгізіңіз" in page
    assert 'value="not-an-address"' in page


def test_the_confirmation_and_conference_page_in_kazakh(
    app: Flask, client: FlaskClient, conference: int
) -> None:
    client.get("/?lang=kk")
    response = client.post("/conferences/ttf9/register", data=form_data(member_id(app, "KAZ")))
    page = client.get(response.headers["Location"]).text
    assert "<h1>Рахмет, Aigerim Nurlanovna</h1>" in page
    assert "Өтініміңіз алынды" in page
    programme = client.get("/conferences/ttf9").text
    assert "<h2>Бағдарлама</h2>" in programme
    assert "желтоқсан" in programme, "month names from Babel's Kazakh data"


def test_the_language_of_e_mails_is_the_page_s_unless_chosen(
    app: Flask, client: FlaskClient, conference: int
) -> None:
    page = client.get("/conferences/ttf9/register?lang=kk").text
    assert "Сізге жіберілетін хабарларымыздың тілі" in page
    assert '<option lang="kk" selected value="kk">Қазақша</option>' in page
    assert '<option lang="ru" value="ru">Русский</option>' in page
    kaz = member_id(app, "KAZ")
    client.post("/conferences/ttf9/register?lang=kk", data=form_data(kaz))
    chosen = form_data(kaz, email="dana@kisi.example", mail_language="ru")
    client.post("/conferences/ttf9/register?lang=kk", data=chosen)
    with app.app_context():
        rows = db.session.scalars(db.select(Registration).order_by(Registration.id)).all()
        assert [r.mail_language for r in rows] == ["kk", "ru"]
