"""Lists of member states and organisations in the page's language and in its alphabet's
order (registration/collation.py): Kazakh pages in the Kazakh alphabet (Ә after А, Қ after К,
Ұ Ү after У, І after Ы), Russian pages by the Russian names, not by the English ones nor by
code point."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from registration.attendance.checkin import Scan, check_in
from registration.collation import KAZAKH_ALPHABET, sort_key
from registration.conferences.models import Conference
from registration.database import db
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


def test_the_russian_participant_list_is_by_russian_names(
    app: Flask, client: FlaskClient, members: None, make_conference: Callable[..., int]
) -> None:
    conference = make_conference(slug="ttf9")
    for code in ("KAZ", "CHN", "AZE", "IND"):
        add_registration(app, conference, f"Person {code}", member=code)
    page = client.get("/conferences/ttf9/participants?lang=ru").text
    russian = ["Азербайджан", "Индия", "Казахстан", "Китай"]  # English: AZE CHN IND KAZ
    assert in_page_order(page, russian) == russian


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
