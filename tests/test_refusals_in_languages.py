"""Refusals raised in services and error pages' descriptions come in the page's language
(issue 13): a participant's join link, an organiser's missing page."""

from __future__ import annotations

import html

import pytest
from flask.testing import FlaskClient

WORDS = {
    "ru": (
        "Эта ссылка для подключения недействительна. Воспользуйтесь ссылкой из вашего приглашения.",
        "Такой массовой рассылки нет.",
    ),
    "kk": (
        "Бұл қосылу сілтемесі жарамсыз. Шақыруыңыздағы сілтемені пайдаланыңыз.",
        "Мұндай жаппай жіберу жоқ.",
    ),
}


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_forged_join_link_is_refused_in_the_page_language(
    client: FlaskClient, language: str
) -> None:
    response = client.get(f"/j/forged-token?lang={language}")
    assert response.status_code == 404
    page = html.unescape(response.text)
    assert WORDS[language][0] in page
    assert "This join link" not in page


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_an_organiser_s_missing_page_is_described_in_the_page_language(
    organizer_client: FlaskClient, language: str
) -> None:
    missing = organizer_client.get(f"/manage/mail/batches/no-such-job?lang={language}")
    assert missing.status_code == 404
    assert WORDS[language][1] in html.unescape(missing.text)
    assert "No such bulk send" not in missing.text
