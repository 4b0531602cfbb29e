"""One input policy for every form and URL: NUL refused everywhere, single lines without
control characters, multi-line text with only newlines and tabs, lengths of the columns,
bounded numbers and dates. Each refusal is a message next to the field with what was typed
kept, or an error page for a URL; never a 500, never a half-saved record.

NUL and over-long values are what PostgreSQL refuses and SQLite stores: these tests mean
most on PostgreSQL (CI)."""

from __future__ import annotations

import html
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_wtf import FlaskForm

import registration
from registration.conferences.models import Conference, Panel
from registration.database import db
from registration.input_policy import PolicyForm, normalise_lines, problem_in_line
from registration.signup.models import Registration, RegistrationSettings
from tests.routes import dummy_url, methods
from tests.signup_support import form_data, member_id, open_registration
from tests.test_conference_management import conference_form, panel_form


def errors_next_to(page: str, field_id: str) -> list[str]:
    found = re.findall(rf'<p class="error" id="{field_id}-error">(.*?)</p>', page)
    return [html.unescape(message) for message in found]


def count(app: Flask, model: type) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model)) or 0


def test_every_form_of_the_service_follows_the_policy() -> None:
    forms = []
    for module in pkgutil.walk_packages(registration.__path__, "registration."):
        loaded = importlib.import_module(module.name)
        forms += [
            value
            for value in vars(loaded).values()
            if inspect.isclass(value)
            and issubclass(value, FlaskForm)
            and value.__module__.startswith("registration.")
            and value is not PolicyForm
        ]
    assert len(set(forms)) >= 18
    assert [form for form in forms if not issubclass(form, PolicyForm)] == []


@pytest.fixture
def open_conference(app: Flask, members: None, make_conference, make_panel) -> int:
    conference_id = make_conference(slug="ttf9")
    make_panel(conference_id)
    open_registration(app, conference_id)
    return member_id(app, "KAZ")


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("name", "Aigerim\x00Nurlanovna", "contains a NUL character"),
        ("institution", "KISI\r\nBcc: everyone@example.org", "must be a single line"),
        ("position", "Senior\x0bFellow", "must be a single line"),
        ("name", "Aigerim\u2028Nurlanovna", "must be a single line"),
        ("email", "aigerim@kisi.example\x00", "contains a NUL character"),
    ],
)
def test_the_public_form_refuses_control_characters_next_to_the_field(
    app: Flask, client: FlaskClient, open_conference: int, field: str, typed: str, message: str
) -> None:
    response = client.post(
        "/conferences/ttf9/register", data=form_data(open_conference, **{field: typed})
    )
    assert response.status_code == 200
    assert any(message in error for error in errors_next_to(response.text, field))
    assert 'value="Kazakhstan Institute for Strategic Studies"' in response.text or (
        field == "institution"
    )
    assert count(app, Registration) == 0


def test_a_nul_in_the_sign_in_form_is_a_message_not_an_error(client: FlaskClient) -> None:
    response = client.post("/account/login", data={"email": "a\x00@b.example", "password": "x"})
    assert response.status_code == 200
    assert any("NUL" in error for error in errors_next_to(response.text, "email"))


