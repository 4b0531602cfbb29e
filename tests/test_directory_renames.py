"""Renaming an institution or a member reaches the calendars at once: the panels whose people
belong to it, and their conferences, get a new version, so feeds (and their ETags), the
in-process caches keyed on it and panel mail say the new name, not up to five minutes
later; panels of other people keep theirs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.conferences.changes import name_in_languages
from registration.conferences.models import Panel, PanelPerson, PanelRole, Person
from registration.database import db
from registration.directory.models import Institution, Member
from tests.ics_check import read_all

pytestmark = pytest.mark.usefixtures("members")
FEED = "/conferences/ttf-9/calendar.ics"


def with_speaker(app: Flask, panel_id: int, person: Person) -> None:
    with app.app_context():
        db.session.add(
            PanelPerson(panel_id=panel_id, role=PanelRole.SPEAKER, position=0, person=person)
        )
        db.session.commit()


def versions(app: Flask, *panel_ids: int) -> list[datetime]:
    with app.app_context():
        panels = [db.session.get_one(Panel, panel_id) for panel_id in panel_ids]
        return [panel.updated_at for panel in panels] + [panels[0].conference.updated_at]


def description(client: FlaskClient, panel_id: int, etag: str) -> str:
    response = client.get(FEED, headers={"If-None-Match": etag})
    assert response.status_code == 200, "a new version, not 304"
    return read_all(response.data)["by_uid"][f"panel-{panel_id}@localhost"]["description"]


@pytest.fixture
def panel_id(make_conference: Callable[..., int], make_panel: Callable[..., int]) -> int:
    """A panel of ttf-9, whose feed is FEED."""
    return make_panel(make_conference(slug="ttf-9"), title="Security")


@pytest.fixture
def institution_id(app: Flask, panel_id: int) -> int:
    """The Shanghai Institute, whose Chen Dongxiao speaks on the panel."""
    with app.app_context():
        siis = Institution(name="Shanghai Institute")
        db.session.add(siis)
        db.session.commit()
        institution_id = siis.id
    with_speaker(app, panel_id, Person(name="Chen Dongxiao", institution_id=institution_id))
    return institution_id


def test_an_institution_renamed_is_in_the_feed_at_once(
    app: Flask,
    client: FlaskClient,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
    panel_id: int,
    institution_id: int,
) -> None:
    other_id = make_panel(make_conference(slug="ttf-10"), title="Trade")
    with_speaker(app, other_id, Person(name="Li Wei", position="Director"))
    first = client.get(FEED)
    assert "Chen Dongxiao, Shanghai Institute" in read_all(first.data)["by_uid"][
        f"panel-{panel_id}@localhost"
    ]["description"].replace("\n", "")
    before, untouched = versions(app, panel_id), versions(app, other_id)

    with app.app_context():
        db.session.get_one(Institution, institution_id).name = "Shanghai Institutes (SIIS)"
        db.session.commit()

    after = versions(app, panel_id)
    assert all(new > old for new, old in zip(after, before, strict=True))
    assert versions(app, other_id) == untouched
    text = description(client, panel_id, first.headers["ETag"])
    assert "Chen Dongxiao, Shanghai Institutes (SIIS)" in text.replace("\n", "")


def test_a_member_renamed_is_in_the_feed_at_once(
    app: Flask, client: FlaskClient, panel_id: int
) -> None:
    with app.app_context():
        member = db.session.scalars(db.select(Member).filter_by(code="KAZ")).one()
        old_name, member_id = member.name, member.id
    with_speaker(app, panel_id, Person(name="Aigerim Sadykova", member_id=member_id))
    first = client.get(FEED)
    before = versions(app, panel_id)

    with app.app_context():
        db.session.get_one(Member, member_id).name = "Qazaqstan Respublikasy"
        db.session.commit()

    assert all(new > old for new, old in zip(versions(app, panel_id), before, strict=True))
    text = description(client, panel_id, first.headers["ETag"]).replace("\n", "")
    assert "Aigerim Sadykova, Qazaqstan Respublikasy" in text
    assert old_name not in text


def test_other_edits_of_the_directory_move_nothing(
    app: Flask, client: FlaskClient, panel_id: int, institution_id: int
) -> None:
    first = client.get(FEED)
    before = versions(app, panel_id)
    with app.app_context():
        db.session.get_one(Institution, institution_id).short_name = "SIIS"
        db.session.commit()
    assert versions(app, panel_id) == before
    # A calendar that asks again is told its copy is current.
    assert client.get(FEED, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_an_institution_named_in_another_language_moves_its_panels_too(
    app: Flask, panel_id: int, institution_id: int
) -> None:
    before = versions(app, panel_id)
    with app.app_context():
        institution = db.session.get_one(Institution, institution_id)
        assert name_in_languages(institution, {"ru": "Шанхайский институт"})
        db.session.commit()
    assert all(new > old for new, old in zip(versions(app, panel_id), before, strict=True))
