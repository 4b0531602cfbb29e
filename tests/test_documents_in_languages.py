"""Badges and certificates in their holder's language, the list of participants in the one
asked for: the words, Babel's dates, state names from pycountry and the conference's texts,
drawn with DejaVu Sans (Kazakh letters included)."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from registration.attendance.checkin import Scan, check_in
from registration.conferences.models import Conference
from registration.database import db
from registration.signup.models import Registration
from tests.attendance_support import add_registration, built_badges, built_document, payload_of

KK_TITLE = "АӨСШК Сараптамалық орталықтар форумының тоғызыншы отырысы"
RU_TITLE = "Девятое заседание Форума аналитических центров СВМДА"


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def attended(
    app: Flask, members: None, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> dict[str, int]:
    """A Kazakh- and a Russian-speaking participant who attended a panel."""
    conference = make_conference(
        slug="ttf-9",
        translations={
            "kk": {"title": KK_TITLE, "city": "Шанхай"},
            "ru": {"title": RU_TITLE, "city": "Шанхай"},
        },
    )
    panel = make_panel(
        conference, translations={"kk": {"title": "Ашылу"}, "ru": {"title": "Открытие"}}
    )
    people = {
        "kk": add_registration(app, conference, "Дана Сәрсенова", member="KAZ"),
        "ru": add_registration(app, conference, "Ольга Петрова", member="RUS"),
    }
    with app.app_context():
        for language, registration_id in people.items():
            db.session.get_one(Registration, registration_id).mail_language = language
        db.session.commit()
        conf = db.session.get(Conference, conference)
        for language, registration_id in people.items():
            badge = payload_of(app, registration_id)
            check_in(conf, Scan(f"doc-{language}", panel_id=panel, badge=badge), None)
    return people


def test_certificates_are_in_the_participants_language(
    organizer_client: FlaskClient, attended: dict[str, int]
) -> None:
    base = "/manage/conferences/ttf-9/registrations"
    kazakh = pdf_text(organizer_client.get(f"{base}/{attended['kk']}/certificate.pdf").data)
    assert "Қатысу сертификаты" in kazakh
    assert KK_TITLE in kazakh.replace("\n", " ")
    assert "Қазақстан" in kazakh, "the state's Kazakh name (pycountry)"
    assert "2030\u202fж. 28–29 желтоқсан" in kazakh, "Babel's Kazakh dates, the year once"
    assert "Сессиялар: Ашылу" in kazakh
    russian = pdf_text(organizer_client.get(f"{base}/{attended['ru']}/certificate.pdf").data)
    assert "Сертификат об участии" in russian
    assert "Российская Федерация" in russian
    assert "28—29 декабря 2030\u202fг." in russian
    asked = organizer_client.get(f"{base}/{attended['kk']}/certificate.pdf?language=en").data
    assert "Certificate of attendance" in pdf_text(asked)


def test_the_participant_list_is_in_the_language_asked_for(
    app: Flask, organizer_client: FlaskClient, attended: dict[str, int]
) -> None:
    url = "/manage/conferences/ttf-9/attendance/participants.pdf"
    russian = pdf_text(built_document(app, organizer_client, f"{url}?language=ru"))
    assert "Список участников · Шанхай, 28—29 декабря 2030\u202fг." in russian
    assert "2 участника, 2 делегации" in russian
    assert "Казахстан (1)" in russian
    assert "Страница 1" in russian
    english = pdf_text(built_document(app, organizer_client, url))
    assert "List of participants" in english
    assert "Kazakhstan (1)" in english


def test_each_badge_is_in_its_holders_language(
    app: Flask, organizer_client: FlaskClient, attended: dict[str, int]
) -> None:
    badges = pdf_text(built_badges(app, organizer_client, "ttf-9"))
    flat = badges.replace("\n", " ")
    for expected in (KK_TITLE, RU_TITLE, "Қазақстан", "Российская Федерация"):
        assert expected in flat
    lines = {line.strip() for line in badges.split("\n")}
    assert {"Қатысушы", "Участник"} <= lines, "the role in each language"