def test_a_panel_title_with_a_line_break_is_refused(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    make_conference(slug="ttf9")
    response = organizer_client.post(
        "/manage/conferences/ttf9/panels/new",
        data=panel_form(title="Energy security\r\nin Asia"),
    )
    assert response.status_code == 200
    assert any("single line" in error for error in errors_next_to(response.text, "title"))
    assert count(app, Panel) == 0


def test_multi_line_text_keeps_newlines_and_tabs_only(
    app: Flask, organizer_client: FlaskClient
) -> None:
    theme = "Building a secure Asia\r\n\tand its\x07 neighbours\rtogether\x1b"
    response = organizer_client.post(
        "/manage/conferences/new", data=conference_form(slug="ttf9", theme=theme)
    )
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.scalars(db.select(Conference.theme)).one()
    assert stored == "Building a secure Asia\n\tand its neighbours\ntogether"


def test_a_nul_in_multi_line_text_is_refused(app: Flask, organizer_client: FlaskClient) -> None:
    response = organizer_client.post(
        "/manage/conferences/new", data=conference_form(description="Two\x00days")
    )
    assert response.status_code == 200
    assert any("NUL" in error for error in errors_next_to(response.text, "description"))
    assert count(app, Conference) == 0


def test_an_integer_hundreds_of_digits_long_is_refused(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    make_conference(slug="ttf9")
    response = organizer_client.post(
        "/manage/conferences/ttf9/registration/settings",
        data={
            "opens_at": "2030-11-01T09:00",
            "closes_at": "2030-12-01T09:00",
            "in_person_capacity": "9" * 300,
            "delegation_total_quota": "3000000000",
        },
    )
    assert response.status_code == 200
    assert errors_next_to(response.text, "in_person_capacity")
    assert errors_next_to(response.text, "delegation_total_quota")
    assert f'value="{"9" * 300}"' in response.text, "what was typed is kept"
    assert count(app, RegistrationSettings) == 0


def test_a_date_no_conversion_can_handle_is_refused(
    app: Flask, organizer_client: FlaskClient
) -> None:
    response = organizer_client.post(
        "/manage/conferences/new",
        data=conference_form(timezone="America/New_York", starts_at="0001-01-01T00:00"),
    )
    assert response.status_code == 200
    assert any("between the years" in e for e in errors_next_to(response.text, "starts_at"))
    assert count(app, Conference) == 0


def test_a_value_longer_than_its_column_is_refused(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable[..., int], members: None
) -> None:
    make_conference(slug="ttf9")
    long_address = "a" * 64 + "@" + ".".join(["b" * 60] * 3) + ".example"
    response = organizer_client.post(
        "/manage/conferences/ttf9/registration/focal-points",
        data={"email": long_address, "name": "n" * 201, "member": "1"},
    )
    assert response.status_code == 200
    assert errors_next_to(response.text, "email")
    assert errors_next_to(response.text, "name")


def test_every_page_answers_a_nul_in_its_path_or_query_with_an_error_page(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    make_conference(slug="ttf9")
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in methods(rule) or rule.endpoint == "static":
            continue
        url = dummy_url(app, rule).replace("no-such-thing", "ttf9")
        if rule.arguments:
            with_nul = re.sub(r"ttf9|no-such-thing", "ttf%009", url, count=1)
            if with_nul != url:
                response = organizer_client.get(with_nul)
                assert response.status_code == 404, (rule.rule, response.status_code)
        response = organizer_client.get(f"{url}?q=a%00b&member=%00&lang=ru%00")
        assert response.status_code == 400, (rule.rule, response.status_code)
        assert "NUL" in response.text
        checked += 1
    assert checked > 40


def test_an_anonymous_visitor_with_a_nul_in_the_path_gets_a_404_page(
    client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    make_conference(slug="ttf9")
    for path in ("/conferences/ttf9%00", "/conferences/ttf9%00/register", "/series/a%00/x"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "<h1>404</h1>" in response.text


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("Zhang Wei", None),
        ("Ямуна Қасымова", None),
        ("a\tb", "contains U+0009 (TAB), which a single line cannot hold"),
        ("a\x00b", "contains U+0000 (NUL), which a single line cannot hold"),
        ("a\u0085b", "contains U+0085 (control character), which a single line cannot hold"),
    ],
)
def test_problem_in_line_names_the_character(value: str, problem: str | None) -> None:
    assert problem_in_line(value) == problem


def test_normalise_lines() -> None:
    assert normalise_lines("a\r\nb\rc\n\td\x00e\x7f\u2028") == "a\nb\nc\n\td\x00e"
    assert normalise_lines(None) is None
