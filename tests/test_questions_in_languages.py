"""A conference's own questions in English, Russian and Kazakh: organisers type them side by
side; registrants read their page's language, else the question's main one marked with
`lang`; exports title the columns in the downloader's language; an answer keeps the choice's
main-language text, so a translation edit never orphans it."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.database import db
from registration.signup.models import Answer, Question
from tests.signup_support import body, form_data, mails, member_id, open_registration

QUESTIONS = "/manage/conferences/ttf9/questions/"
DIET = {
    "language": "en",
    "label": "Dietary needs",
    "label_ru": "Питание",
    "help_text": "Tell the caterers.",
    "help_text_ru": "Для организаторов питания.",
    "kind": "single_choice",
    "options": "None\nVegetarian\nHalal",
    "options_ru": "Нет\nВегетарианское\nХаляль",
    "audience": "all",
    "stage": "registration",
}


@pytest.fixture
def diet(
    app: Flask, members: None, make_conference: Callable[..., int], organizer_client: FlaskClient
) -> int:
    """A choice question in English with Russian translations and no Kazakh ones."""
    open_registration(app, make_conference(slug="ttf9"))
    assert organizer_client.post(QUESTIONS, data=DIET).status_code == 302
    with app.app_context():
        found = db.session.scalar(db.select(Question.id).filter_by(label="Dietary needs"))
        assert found is not None
        return found


def _edit(client: FlaskClient, question: int, **changes: Any) -> Any:
    return client.post(f"{QUESTIONS}{question}", data={**DIET, **changes})


def _register(app: Flask, question: int, language: str) -> None:
    data = form_data(member_id(app, "KAZ"), language=language, **{f"question_{question}": "Halal"})
    response = app.test_client().post(f"/conferences/ttf9/register?lang={language}", data=data)
    assert response.status_code == 302, response.text


def _answer(app: Flask) -> str:
    with app.app_context():
        return db.session.scalars(db.select(Answer.value)).one()


def test_a_russian_registrant_reads_russian_and_a_kazakh_one_the_marked_fallback(
    app: Flask, diet: int
) -> None:
    russian = app.test_client().get("/conferences/ttf9/register?lang=ru").text
    assert '<html lang="ru"' in russian
    assert "<legend>Питание</legend>" in russian  # the page's language: no other `lang`
    assert "Для организаторов питания." in russian
    assert f'id="question_{diet}-2" name="question_{diet}" type="radio" value="Halal"> Халяль' in (
        russian
    )
    kazakh = app.test_client().get("/conferences/ttf9/register?lang=kk").text
    assert '<html lang="kk"' in kazakh
    assert '<legend><span lang="en">Dietary needs</span></legend>' in kazakh
    assert '<span lang="en">Tell the caterers.</span>' in kazakh
    assert 'value="Halal"> <span lang="en">Halal</span>' in kazakh
    english = app.test_client().get("/conferences/ttf9/register?lang=en").text
    assert "<legend>Dietary needs</legend>" in english
    assert 'value="Halal"> Halal' in english


def test_an_answer_survives_a_translation_edit_and_reads_in_each_language(
    app: Flask, diet: int, organizer_client: FlaskClient
) -> None:
    _register(app, diet, "ru")
    assert _answer(app) == "Halal"
    edited = _edit(
        organizer_client,
        diet,
        options_ru="Нет\nВегетарианское\nХалал",
        label_kk="Тамақтану",
        options_kk="Жоқ\nВегетариандық\nХалал тағамы",
    )
    assert edited.status_code == 302, edited.text
    assert _answer(app) == "Halal"
    registrations = organizer_client.get("/manage/conferences/ttf9/registrations?lang=kk").text
    assert "Тамақтану" in registrations
    assert 'lang="kk">Халал тағамы</option>' in registrations
    for language, title, cell in (("kk", "Тамақтану", "Халал тағамы"), ("ru", "Питание", "Халал")):
        response = organizer_client.get(
            f"/manage/conferences/ttf9/registrations.csv?lang={language}"
        )
        header, row = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
        assert header[-1] == title
        assert row[-1] == cell
    english = organizer_client.get("/manage/conferences/ttf9/registrations.csv?lang=en")
    header, row = list(csv.reader(io.StringIO(english.data.decode("utf-8-sig"))))
    assert (header[-1], row[-1]) == ("Dietary needs", "Halal")


def test_the_review_page_shows_a_choice_in_the_organisers_language_or_marks_it(
    app: Flask, diet: int, organizer_client: FlaskClient
) -> None:
    _register(app, diet, "en")
    with app.app_context():
        registration_id = db.session.scalars(db.select(Answer.registration_id)).one()
    review = f"/manage/conferences/ttf9/registrations/{registration_id}"
    russian = organizer_client.get(f"{review}?lang=ru").text
    assert f'<dd data-question="{diet}">Халяль</dd>' in russian
    kazakh = organizer_client.get(f"{review}?lang=kk").text  # no Kazakh choices: English
    assert f'<dd data-question="{diet}"><span lang="en">Halal</span></dd>' in kazakh
    english = organizer_client.get(f"{review}?lang=en").text
    assert f'<dd data-question="{diet}">Halal</dd>' in english


def test_an_answered_question_keeps_its_meaning_and_says_why_next_to_the_field(
    app: Flask, diet: int, organizer_client: FlaskClient
) -> None:
    _register(app, diet, "en")
    renamed = _edit(organizer_client, diet, options="None\nVegetarian\nHalal food")
    assert renamed.status_code == 422
    assert 'id="options-error">The choice “Halal” has answers' in renamed.text
    assert "Halal food</textarea>" in renamed.text  # what was typed is kept
    kind = _edit(organizer_client, diet, kind="short_text", options="", label="Meals")
    assert kind.status_code == 422
    assert 'id="kind-error">This question has answers, so its kind cannot change' in kind.text
    with app.app_context():  # refused: nothing of either edit was saved
        question = db.session.get(Question, diet)
        assert question is not None
        assert (question.label, question.kind.value) == ("Dietary needs", "single_choice")
        assert question.choices == ["None", "Vegetarian", "Halal"]
    russian = organizer_client.get(f"{QUESTIONS}{diet}?lang=ru")
    assert russian.status_code == 200
    language = _edit(organizer_client, diet, language="ru")
    assert language.status_code == 422
    assert 'id="language-error">На этот вопрос уже есть ответы' in language.text
    moved = _edit(organizer_client, diet, options="Halal\nNone\nVegetarian\nKosher",
                  options_ru="")  # fmt: skip
    assert moved.status_code == 302, moved.text
    with app.app_context():
        question = db.session.get(Question, diet)
        assert question is not None
        assert question.choices == ["Halal", "None", "Vegetarian", "Kosher"]
        assert question.language == "en"
        assert "options" not in question.translations.get("ru", {})
    assert _answer(app) == "Halal"


def test_bad_texts_come_back_next_to_their_fields_and_nothing_is_saved(
    app: Flask, diet: int, organizer_client: FlaskClient
) -> None:
    response = organizer_client.post(
        QUESTIONS,
        data={**DIET, "label": "", "label_ru": "Гостиница", "options_ru": "Нет\nДа"},
    )
    assert response.status_code == 422
    page = response.text
    assert 'id="label-error">Enter the question in English, the main language' in page
    assert 'id="options_ru-error">Give one line per choice, in the order of the English' in page
    assert 'value="Гостиница"' in page
    assert "Нет\nДа</textarea>" in page
    kazakh_main = organizer_client.post(
        QUESTIONS, data={**DIET, "language": "kk", "label": "Hotel", "options_kk": "Жоқ"}
    )
    assert kazakh_main.status_code == 422
    assert 'id="label_kk-error">' in kazakh_main.text
    assert 'id="options_kk-error">' in kazakh_main.text
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Question.id))) == 1


def test_a_question_in_russian_first_falls_back_to_russian(
    app: Flask, diet: int, organizer_client: FlaskClient
) -> None:
    added = organizer_client.post(
        QUESTIONS,
        data={"language": "ru", "label_ru": "Нужна ли гостиница?", "kind": "yes_no",
              "audience": "all", "stage": "registration"},
    )  # fmt: skip
    assert added.status_code == 302, added.text
    english = app.test_client().get("/conferences/ttf9/register?lang=en").text
    assert '<span lang="ru">Нужна ли гостиница?</span>' in english


def test_the_personal_answers_page_reads_in_the_registrants_language(
    app: Flask, diet: int, organizer_client: FlaskClient
) -> None:
    hotel = {"label": "Hotel room", "label_ru": "Номер в гостинице", "kind": "yes_no",
             "audience": "all", "stage": "follow_up"}  # fmt: skip
    assert organizer_client.post(QUESTIONS, data=hotel).status_code == 302
    _register(app, diet, "ru")
    with app.app_context():
        registration_id = db.session.scalars(db.select(Answer.registration_id)).one()
    decided = organizer_client.post(
        f"/manage/conferences/ttf9/registrations/{registration_id}", data={"decision": "approve"}
    )
    assert decided.status_code == 302
    approval = body(mails(app, "aigerim@kisi.example")[-1])
    link = next(word for word in approval.split() if "/answers" in word)
    path = link.replace("http://localhost", "").split("?")[0]
    russian = app.test_client().get(f"{path}?lang=ru").text
    assert "Номер в гостинице" in russian
    assert "Халяль" in russian
    kazakh = app.test_client().get(f"{path}?lang=kk").text
    assert '<span lang="en">Hotel room</span>' in kazakh
