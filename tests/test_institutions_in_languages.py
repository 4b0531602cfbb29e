"""Institution names in English, Russian and Kazakh: organisers type the host's name side by
side, visitors read their language (else the institution's main one, marked with `lang`),
the API gives every name, and the demo data holds them in three languages."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from registration.conferences import services
from registration.conferences.changes import institution_named
from registration.conferences.models import PanelPerson, PanelRole, Person
from registration.database import db
from registration.directory.models import Institution
from tests.test_conference_management import conference_form, panel_form

SIIS = {
    "host": "Shanghai Institutes for International Studies",
    "host_ru": "Шанхайский институт международных исследований",
    "host_kk": "Шанхай халықаралық зерттеулер институты",
}


def facts(page: str, term: str) -> str:
    match = re.search(rf"<dt>{term}</dt><dd>(.*?)</dd>", page, re.S)
    assert match is not None, term
    return match.group(1)


def test_an_organiser_types_the_hosts_name_in_three_languages(
    organizer_client: FlaskClient, app: Flask
) -> None:
    data = conference_form(slug="ttf9", new_co_organizers="Asan Institute for Policy Studies")
    response = organizer_client.post("/manage/conferences/new", data={**data, **SIIS})
    assert response.status_code == 302
    with app.app_context():
        conference = services.conference_by_slug("ttf9")
        assert conference is not None
        assert conference.host is not None
        assert (conference.host.name, conference.host.language) == (SIIS["host"], "en")
        assert conference.host.translations == {
            "ru": {"name": SIIS["host_ru"]},
            "kk": {"name": SIIS["host_kk"]},
        }
        services.publish_conference(conference)
    edit = organizer_client.get("/manage/conferences/ttf9/edit").text
    assert f'value="{SIIS["host_kk"]}"' in edit, "the edit form shows every language"
    assert re.search(r'<input[^>]*id="host_kk"[^>]*lang="kk"', edit)

    assert (
        facts(organizer_client.get("/conferences/ttf9?lang=kk").text, "Қабылдаушы тарап")
        == (SIIS["host_kk"])
    )
    russian = organizer_client.get("/conferences/ttf9?lang=ru").text
    assert facts(russian, "Принимающая сторона") == SIIS["host_ru"]
    assert '<li><span lang="en">Asan Institute for Policy Studies</span></li>' in russian, (
        "a co-organiser without a Russian name: the English one, marked"
    )
    english = organizer_client.get("/conferences/ttf9?lang=en").text
    assert facts(english, "Host") == SIIS["host"]

    # An edit that leaves the Kazakh name empty keeps it; a new Russian name replaces the old.
    data = {**data, **SIIS, "host_ru": "ШИМИ", "host_kk": ""}
    assert organizer_client.post("/manage/conferences/ttf9/edit", data=data).status_code == 302
    with app.app_context():
        host = db.session.scalar(db.select(Institution).filter_by(name=SIIS["host"]))
        assert host is not None
        assert host.translations == {"ru": {"name": "ШИМИ"}, "kk": {"name": SIIS["host_kk"]}}

    api = organizer_client.get("/api/v1/conferences/ttf9").get_json()
    assert api["host"]["name"] == SIIS["host"]
    assert api["host"]["language"] == "en"
    assert api["host"]["names"] == {"en": SIIS["host"], "ru": "ШИМИ", "kk": SIIS["host_kk"]}
    assert api["co_organizers"][0]["names"] == {"en": "Asan Institute for Policy Studies"}


def test_a_host_named_only_in_russian_is_a_russian_name(
    organizer_client: FlaskClient, app: Flask
) -> None:
    """No English name typed on an English conference: the Russian one is the institution's
    main name, and that name or a translation finds the institution again."""
    data = conference_form(slug="ru-host", host="", host_ru=SIIS["host_ru"])
    assert organizer_client.post("/manage/conferences/new", data=data).status_code == 302
    with app.app_context():
        conference = services.conference_by_slug("ru-host")
        assert conference is not None
        assert conference.host is not None
        host = conference.host
        assert (host.name, host.language, host.translations) == (SIIS["host_ru"], "ru", {})
        host.translations = {"kk": {"name": SIIS["host_kk"]}}
        db.session.commit()
        assert institution_named(SIIS["host_kk"].upper()) is host
        assert institution_named(SIIS["host_ru"]) is host
        services.publish_conference(conference)
    english = organizer_client.get("/conferences/ru-host?lang=en").text
    assert facts(english, "Host") == f'<span lang="ru">{SIIS["host_ru"]}</span>'


def test_speakers_institutions_in_the_pages_language(
    app: Flask,
    client: FlaskClient,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
) -> None:
    conference_id = make_conference(slug="speakers")
    panel_id = make_panel(conference_id, title="Opening")
    with app.app_context():
        institution = Institution(
            name=SIIS["host"],
            language="en",
            translations={"kk": {"name": SIIS["host_kk"]}},
        )
        person = Person(name="Wang Jian", position="Director", institution=institution)
        db.session.add(PanelPerson(panel_id=panel_id, person=person, role=PanelRole.SPEAKER))
        db.session.commit()
    kazakh = client.get("/conferences/speakers?lang=kk").text
    assert f'Wang Jian <span class="affiliation">— Director, {SIIS["host_kk"]}</span>' in kazakh
    russian = client.get("/conferences/speakers?lang=ru").text
    assert f'— Director, <span lang="en">{SIIS["host"]}</span></span>' in russian
    [speaker] = client.get("/api/v1/conferences/speakers").get_json()["panels"][0]["speakers"]
    assert speaker["affiliation"] == f"Director, {SIIS['host']}"
    assert speaker["affiliations"] == {
        "en": f"Director, {SIIS['host']}",
        "kk": f"Director, {SIIS['host_kk']}",
    }


def test_the_secretariat_edits_an_institutions_names(
    organizer_client: FlaskClient, app: Flask
) -> None:
    with app.app_context():
        siis = Institution(name=SIIS["host"])
        other = Institution(name="Asan Institute for Policy Studies")
        db.session.add_all([siis, other])
        db.session.commit()
        siis_id, other_id = siis.id, other.id
    listing = organizer_client.get("/manage/institutions/?lang=ru").text
    assert "<h1>Учреждения</h1>" in listing
    assert f'<td><span lang="en">{SIIS["host"]}</span></td>' in listing
    assert f"/manage/institutions/{siis_id}/edit" in listing

    data = {
        "language": "ru",
        "name": SIIS["host"],
        "name_ru": SIIS["host_ru"],
        "name_kk": SIIS["host_kk"],
        "short_name": "SIIS",
    }
    response = organizer_client.post(f"/manage/institutions/{siis_id}/edit", data=data)
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Institution, siis_id)
        assert saved is not None
        assert (saved.name, saved.language, saved.short_name) == (SIIS["host_ru"], "ru", "SIIS")
        assert saved.translations == {
            "en": {"name": SIIS["host"]},
            "kk": {"name": SIIS["host_kk"]},
        }
    edit = organizer_client.get(f"/manage/institutions/{siis_id}/edit").text
    assert f'value="{SIIS["host_kk"]}"' in edit

    # The main name is how an institution is found: another may not take it. (The pages
    # stay in Russian: the language chosen with ?lang= is kept.)
    taken = {"language": "en", "name": SIIS["host_ru"].upper()}
    page = organizer_client.post(f"/manage/institutions/{other_id}/edit", data=taken).text
    assert '<p class="error" id="name-error">Это название уже носит другое учреждение.' in page
    missing = {"language": "kk", "name": "Asan"}
    page = organizer_client.post(f"/manage/institutions/{other_id}/edit", data=missing).text
    assert 'id="name_kk-error">Введите название на основном языке (Казахский)' in page


def test_new_institutions_take_the_conferences_language_and_every_name_is_suggested(
    organizer_client: FlaskClient, app: Flask
) -> None:
    data = conference_form(
        slug="ru-main",
        language="ru",
        title="",
        title_ru="Девятое заседание",
        venue_ru="Зал А",
        **SIIS,
    )
    assert organizer_client.post("/manage/conferences/new", data=data).status_code == 302
    panel = panel_form(title="", title_ru="Открытие", speakers="Ли Вэй — Директор, Институт Азии")
    response = organizer_client.post("/manage/conferences/ru-main/panels/new", data=panel)
    assert response.status_code == 302
    with app.app_context():
        found = db.session.scalar(db.select(Institution).filter_by(name="Институт Азии"))
        assert found is not None
        assert found.language == "ru", "a speaker's new institution: the conference's language"
    edit = organizer_client.get("/manage/conferences/ru-main/edit").text
    for name in SIIS.values():
        assert f'<option value="{name}">' in edit, name


def test_the_conference_form_names_series_and_co_organisers_in_the_organisers_language(
    organizer_client: FlaskClient, app: Flask, make_series: Callable[..., int]
) -> None:
    series_id = make_series(
        translations={"ru": {"name": "Форум аналитических центров СВМДА"}},
    )
    with app.app_context():
        siis = Institution(name=SIIS["host"], translations={"ru": {"name": SIIS["host_ru"]}})
        db.session.add_all([siis, Institution(name="Asan Institute for Policy Studies")])
        db.session.commit()
    russian = organizer_client.get("/manage/conferences/new?lang=ru").text
    assert f'<option value="{series_id}">Форум аналитических центров СВМДА</option>' in russian
    assert "CICA Think Tank Forum</option>" not in russian
    co_organisers = russian.split('id="co_organizers"')[1].split("</select>")[0]
    assert f'<option value="{SIIS["host"]}">{SIIS["host_ru"]}</option>' in co_organisers
    assert (
        '<option lang="en" value="Asan Institute for Policy Studies">'
        "Asan Institute for Policy Studies</option>"
    ) in co_organisers, "no Russian name: the main one, marked"
    kazakh = organizer_client.get("/manage/conferences/new?lang=kk").text
    assert f'<option lang="en" value="{series_id}">CICA Think Tank Forum</option>' in kazakh

    # The stored choice is the main name, whatever the page showed.
    data = conference_form(
        slug="ttf9", series_id=str(series_id), host="", co_organizers=SIIS["host"]
    )
    assert organizer_client.post("/manage/conferences/new", data=data).status_code == 302
    with app.app_context():
        conference = services.conference_by_slug("ttf9")
        assert conference is not None
        assert conference.series_id == series_id
        assert [i.name for i in services.co_organizers(conference)] == [SIIS["host"]]
