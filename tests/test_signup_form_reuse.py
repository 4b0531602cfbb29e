"""The registration page is rendered once per worker and reused: every visitor still gets a
token of their own, and an organiser's change, a full house or a signed-in user shows on the
next page."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import ChoiceLoader, DictLoader

from registration.accounts.models import User
from registration.conferences.models import Conference, Panel
from registration.database import db
from registration.signup.models import Answer, Question, QuestionKind
from tests.conftest import PASSWORD
from tests.query_count import counting_queries
from tests.signup_support import form_data, member_id, open_registration

REGISTER = "/conferences/reuse/register"
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def conference_id(
    app: Flask, members: None, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> int:
    conference_id = make_conference(slug="reuse")
    make_panel(conference_id, title="Energy corridors")
    open_registration(app, conference_id)
    return conference_id


def token_on(page: str) -> str:
    found = TOKEN.search(page)
    assert found, "the form has no CSRF token"
    return found.group(1)


@pytest.mark.usefixtures("csrf_enabled")
def test_each_visitor_gets_a_working_token_of_their_own(app: Flask, conference_id: int) -> None:
    first, second = app.test_client(), app.test_client()
    first_page = first.get("/conferences/reuse/register").text
    second_page = second.get("/conferences/reuse/register").text
    first_token, second_token = token_on(first_page), token_on(second_page)
    assert first_token != second_token
    assert "\x00" not in first_page

    kaz = member_id(app, "KAZ")
    stolen = second.post(
        "/conferences/reuse/register",
        data=form_data(kaz, email="second@example.org", csrf_token=first_token),
    )
    assert stolen.status_code == 400
    assert "The form expired" in stolen.text

    sent = first.post(
        "/conferences/reuse/register",
        data=form_data(kaz, email="first@example.org", csrf_token=first_token),
    )
    assert sent.status_code == 302


def test_a_renamed_panel_shows_on_the_next_page(
    app: Flask, client: FlaskClient, conference_id: int
) -> None:
    assert "Energy corridors" in client.get("/conferences/reuse/register").text
    with app.app_context():
        panel = db.session.scalars(db.select(Panel).filter_by(conference_id=conference_id)).one()
        panel.title = "Transport and energy corridors"
        db.session.commit()
    page = client.get("/conferences/reuse/register").text
    assert "Transport and energy corridors" in page


def test_a_template_showing_another_field_is_not_served_stale_after_an_edit(
    app: Flask, client: FlaskClient, conference_id: int
) -> None:
    """The cached page is keyed on the version of the rows it is rendered from, so a
    template that starts showing the venue (which the page did not show) follows an edit."""
    original = app.jinja_env.loader
    assert original is not None
    shown = original.get_source(app.jinja_env, "signup/register.html")[0].replace(
        "{% block content %}", "{% block content %}<p id=venue>{{ conference.venue }}</p>", 1
    )
    app.jinja_env.loader = ChoiceLoader([DictLoader({"signup/register.html": shown}), original])
    try:
        with app.app_context():
            db.session.get_one(Conference, conference_id).venue = "Palace of Independence"
            db.session.commit()
        assert "<p id=venue>Palace of Independence</p>" in client.get(REGISTER).text
        with app.app_context():
            db.session.get_one(Conference, conference_id).venue = "Congress Centre"
            db.session.commit()
        assert "<p id=venue>Congress Centre</p>" in client.get(REGISTER).text
    finally:
        app.jinja_env.loader = original


def test_a_refused_form_keeps_what_was_typed_and_the_next_visitor_gets_a_blank_one(
    app: Flask, conference_id: int
) -> None:
    client = app.test_client()
    client.get("/conferences/reuse/register")
    refused = client.post(
        "/conferences/reuse/register",
        data=form_data(member_id(app, "KAZ"), name="Dana Typed", email="not-an-address"),
    )
    assert refused.status_code == 200
    assert 'value="Dana Typed"' in refused.text
    assert "Enter a valid e-mail address" in refused.text
    blank = app.test_client().get("/conferences/reuse/register").text
    assert "Dana Typed" not in blank
    assert "Enter a valid e-mail address" not in blank


def test_a_renamed_conference_shows_on_the_next_page(
    app: Flask, client: FlaskClient, conference_id: int
) -> None:
    assert "Ninth Meeting" in client.get("/conferences/reuse/register").text
    with app.app_context():
        conference = db.session.get(Conference, conference_id)
        assert conference is not None
        conference.title = "Tenth Meeting of the CICA Think Tank Forum"
        db.session.commit()
    page = app.test_client().get("/conferences/reuse/register").text
    assert "Register for Tenth Meeting" in page


def test_the_page_says_so_once_the_last_seat_is_taken(app: Flask, conference_id: int) -> None:
    open_registration(app, conference_id, in_person_capacity=1, approval_required=False)
    full = 'id="in-person-full"'
    assert full not in app.test_client().get("/conferences/reuse/register").text
    sent = app.test_client().post(
        "/conferences/reuse/register",
        data=form_data(member_id(app, "KAZ"), email="first@example.org", mode="in_person"),
    )
    assert sent.status_code == 302
    assert full in app.test_client().get("/conferences/reuse/register").text
    refused = app.test_client().post(
        "/conferences/reuse/register",
        data=form_data(member_id(app, "KAZ"), email="not-an-address", mode="in_person"),
    )
    assert refused.status_code == 200
    assert full in refused.text, "a form sent back for a mistake still says the seats are gone"


def test_a_signed_in_organiser_and_a_flashed_message_are_not_served_to_others(
    app: Flask, conference_id: int, make_organizer: Callable[..., User]
) -> None:
    anonymous = app.test_client().get("/conferences/reuse/register").text
    assert "Sign in" in anonymous

    organiser = app.test_client()
    user = make_organizer()
    organiser.post("/account/login", data={"email": user.email, "password": PASSWORD})
    signed_in = organiser.get("/conferences/reuse/register").text
    assert "Sign out" in signed_in

    with organiser.session_transaction() as session:
        session["_flashes"] = [("success", "Settings saved.")]
    assert "Settings saved." in organiser.get("/conferences/reuse/register").text

    again = app.test_client().get("/conferences/reuse/register").text
    assert "Sign out" not in again
    assert "Settings saved." not in again
    assert "Sign in" in again


def test_questions_changed_by_another_process_show_on_the_next_page(
    app: Flask, client: FlaskClient, conference_id: int
) -> None:
    """Each worker keeps the form's questions until their version (count, highest id,
    latest change, read with the conference) moves: a question added, changed or removed
    straight in the database, as another worker would, shows on the next page."""
    assert "Dietary needs" not in client.get(REGISTER).text
    with app.app_context():
        question = Question(
            conference_id=conference_id, label="Dietary needs", kind=QuestionKind.SHORT_TEXT
        )
        db.session.add(question)
        db.session.commit()
        question_id = question.id
    assert "Dietary needs" in client.get(REGISTER).text
    with app.app_context():
        db.session.get_one(Question, question_id).label = "Dietary or access needs"
        db.session.commit()
    assert "Dietary or access needs" in client.get(REGISTER).text
    sent = client.post(
        REGISTER,
        data=form_data(member_id(app, "KAZ"), **{f"question_{question_id}": "Halal"}),
    )
    assert sent.status_code == 302
    with app.app_context():
        answer = db.session.scalars(db.select(Answer).filter_by(question_id=question_id)).one()
        assert answer.value == "Halal"
        db.session.delete(answer)
        db.session.delete(db.session.get_one(Question, question_id))
        db.session.commit()
    assert "Dietary or access needs" not in client.get(REGISTER).text


def test_a_form_without_questions_reads_no_questions_and_no_subscribers(
    app: Flask, client: FlaskClient, conference_id: int
) -> None:
    """The page runs one statement; the POST reads neither the questions nor the webhook
    subscriptions with their owners (only whether any chose the event)."""
    client.get(REGISTER)
    with counting_queries(app) as page_statements:
        page = client.get(REGISTER)
    assert page.status_code == 200
    assert len(page_statements) == 1
    with counting_queries(app) as post_statements:
        sent = client.post(REGISTER, data=form_data(member_id(app, "KAZ")))
    assert sent.status_code == 302
    assert not [s for s in post_statements if s.startswith("SELECT registration_questions")]
    assert not [s for s in post_statements if "JOIN users" in s]
