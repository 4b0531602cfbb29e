"""The check-in page names each found person's institution in the page's language when it
is a known one (else its main name, marked with `lang`), and an unknown one as typed, marked
with the language it is typed in; the JSON the page's script reads says that language too."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.attendance_support import add_registration
from tests.test_registrant_institutions import (
    ASAN,
    KAZAKH_TYPED,
    RUSSIAN_TYPED,
    SIIS,
    known_institutions,
)

pytestmark = pytest.mark.usefixtures("members")
PAGE = "/manage/conferences/ttf-9/checkin"
SEARCH = f"{PAGE}/api/search"


@pytest.fixture
def conference(app: Flask, make_conference: Callable[..., int]) -> int:
    """Four people: one typed SIIS's Russian name, one Asan's (English only), one a Kazakh
    and one a Russian name that no known institution has."""
    conference = make_conference(slug="ttf-9")
    known_institutions(app)
    add_registration(app, conference, "Li Wei", member="CHN", institution=SIIS["ru"])
    add_registration(app, conference, "Lee Ji-ho", member="KOR", institution=ASAN)
    add_registration(app, conference, "Aliya Bek", institution=KAZAKH_TYPED)
    add_registration(app, conference, "Ivan Petrov", member="RUS", institution=RUSSIAN_TYPED)
    return conference


def institutions(page: str) -> dict[str, str]:
    """Each found person's institution line, as the page writes it (with any `lang`)."""
    results = re.search(r'<ul id="checkin-results"[^>]*>(.*?)</ul>', page, re.S)
    assert results is not None
    lines = re.findall(
        r"<li>\s*<span>(.*?) — .*?<small class=\"hint\">(.*?)</small>", results[1], re.S
    )
    return dict(lines)


def test_the_page_without_script_names_institutions_in_its_language(
    organizer_client: FlaskClient, conference: int
) -> None:
    kazakh = organizer_client.get(f"{PAGE}?q=example&lang=kk").text  # everyone's e-mail
    assert institutions(kazakh) == {
        "Aliya Bek": KAZAKH_TYPED,
        "Ivan Petrov": f'<span lang="ru">{RUSSIAN_TYPED}</span>',
        "Lee Ji-ho": f'<span lang="en">{ASAN}</span>',  # no Kazakh name: its main one
        "Li Wei": SIIS["kk"],
    }
    russian = organizer_client.get(f"{PAGE}?q=example&lang=ru").text
    assert institutions(russian) == {
        "Aliya Bek": f'<span lang="kk">{KAZAKH_TYPED}</span>',
        "Ivan Petrov": RUSSIAN_TYPED,
        "Lee Ji-ho": f'<span lang="en">{ASAN}</span>',
        "Li Wei": SIIS["ru"],
    }


def test_the_search_json_gives_each_institution_with_its_language(
    organizer_client: FlaskClient, conference: int
) -> None:
    for language, siis in (("kk", SIIS["kk"]), ("ru", SIIS["ru"]), ("en", SIIS["en"])):
        found = organizer_client.get(
            f"{SEARCH}?q=example&day=2030-12-28&lang={language}"
        ).get_json()
        shown = {r["name"]: (r["institution"], r["institution_language"]) for r in found["results"]}
        assert shown == {
            "Aliya Bek": (KAZAKH_TYPED, "kk"),
            "Ivan Petrov": (RUSSIAN_TYPED, "ru"),
            "Lee Ji-ho": (ASAN, "en"),
            "Li Wei": (siis, language),
        }
