"""Feeds in a language: public feeds take ?lang=, the personal feed follows the person's mail
language; texts fall back to the conference's language, RFC 5545's LANGUAGE says which,
three parsers read them, and each language has its own bytes, ETag and 304s."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.calendars import ical, render, services
from registration.calendars.loading import panel_rows
from registration.conferences.models import (
    Conference,
    ConferenceFormat,
    PanelPerson,
    PanelRole,
    Person,
)
from registration.database import db
from registration.directory.models import Institution, Member
from registration.signup.models import Registration
from tests.calendar_data import register
from tests.conftest import at
from tests.ics_check import read_all, with_icalendar, with_vobject
from tests.query_count import counting_queries

KK_TITLE = "АӨСШК Сараптамалық орталықтар форумының тоғызыншы отырысы"
RU_TITLE = "Девятое заседание Форума аналитических центров СВМДА"
SIIS = {
    "en": "Shanghai Institutes for International Studies",
    "ru": "Шанхайский институт международных исследований",
    "kk": "Шанхай халықаралық зерттеулер институты",
}
# An institution whose main name is Russian and which has no English or Kazakh name.
RU_ONLY = "Институт мировой экономики и международных отношений"
# A speaker listed with a member state and no institution, a moderator with an organisation:
# named by pycountry's translations and the directory catalogue's names.
STATE = {"en": "Azerbaijan", "ru": "Азербайджан", "kk": "Әзірбайжан"}
ORGANISATION = {
    "en": "United Nations",
    "ru": "Организация Объединённых Наций",
    "kk": "Біріккен Ұлттар Ұйымы",
}


def _speakers() -> list[PanelPerson]:
    """A speaker of an English-named institution with Russian and Kazakh names, and one of a
    Russian-named institution with no other name (every language falls back to it)."""
    siis = Institution(
        name=SIIS["en"],
        language="en",
        translations={code: {"name": SIIS[code]} for code in ("ru", "kk")},
    )
    imemo = Institution(name=RU_ONLY, language="ru")
    return [
        PanelPerson(
            person=Person(name="Chen Dongxiao", position="President", institution=siis),
            role=PanelRole.SPEAKER,
            position=0,
        ),
        PanelPerson(
            person=Person(name="Ivanov", institution=imemo), role=PanelRole.SPEAKER, position=1
        ),
    ]


def _members_people() -> list[PanelPerson]:
    """A speaker of a member state and a moderator of an organisation, neither with an
    institution (needs the `members` fixture)."""

    def member(code: str) -> Member:
        return db.session.execute(db.select(Member).filter_by(code=code)).scalar_one()

    return [
        PanelPerson(
            person=Person(name="Elnur Aliyev", position="Ambassador", member=member("AZE")),
            role=PanelRole.SPEAKER,
            position=2,
        ),
        PanelPerson(
            person=Person(name="Anna Berg", member=member("UN")),
            role=PanelRole.MODERATOR,
            position=1,
        ),
    ]


@pytest.fixture(autouse=True)
def _cold_caches() -> None:
    services.clear_caches()


@pytest.fixture
def forum(make_conference: Callable[..., int], make_panel: Callable[..., int]) -> dict[str, int]:
    """An English hybrid conference with Russian and Kazakh texts; the second panel has only
    a Russian title (Kazakh falls back to English)."""
    conference_id = make_conference(
        slug="ttf-9",
        format=ConferenceFormat.HYBRID,
        online_url="https://meet.example/main",
        theme="Security, together",
        translations={
            "ru": {"title": RU_TITLE, "city": "Шанхай", "theme": "Безопасность вместе"},
            "kk": {"title": KK_TITLE, "city": "Шанхай", "venue": "ШХЗИ, Цзюйлу к., 845-1"},
        },
    )
    translated = make_panel(
        conference_id,
        title="Opening",
        translations={
            "ru": {"title": "Открытие", "room": "Зал А"},
            "kk": {"title": "Ашылу", "room": "А залы"},
        },
    )
    partly = make_panel(
        conference_id,
        title="Connectivity",
        starts_at=at("2030-12-28 06:00"),
        ends_at=at("2030-12-28 07:00"),
        translations={"ru": {"title": "Взаимосвязанность"}},
    )
    return {"conference": conference_id, "translated": translated, "partly": partly}


def test_the_fast_writer_equals_icalendar_in_every_language(
    app: Flask, members: None, forum: dict[str, int]
) -> None:
    with app.app_context():
        conference = db.session.get_one(Conference, forum["conference"])
        conference.panels[0].roles.append(
            PanelPerson(person=Person(name="Chen"), role=PanelRole.MODERATOR, position=0)
        )
        conference.panels[0].roles.extend(_speakers())
        conference.panels[1].roles.extend(_members_people())
        db.session.commit()
        stamp = at("2030-01-03 00:00")
        for language in ("en", "ru", "kk", None):
            options = {
                **{"uid": "c@localhost", "name": "N", "description": "D", "url": "/"},
                **{"name_language": language, "description_language": language},
            }
            for include_join_link in (False, True):
                expected = ical.feed_calendar(
                    [
                        ical.panel_event(
                            p,
                            base_url="http://localhost",
                            stamp=stamp,
                            include_join_link=include_join_link,
                            language=language,
                        )
                        for p in conference.panels
                    ],
                    last_modified=stamp,
                    **options,
                ).to_ical()
                rows = panel_rows(Conference.id == conference.id, language=language)
                for _ in range(2):  # cold, then from the event cache
                    got = render.render_feed(
                        rows,
                        base_url="http://localhost",
                        include_join_link=include_join_link,
                        stamp=stamp,
                        **options,
                    ).body
                    assert got == expected, (language, include_join_link)


def _events(client: FlaskClient, url: str) -> tuple[dict, bytes, str]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    return read_all(response.data), response.data, response.headers["ETag"]


def test_public_feeds_take_a_language(client: FlaskClient, forum: dict[str, int]) -> None:
    kk, kk_bytes, kk_etag = _events(client, "/conferences/ttf-9/calendar.ics?lang=kk")
    ru, _, ru_etag = _events(client, "/conferences/ttf-9/calendar.ics?lang=ru")
    plain, _, plain_etag = _events(client, "/conferences/ttf-9/calendar.ics")
    assert len({kk_etag, ru_etag, plain_etag}) == 3

    translated, partly = (f"panel-{forum[n]}@localhost" for n in ("translated", "partly"))
    assert kk["by_uid"][translated]["summary"] == "Ашылу"
    assert kk["by_uid"][translated]["languages"] == {
        "summary": "kk",
        "description": "kk",
        "location": "kk",
    }
    assert kk["by_uid"][partly]["summary"] == "Connectivity"
    assert kk["by_uid"][partly]["languages"]["summary"] == "en", "the English fallback"
    assert KK_TITLE in kk["by_uid"][translated]["description"]
    assert (
        kk["by_uid"][translated]["location"]
        == "А залы, ШХЗИ, Цзюйлу к., 845-1, Шанхай (және онлайн)"
    )
    assert kk["by_uid"][partly]["conference"][0]["parameters"]["label"] == (
        "Тіркелген қатысушылар қосылу сілтемесін алады"
    )
    assert ru["by_uid"][partly]["summary"] == "Взаимосвязанность"
    assert ru["by_uid"][translated]["location"].startswith("Зал А, SIIS")
    assert ru["name"] == RU_TITLE
    assert plain["by_uid"][translated]["summary"] == "Opening"
    assert plain["by_uid"][translated]["languages"] == {}, "no language asked: as entered"
    [event] = [e for e in with_icalendar(kk_bytes).events if str(e["UID"]) == translated]
    assert event["SUMMARY"].params["LANGUAGE"] == "kk"

    again = client.get(
        "/conferences/ttf-9/calendar.ics?lang=kk", headers={"If-None-Match": kk_etag}
    )
    assert again.status_code == 304
    other = client.get(
        "/conferences/ttf-9/calendar.ics?lang=ru", headers={"If-None-Match": kk_etag}
    )
    assert other.status_code == 200
    assert client.get("/conferences/ttf-9/calendar.ics?lang=fr").status_code == 404
    for url in (
        "/calendar.ics?lang=kk",
        f"/conferences/ttf-9/panels/{forum['partly']}/calendar.ics?lang=ru",
    ):
        read_all(client.get(url).data)


def _calendar_languages(data: bytes) -> dict[str, str]:
    """The LANGUAGE of the feed's NAME, X-WR-CALNAME, DESCRIPTION and X-WR-CALDESC, which
    icalendar, vobject and ical.js all read alike (with the same texts)."""
    names = ("name", "x-wr-calname", "description", "x-wr-caldesc")
    calendar = with_icalendar(data)
    by_icalendar = {
        name: calendar[name].params["LANGUAGE"]
        for name in names
        if name in calendar and "LANGUAGE" in calendar[name].params
    }
    lines = {name: with_vobject(data).contents.get(name, []) for name in names}
    by_vobject = {
        name: found[0].params["LANGUAGE"][0]
        for name, found in lines.items()
        if found and "LANGUAGE" in found[0].params
    }
    by_icaljs = read_all(data)
    assert by_icalendar == by_vobject == by_icaljs["languages"]
    assert str(calendar["NAME"]) == lines["name"][0].value == by_icaljs["name"]
    return by_icaljs["languages"]


def test_a_feed_s_name_and_description_say_their_language(
    app: Flask, client: FlaskClient, members: None, forum: dict[str, int]
) -> None:
    """Where the feed is in a language: each text's own (a fallback's is the conference's),
    none for a name made of texts in two languages; feeds without ?lang= say none."""
    conference = "/conferences/ttf-9/calendar.ics"
    every = {"name": "kk", "x-wr-calname": "kk", "description": "kk", "x-wr-caldesc": "kk"}
    kk = {**every, "description": "en", "x-wr-caldesc": "en"}  # the theme has no Kazakh
    assert _calendar_languages(client.get(f"{conference}?lang=kk").data) == kk
    ru = _calendar_languages(client.get(f"{conference}?lang=ru").data)
    assert ru == dict.fromkeys(every, "ru")
    assert _calendar_languages(client.get(conference).data) == {}
    assert _calendar_languages(client.get("/calendar.ics?lang=kk").data) == every
    assert _calendar_languages(client.get("/calendar.ics").data) == {}
    partly = f"/conferences/ttf-9/panels/{forum['partly']}/calendar.ics"
    assert _calendar_languages(client.get(f"{partly}?lang=ru").data) == {
        "name": "ru",
        "x-wr-calname": "ru",
    }
    mixed = client.get(f"{partly}?lang=kk").data  # 'Connectivity (<Kazakh title>)'
    assert _calendar_languages(mixed) == {}
    with app.app_context():
        registration_id, key = register(forum["conference"], [forum["translated"]])
        db.session.get_one(Registration, registration_id).mail_language = "kk"
        db.session.commit()
    assert _calendar_languages(client.get(f"/calendar/personal/{key}.ics").data) == every


def test_the_personal_feed_follows_the_persons_mail_language(
    app: Flask, client: FlaskClient, members: None, forum: dict[str, int]
) -> None:
    with app.app_context():
        registration_id, key = register(forum["conference"], [forum["translated"]])
        db.session.get_one(Registration, registration_id).mail_language = "kk"
        db.session.commit()
    kk, _, kk_etag = _events(client, f"/calendar/personal/{key}.ics")
    [event] = kk["events"]
    assert event["summary"] == "Ашылу"
    assert event["languages"]["description"] == "kk"
    assert "Онлайн қосылу: http://localhost/j/" in event["description"]
    assert kk["name"] == f"{KK_TITLE}: менің бағдарламам"

    with app.app_context():
        db.session.get_one(Registration, registration_id).mail_language = "ru"
        db.session.commit()
    ru, _, ru_etag = _events(client, f"/calendar/personal/{key}.ics")
    assert ru["events"][0]["summary"] == "Открытие"
    assert ru_etag != kk_etag


def test_a_feed_in_a_language_reads_no_more_than_one_without(
    app: Flask,
    client: FlaskClient,
    forum: dict[str, int],
    make_series: Callable[..., int],
) -> None:
    """The feed's name and description in the language come with its version row (no read
    of the record after it), for a conference, a series and one panel."""
    series_id = make_series(slug="ttf-langs")
    with app.app_context():
        conference = db.session.get(Conference, forum["conference"])
        assert conference is not None
        conference.series_id = series_id
        conference.series.translations = {"kk": {"name": "АӨСШК Сараптамалық форумы"}}
        db.session.commit()
    panel = f"/conferences/ttf-9/panels/{forum['translated']}/calendar.ics"
    for url in ("/conferences/ttf-9/calendar.ics", "/series/ttf-langs/calendar.ics", panel):
        counts = []
        for query in ("", "?lang=kk"):
            services.clear_caches()
            with counting_queries(app) as statements:
                assert client.get(url + query).status_code == 200
            counts.append(len(statements))
        assert counts[0] == counts[1], (url, counts)
    names = {
        url: with_icalendar(client.get(url).data).get("NAME")
        for url in (
            "/conferences/ttf-9/calendar.ics?lang=kk",
            "/series/ttf-langs/calendar.ics?lang=kk",
            "/series/ttf-langs/calendar.ics?lang=ru",
            panel + "?lang=kk",
        )
    }
    assert list(names.values()) == [
        KK_TITLE,
        "АӨСШК Сараптамалық форумы",
        "CICA Think Tank Forum",
        f"Ашылу ({KK_TITLE})",
    ]


def test_speakers_institutions_are_named_in_the_feeds_language(
    app: Flask, client: FlaskClient, forum: dict[str, int]
) -> None:
    """The DESCRIPTION names a speaker's institution in the feed's language, else by its main
    name; without ?lang= by its main name (as entered). Three parsers read it."""
    with app.app_context():
        conference = db.session.get_one(Conference, forum["conference"])
        conference.panels[0].roles.extend(_speakers())
        db.session.commit()
    uid = f"panel-{forum['translated']}@localhost"
    for query, name in (("?lang=kk", "kk"), ("?lang=ru", "ru"), ("?lang=en", "en"), ("", "en")):
        seen, _, _ = _events(client, f"/conferences/ttf-9/calendar.ics{query}")
        description = seen["by_uid"][uid]["description"]
        assert f"- Chen Dongxiao, President, {SIIS[name]}" in description, (query, description)
        assert f"- Ivanov, {RU_ONLY}" in description, query
        others = set(SIIS.values()) - {SIIS[name]}
        assert not any(other in description for other in others), (query, description)

    with app.app_context():  # renamed in Kazakh: the next Kazakh feed says so
        siis = db.session.execute(
            db.select(Institution).where(Institution.name == SIIS["en"])
        ).scalar_one()
        siis.translations = {**siis.translations, "kk": {"name": "ШХЗИ"}}
        db.session.commit()
    seen, _, _ = _events(client, "/conferences/ttf-9/calendar.ics?lang=kk")
    assert "- Chen Dongxiao, President, ШХЗИ" in seen["by_uid"][uid]["description"]


def test_members_of_people_without_an_institution_are_named_in_the_feeds_language(
    app: Flask, client: FlaskClient, members: None, forum: dict[str, int]
) -> None:
    """A state-only speaker and an organisation-only moderator: the state by pycountry's
    Russian or Kazakh name, the organisation by the catalogue's; English without ?lang=.
    Three parsers read it."""
    with app.app_context():
        conference = db.session.get_one(Conference, forum["conference"])
        conference.panels[1].roles.extend(_members_people())
        db.session.commit()
    uid = f"panel-{forum['partly']}@localhost"
    for query, name in (("?lang=kk", "kk"), ("?lang=ru", "ru"), ("", "en")):
        for _ in range(2):  # loaded, then from the people cache
            seen, _, _ = _events(client, f"/conferences/ttf-9/calendar.ics{query}")
            description = seen["by_uid"][uid]["description"]
            assert f"- Elnur Aliyev, Ambassador, {STATE[name]}" in description, (query, description)
            assert f"- Anna Berg, {ORGANISATION[name]}" in description, (query, description)
            if name != "en":
                assert "Azerbaijan" not in description, query
                assert "United Nations" not in description, query
