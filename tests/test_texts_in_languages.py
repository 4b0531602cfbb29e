"""Stored texts in English, Russian and Kazakh: organisers type them side by side, visitors
read their language or the conference's main one, marked with `lang` when it is not the
page's (WCAG 3.1.2, language of parts)."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from registration.conferences import services
from registration.database import db
from tests.signup_support import open_registration
from tests.test_conference_management import conference_form, panel_form

TITLES = {
    "title": "Ninth Meeting of the CICA Think Tank Forum",
    "title_ru": "Девятое заседание Форума аналитических центров СВМДА",
    "title_kk": "АӨСШК Талдау орталықтары форумының тоғызыншы отырысы",
}


def h1(page: str) -> str:
    match = re.search(r"<h1>(.*?)\s*</h1>", page, re.S)
    assert match is not None
    return match.group(1).strip()


def test_an_organiser_types_the_title_in_three_languages(
    organizer_client: FlaskClient, app: Flask
) -> None:
    data = conference_form(slug="ttf9", city_ru="Шанхай", city_kk="Шанхай", **TITLES)
    response = organizer_client.post("/manage/conferences/new", data=data)
    assert response.status_code == 302
    with app.app_context():
        conference = services.conference_by_slug("ttf9")
        assert conference is not None
        assert conference.language == "en"
        assert conference.title == TITLES["title"]
        assert conference.translations["ru"] == {"title": TITLES["title_ru"], "city": "Шанхай"}
        services.publish_conference(conference)
    edit = organizer_client.get("/manage/conferences/ttf9/edit").text
    assert f'value="{TITLES["title_kk"]}"' in edit, "the edit form shows every language"
    assert 'lang="kk"' in edit, "each control says which language is typed in it"

    assert h1(organizer_client.get("/conferences/ttf9?lang=ru").text) == TITLES["title_ru"]
    assert h1(organizer_client.get("/conferences/ttf9?lang=kk").text) == TITLES["title_kk"]
    english = organizer_client.get("/conferences/ttf9?lang=en").text
    assert h1(english) == TITLES["title"]
    assert "<title>Ninth Meeting of the CICA Think Tank Forum ·" in english


def test_a_missing_translation_falls_back_to_the_main_language_marked_with_lang(
    app: Flask, client: FlaskClient, make_conference: Callable[..., int], make_panel: Callable
) -> None:
    """A Russian-only title on an English or Kazakh page carries lang="ru" (issue 17)."""
    conference_id = make_conference(
        slug="ru-only",
        title="Международная научно-практическая конференция",
        city="Алматы",
        language="ru",
        translations={"kk": {"city": "Алматы"}},
    )
    make_panel(
        conference_id,
        title="Новые вызовы и угрозы",
        translations={"en": {"title": "New challenges"}},
    )
    english = client.get("/conferences/ru-only?lang=en").text
    assert h1(english) == '<span lang="ru">Международная научно-практическая конференция</span>'
    assert "<h4>New challenges</h4>" in english, "the panel's own English title"
    assert '<html lang="en">' in english
    kazakh = client.get("/conferences/ru-only?lang=kk").text
    assert '<h4><span lang="ru">Новые вызовы и угрозы</span></h4>' in kazakh
    russian = client.get("/conferences/ru-only?lang=ru").text
    assert h1(russian) == "Международная научно-практическая конференция", "no lang: same as page"
    # The conference list and the registration form follow too.
    assert (
        '<span lang="ru">Международная научно-практическая конференция</span>'
        in client.get("/?lang=en").text
    )
    open_registration(app, conference_id)
    form = client.get("/conferences/ru-only/register?lang=en").text
    assert "· New challenges</label>" in form or "· New challenges<" in form


def test_the_main_language_text_is_required(organizer_client: FlaskClient, app: Flask) -> None:
    data = conference_form(slug="kk-main", language="kk", title_ru="Только по-русски")
    page = organizer_client.post("/manage/conferences/new", data=data).text
    assert (
        '<p class="error" id="title_kk-error">Enter the title in Kazakh, the main language' in page
    )
    assert 'value="Только по-русски"' in page
    assert 'value="Ninth Meeting of the CICA Think Tank Forum"' in page
    data = conference_form(
        slug="kk-main", language="kk", title_kk="Тоғызыншы отырыс", venue="", venue_kk="Шанхай"
    )
    assert organizer_client.post("/manage/conferences/new", data=data).status_code == 302
    with app.app_context():
        conference = services.conference_by_slug("kk-main")
        assert conference is not None
        assert (conference.language, conference.title) == ("kk", "Тоғызыншы отырыс")
        assert (
            conference.translations["en"]["title"] == "Ninth Meeting of the CICA Think Tank Forum"
        )


def test_panel_texts_in_the_conference_languages(organizer_client: FlaskClient, app: Flask) -> None:
    organizer_client.post("/manage/conferences/new", data=conference_form(slug="ttf9"))
    data = panel_form(title_ru="Реалистичные вызовы безопасности в Азии", room_ru="Зал А")
    response = organizer_client.post("/manage/conferences/ttf9/panels/new", data=data)
    assert response.status_code == 302
    with app.app_context():
        conference = services.conference_by_slug("ttf9")
        assert conference is not None
        services.publish_conference(conference)
        panel = conference.panels[0]
        assert panel.translations == {
            "ru": {"title": "Реалистичные вызовы безопасности в Азии", "room": "Зал А"}
        }
        db.session.commit()
    russian = organizer_client.get("/conferences/ttf9?lang=ru").text
    assert "<h4>Реалистичные вызовы безопасности в Азии</h4>" in russian
    assert "Зал: Зал А" in russian


def test_management_timestamps_carry_their_zone(
    organizer_client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    make_conference(slug="zoned", timezone="Asia/Almaty")
    page = organizer_client.get("/manage/conferences/zoned").text
    assert re.search(r"last changed \d{2} \w+ \d{4}, \d{2}:\d{2} \(Asia/Almaty, UTC\+05:00\)", page)
