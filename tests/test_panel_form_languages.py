"""The panel form's speaker and moderator lines name institutions in the organiser's page
language and read any language's name back as the same institution: a form opened in
Russian or Kazakh and saved unchanged changes nothing and tells nobody."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.audit.models import AuditEntry
from registration.conferences.models import Conference, Panel, Person
from registration.database import db
from registration.directory.models import Institution
from registration.jobs.models import Job
from registration.mail.models import OutgoingMail
from registration.signup import services as signup
from registration.signup.models import Registration
from tests.signup_support import form_data, member_id, open_registration
from tests.test_conference_management import panel_form

SIIS = {
    "en": "Shanghai Institutes for International Studies",
    "ru": "Шанхайский институт международных исследований",
    "kk": "Шанхай халықаралық зерттеулер институты",
}
SECRETARIAT = {"en": "CICA Secretariat", "ru": "Секретариат СВМДА", "kk": "АӨСШК Хатшылығы"}
KAZAKHSTAN = {"en": "Kazakhstan", "ru": "Казахстан", "kk": "Қазақстан"}


class FormValues(HTMLParser):
    """The values a browser would send back for the form with id `form_id`, unchanged."""

    def __init__(self, page: str, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.values = form_id, False, {}
        self._textarea: str | None = None
        self._select: str | None = None
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.inside = found.get("id") == self.form_id
        if not self.inside or tag not in ("input", "textarea", "select", "option"):
            return
        name = found.get("name", "")
        if tag == "input" and found.get("type") not in ("submit", "checkbox", "radio"):
            self.values[name] = found.get("value", "")
        elif tag == "input" and "checked" in found:
            self.values[name] = found.get("value", "y")
        elif tag == "textarea":
            self._textarea, self.values[name] = name, ""
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in found:
            self.values[self._select] = found.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        self._textarea = None if tag == "textarea" else self._textarea
        self._select = None if tag == "select" else self._select

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            text = self.values[self._textarea] + data
            # a browser drops the newline that follows <textarea>
            self.values[self._textarea] = text.removeprefix("\r").removeprefix("\n")


def state(app: Flask, panel_id: int) -> tuple[object, ...]:
    """Everything an unchanged save must leave as it was."""
    with app.app_context():
        panel = db.session.get(Panel, panel_id)
        assert panel is not None
        conference = db.session.get(Conference, panel.conference_id)
        assert conference is not None
        people = db.session.scalars(db.select(Person).order_by(Person.id)).all()
        institutions = db.session.scalars(db.select(Institution).order_by(Institution.id)).all()
        count = db.func.count
        return (
            panel.sequence,
            panel.updated_at,
            conference.updated_at,
            [(p.id, p.name, p.position, p.institution_id) for p in people],
            [(i.id, i.name, i.language, i.translations) for i in institutions],
            db.session.scalar(db.select(count(OutgoingMail.id))),
            db.session.scalar(db.select(count(Job.id))),
            db.session.scalar(db.select(count(AuditEntry.id))),
        )


@pytest.fixture
def panel_with_people(
    app: Flask,
    client: FlaskClient,
    organizer_client: FlaskClient,
    members: None,
    make_conference: Callable[..., int],
) -> int:
    """A published conference's panel entered in English, its institutions then named in
    Russian and Kazakh too, and an approved attendee holding its calendar invitation."""
    make_conference(slug="ttf9")
    data = panel_form(
        moderators=f"Chen Dongxiao — President, {SIIS['en']}",
        speakers=f"Kairat Sarybay — Executive Director, {SECRETARIAT['en']}\nBolat Nurgaliyev",
    )
    assert (
        organizer_client.post("/manage/conferences/ttf9/panels/new", data=data).status_code == 302
    )
    with app.app_context():
        for names in (SIIS, SECRETARIAT):
            institution = db.session.scalar(db.select(Institution).filter_by(name=names["en"]))
            assert institution is not None
            institution.translations = {"ru": {"name": names["ru"]}, "kk": {"name": names["kk"]}}
        bolat = db.session.scalars(db.select(Person).filter_by(name="Bolat Nurgaliyev")).one()
        bolat.position, bolat.member_id = "Ambassador", member_id(app, "KAZ")  # a state only
        db.session.commit()
        panel_id = db.session.scalars(db.select(Panel.id)).one()
        conference_id = db.session.scalars(db.select(Conference.id)).one()
    open_registration(app, conference_id)
    attendee = form_data(member_id(app, "KAZ"), panels=[str(panel_id)], mail_language="ru")
    assert client.post("/conferences/ttf9/register", data=attendee).status_code == 302
    with app.app_context():
        signup.decide(db.session.scalars(db.select(Registration)).one(), approve=True)
    return panel_id


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_panel_form_saved_unchanged_in_another_language_changes_nothing(
    app: Flask, organizer_client: FlaskClient, panel_with_people: int, language: str
) -> None:
    edit = f"/manage/conferences/ttf9/panels/{panel_with_people}/edit?lang={language}"
    page = organizer_client.get(edit).text
    values = FormValues(page, "panel-form").values
    assert values["moderators"] == f"Chen Dongxiao — President, {SIIS[language]}"
    assert values["speakers"] == (
        f"Kairat Sarybay — Executive Director, {SECRETARIAT[language]}\n"
        f"Bolat Nurgaliyev — Ambassador, {KAZAKHSTAN[language]}"
    )
    before = state(app, panel_with_people)
    assert organizer_client.post(edit, data=values).status_code == 302
    assert state(app, panel_with_people) == before, "no institution, person, version or mail"


def test_a_name_in_another_language_finds_the_same_institution_for_a_new_person(
    app: Flask, organizer_client: FlaskClient, panel_with_people: int
) -> None:
    edit = f"/manage/conferences/ttf9/panels/{panel_with_people}/edit?lang=ru"
    values = FormValues(organizer_client.get(edit).text, "panel-form").values
    values["speakers"] += f"\nLi Wei — Researcher, «{SIIS['kk'].upper()}»"
    assert organizer_client.post(edit, data=values).status_code == 302
    with app.app_context():
        li = db.session.scalar(db.select(Person).filter_by(name="Li Wei"))
        assert li is not None
        assert li.institution is not None
        assert li.institution.name == SIIS["en"], "the same institution, not a new one"
        assert db.session.scalar(db.select(db.func.count(Institution.id))) == 2
        assert isinstance(li.institution.translations, dict)
        assert li.institution.translations["ru"] == {"name": SIIS["ru"]}, "no rename"
