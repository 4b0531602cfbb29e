"""Password rules (ASVS V2.1): length over composition, no common password, not the e-mail."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import PASSWORD


@pytest.mark.parametrize(
    ("chosen", "said"),
    [
        ("eleven char", "at least 12 characters"),
        ("1qaz2wsx3edc", "one of the most common passwords"),
        ("Organizer@CICA.example", "one of the most common passwords, or your e-mail"),
        ("x" * 201, "200 characters"),
    ],
)
def test_a_weak_password_is_refused_in_words(
    organizer_client: FlaskClient, chosen: str, said: str
) -> None:
    page = organizer_client.post(
        "/account/password", data={"current": PASSWORD, "password": chosen}
    )
    assert page.status_code == 422
    assert said in page.text


def test_a_long_phrase_with_no_digits_or_capitals_is_fine(organizer_client: FlaskClient) -> None:
    page = organizer_client.post(
        "/account/password", data={"current": PASSWORD, "password": "plain words in a row"}
    )
    assert page.status_code == 302
