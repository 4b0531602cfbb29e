"""The sample meeting: upcoming, marked as a sample, open for registration, idempotent."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from registration.conferences.models import (
    Conference,
    ConferenceOrganizer,
    OrganizerRole,
    Series,
)
from registration.database import db, utcnow
from registration.directory.services import get_or_create_institution
from registration.signup.demo import HOST, HOST_TRANSLATIONS, seed_sample_meeting
from registration.signup.models import Registration


def test_sample_meeting_is_upcoming_open_and_seeded_once(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        seed_sample_meeting()
        seed_sample_meeting()
        [conference] = db.session.scalars(db.select(Conference)).all()
        assert "(sample)" in conference.title
        assert "SAMPLE" in conference.description
        assert conference.series is not None
        assert conference.series.slug == "cica-ttf"
        assert len(db.session.scalars(db.select(Series)).all()) == 1
        assert timedelta(days=28) < conference.starts_at - utcnow() < timedelta(days=32)
        assert len(conference.panels) == 5
        people = db.session.scalars(db.select(Registration)).all()
        assert len(people) == 6
        assert len({r.member_id for r in people}) == 6
        slug = conference.slug
    form = client.get(f"/conferences/{slug}/register").text
    assert 'id="registration-form"' in form
    assert ">Kazakh<" in form
    assert "Aigerim Sample" in client.get(f"/conferences/{slug}/participants").text


def test_reseeding_on_a_later_day_moves_panels_with_a_higher_sequence(app: Flask) -> None:
    """Invitations already sent and subscribed calendars must take the new times."""
    with app.app_context():
        conference = seed_sample_meeting()
        for panel in conference.panels:  # as if it had been seeded a day earlier
            panel.starts_at -= timedelta(days=1)
            panel.ends_at -= timedelta(days=1)
        db.session.commit()
        before = {panel.id: panel.sequence for panel in conference.panels}
        conference = seed_sample_meeting()
        assert {p.id: p.sequence for p in conference.panels} == {
            pid: sequence + 1 for pid, sequence in before.items()
        }
        seed_sample_meeting()
        assert {p.id: p.sequence for p in conference.panels} == {
            pid: sequence + 1 for pid, sequence in before.items()
        }


def test_the_sample_meeting_reads_in_russian_and_kazakh(app: Flask, client: FlaskClient) -> None:
    """The meeting the walks use is in the three languages like the seed meetings."""
    with app.app_context():
        slug = seed_sample_meeting().slug
    kazakh = client.get(f"/conferences/{slug}/register?lang=kk").text
    assert "АӨСШК-тің Талдау орталықтары форумының 10-отырысы (үлгі)" in kazakh
    assert "1-панель. АӨСШК кеңістігіндегі қауіпсіздікке төнетін жаңа сын-қатерлер" in kazakh
    assert 'lang="en">Tenth Meeting' not in kazakh
    russian = client.get(f"/conferences/{slug}?lang=ru").text
    assert "Десятое заседание Форума аналитических центров СВМДА (образец)" in russian
    assert "Заключительная дискуссия" in russian
    assert "Главный зал" in russian


def test_the_sample_host_has_three_names_and_people_write_in_three_languages(
    app: Flask, client: FlaskClient
) -> None:
    """The host (Aigerim's institution too) is the seed's institution with Russian and Kazakh
    names, also when a sample seeded before had another host; some people read our mail in
    Kazakh, some in Russian."""
    with app.app_context():
        conference = seed_sample_meeting()
        old = get_or_create_institution("Kazakhstan Institute for Strategic Studies")
        host = conference.host
        conference.organizers.clear()
        conference.organizers.append(ConferenceOrganizer(institution=old, role=OrganizerRole.HOST))
        db.session.commit()
        conference = seed_sample_meeting()
        assert [o.institution for o in conference.organizers] == [host]
        assert host.name == HOST
        assert host.text_in("name", "kk") == HOST_TRANSLATIONS["kk"]["name"]
        people = {r.name: r for r in db.session.scalars(db.select(Registration))}
        assert people["Aigerim Sample"].institution_id == host.id
        languages = {name: r.mail_language for name, r in people.items()}
        assert languages["Aigerim Sample"] == "kk"
        assert languages["Ivan Sample"] == "ru"
        slug = conference.slug
    page = client.get(f"/conferences/{slug}?lang=kk").text
    assert HOST_TRANSLATIONS["kk"]["name"] in page
