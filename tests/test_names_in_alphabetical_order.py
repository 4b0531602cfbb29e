"""Lists of member states and organisations in the page's language and in its alphabet's
order (registration/collation.py): Kazakh pages in the Kazakh alphabet (Ә after А, Қ after К,
Ұ Ү after У, І after Ы), Russian pages by the Russian names, not by the English ones nor by
code point; organisations named in the three languages."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from registration.attendance.checkin import Scan, check_in
from registration.collation import KAZAKH_ALPHABET, sort_key
from registration.conferences.models import Conference, PanelPerson, PanelRole, Person
from registration.database import db
from registration.directory.services import member_by_code
from tests.attendance_support import add_registration, built_document, payload_of
from tests.signup_support import open_registration

# The states below in Kazakh alphabetical order (pycountry's Kazakh names).
KAZAKH_ORDER = [
    "Ауғанстан",
    "Әзірбайжан",
    "Қазақстан",
    "Қырғызстан",
    "Қытай",
    "Өзбекстан",
    "Тәжікстан",
    "Түркия",
    "Үндістан",
    "Шри-Ланка",
]
CODES = ["AFG", "AZE", "KAZ", "KGZ", "CHN", "UZB", "TJK", "TUR", "IND", "LKA"]


def in_page_order(page: str, names: list[str]) -> list[str]:
    return sorted(names, key=page.index)


def test_the_key_follows_the_kazakh_alphabet_and_ignores_case_and_accents() -> None:
    letters = list(KAZAKH_ALPHABET.upper())
    by_code_point = sorted(letters)  # Ё first, the Kazakh letters after Я
    assert by_code_point != letters
    assert sorted(by_code_point, key=sort_key) == letters
    assert "".join(letters) == "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"
    assert sorted(["Шри-Ланка", "Ыбырай", "Іле", "ілгері"], key=sort_key) == [
        "Шри-Ланка",
        "Ыбырай",
        "ілгері",
        "Іле",
    ]
    assert sorted(["Ёлка", "ель", "Жук"], key=sort_key) == ["ель", "Ёлка", "Жук"]
    assert sorted(["Viet Nam", "Türkiye", "turkmenistan"], key=sort_key) == [
        "Türkiye",
        "turkmenistan",
        "Viet Nam",
    ]


@pytest.fixture
def open_form(app: Flask, members: None, make_conference: Callable[..., int]) -> int:
    conference = make_conference(slug="ttf9")
    open_registration(app, conference)
    return conference


def test_the_kazakh_form_lists_states_in_the_kazakh_alphabet(
    client: FlaskClient, open_form: int
) -> None:
    page = client.get("/conferences/ttf9/register?lang=kk").text
    labels = [f"{name} (" for name in KAZAKH_ORDER]  # after the flag, before the code
    assert in_page_order(page, labels) == labels


def test_organisations_are_named_and_found_in_three_languages(
    client: FlaskClient, open_form: int
) -> None:
    kazakh = client.get("/conferences/ttf9/register?lang=kk").text
    label = kazakh.index(">Біріккен Ұлттар Ұйымы (UN)<")
    option = kazakh[kazakh.rindex("<option", 0, label) : label]
    for other in ("United Nations", "Организация Объединённых Наций", "ООН", "БҰҰ"):
        assert other in option, other
    russian = client.get("/conferences/ttf9/register?lang=ru").text
    for name in ("Шанхайская организация сотрудничества (SCO)", "Лига арабских государств (LAS)"):
        assert f">{name}<" in russian, name


def test_the_russian_participant_list_is_by_russian_names(
    app: Flask, client: FlaskClient, members: None, make_conference: Callable[..., int]
) -> None:
    conference = make_conference(slug="ttf9")
    for code in ("KAZ", "CHN", "AZE", "IND"):
        add_registration(app, conference, f"Person {code}", member=code)
    page = client.get("/conferences/ttf9/participants?lang=ru").text
    russian = ["Азербайджан", "Индия", "Казахстан", "Китай"]  # English: AZE CHN IND KAZ
    assert in_page_order(page, russian) == russian


def test_a_speaker_of_a_state_is_named_with_it_in_the_page_s_language(
    app: Flask,
    client: FlaskClient,
    members: None,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
) -> None:
    panel = make_panel(make_conference(slug="ttf9"))
    with app.app_context():
        person = Person(name="Aliya Speaker", member_id=member_by_code("KAZ").id)
        db.session.add(PanelPerson(panel_id=panel, role=PanelRole.SPEAKER, person=person))
        db.session.commit()
    assert "— Қазақстан</span>" in client.get("/conferences/ttf9?lang=kk").text
    assert "— Казахстан</span>" in client.get("/conferences/ttf9?lang=ru").text


@pytest.fixture
def attended(
    app: Flask, members: None, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> int:
    """One participant from each state of KAZAKH_ORDER, added in reverse, seen at a panel."""
    conference = make_conference(slug="ttf9")
    panel = make_panel(conference)
    with app.app_context():
        found = db.session.get_one(Conference, conference)
        for code in reversed(CODES):
            registration = add_registration(app, conference, f"Person {code}", member=code)
            scan = Scan(f"doc-{code}", panel_id=panel, badge=payload_of(app, registration))
            check_in(found, scan, None)
    return conference


def test_the_kazakh_participant_pdf_lists_delegations_in_the_kazakh_alphabet(
    app: Flask, organizer_client: FlaskClient, attended: int
) -> None:
    url = "/manage/conferences/ttf9/attendance/participants.pdf?language=kk"
    content = built_document(app, organizer_client, url)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    headings = [f"{name} (1)" for name in KAZAKH_ORDER]
    assert in_page_order(text, headings) == headings


def test_the_kazakh_delegation_choices_are_kazakh_names_in_order(
    organizer_client: FlaskClient, attended: int
) -> None:
    for page_path in ("attendance/participants", "badges"):
        page = organizer_client.get(f"/manage/conferences/ttf9/{page_path}?lang=kk").text
        select = page[page.index('<select id="') : page.index("</select>")]
        shown = re.findall(r'<option value="[A-Z]{3}">([^<]+)</option>', select)
        assert shown == KAZAKH_ORDER, page_path


def test_the_kazakh_attendance_figures_name_members_in_kazakh(
    organizer_client: FlaskClient, attended: int
) -> None:
    page = organizer_client.get("/manage/conferences/ttf9/attendance?lang=kk").text
    assert re.findall(r'<th scope="row">([^<]+)</th>', page) == KAZAKH_ORDER  # each 1 of 1
    figures = organizer_client.get("/manage/conferences/ttf9/attendance/figures.json").json
    assert [row["name"] for row in figures["members"]] == KAZAKH_ORDER


def test_the_kazakh_badge_sheet_and_pdf_are_in_kazakh_alphabet_order(
    app: Flask, organizer_client: FlaskClient, members: None, make_conference: Callable[..., int]
) -> None:
    """Delegations by their Kazakh names, people by name in the Kazakh alphabet; by the
    English names on an English page."""
    conference_id = make_conference(slug="ttf9")
    for code in reversed(CODES):  # in a delegation: Arman, Älia, Ybyrai, Ile
        for n, name in enumerate(("Іле", "Ыбырай", "Әлия", "Арман")):
            email = f"{code.lower()}{n}@example.org"
            add_registration(app, conference_id, f"{name} {code}", member=code, email=email)
    expected = [f"{name} {code}" for code in CODES for name in ("Арман", "Әлия", "Ыбырай", "Іле")]
    page = organizer_client.get("/manage/conferences/ttf9/badges?lang=kk").text
    assert sorted(expected, key=page.index) == expected
    content = built_document(app, organizer_client, "/manage/conferences/ttf9/badges.pdf?lang=kk")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert sorted(expected, key=text.index) == expected
    english = organizer_client.get("/manage/conferences/ttf9/badges?lang=en").text
    by_english_name = ["AFG", "AZE", "CHN", "IND", "KAZ", "KGZ", "LKA", "TJK", "TUR", "UZB"]
    firsts = [f"Арман {code}" for code in by_english_name]
    assert sorted(firsts, key=english.index) == firsts
