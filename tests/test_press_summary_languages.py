"""The press-release line in English, Russian and Kazakh side by side on the attendance
dashboard and in figures.json: each count in its plural form (Russian has three, Kazakh
two), the title in each language, quoted as each language quotes."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.attendance.checkin import Scan, check_in
from registration.attendance.figures import Figures, Tally, press_summary
from registration.attendance.join_links import record_join
from registration.conferences.models import Conference
from registration.database import db
from registration.signed_tokens import join_token
from tests.attendance_support import add_registration, payload_of
from tests.conftest import at

pytestmark = pytest.mark.usefixtures("members")

TITLES = {
    "en": "Ninth Meeting of the CICA Think Tank Forum",
    "ru": "Девятое заседание Форума аналитических центров СВМДА",
    "kk": "АӨСШК-тің Талдау орталықтары форумының 9-отырысы",
}
EN, RU, KK = TITLES["en"], f"в мероприятии «{TITLES['ru']}»", f"«{TITLES['kk']}» іс-шарасына"


def translated(app: Flask, conference_id: int) -> None:
    with app.app_context():
        conference = db.session.get_one(Conference, conference_id)
        conference.translations = {code: {"title": TITLES[code]} for code in ("ru", "kk")}
        db.session.commit()


# (attended, of them online, member states, observers and partners) -> en, ru, kk
LINES = {
    (1, 0, 1, 0): (
        f"1 expert from 1 member state attended the {EN} in person.",
        f"1 эксперт из 1 государства-члена очно принял участие {RU}.",
        f"{KK} 1 мүше мемлекеттен 1 сарапшы бетпе-бет форматта қатысты.",
    ),
    (2, 2, 2, 1): (
        f"2 experts from 2 member states and 1 observer or partner attended the {EN}, all online.",
        f"2 эксперта из 2 государств-членов и 1 наблюдателя или партнёра приняли участие {RU}, "
        "все онлайн.",
        f"{KK} 2 мүше мемлекеттен және 1 бақылаушы немесе серіктестен 2 сарапшы қатысты, "
        "барлығы онлайн форматта.",
    ),
    (5, 2, 5, 2): (
        f"5 experts from 5 member states and 2 observers and partners attended the {EN}, "
        "2 of them online.",
        f"5 экспертов из 5 государств-членов и 2 наблюдателей и партнёров приняли участие {RU}, "
        "2 из них онлайн.",
        f"{KK} 5 мүше мемлекеттен және 2 бақылаушы мен серіктестен 5 сарапшы қатысты, "
        "оның ішінде 2 сарапшы онлайн форматта.",
    ),
    (21, 9, 21, 5): (
        f"21 experts from 21 member states and 5 observers and partners attended the {EN}, "
        "9 of them online.",
        f"21 эксперт из 21 государства-члена и 5 наблюдателей и партнёров принял участие {RU}, "
        "9 из них онлайн.",
        f"{KK} 21 мүше мемлекеттен және 5 бақылаушы мен серіктестен 21 сарапшы қатысты, "
        "оның ішінде 9 сарапшы онлайн форматта.",
    ),
    (42, 9, 17, 0): (
        f"42 experts from 17 member states attended the {EN}, 9 of them online.",
        f"42 эксперта из 17 государств-членов приняли участие {RU}, 9 из них онлайн.",
        f"{KK} 17 мүше мемлекеттен 42 сарапшы қатысты, оның ішінде 9 сарапшы онлайн форматта.",
    ),
    (1234, 0, 22, 0): (
        f"1,234 experts from 22 member states attended the {EN}, all in person.",
        f"1\xa0234 эксперта из 22 государств-членов приняли участие {RU}, все очно.",
        f"{KK} 22 мүше мемлекеттен 1\xa0234 сарапшы қатысты, барлығы бетпе-бет форматта.",
    ),
}


@pytest.mark.parametrize(("counts", "lines"), LINES.items(), ids=str)
def test_each_count_in_its_plural_form_in_each_language(
    app: Flask,
    make_conference: Callable[..., int],
    counts: tuple[int, int, int, int],
    lines: tuple[str, str, str],
) -> None:
    conference_id = make_conference()
    translated(app, conference_id)
    attended, online, states, others = counts
    with app.app_context():
        conference = db.session.get_one(Conference, conference_id)
        total = Tally(attended=attended, online=online, in_person=attended - online)
        figures = Figures(conference, None, total, [], states, others)
        assert (figures.summaries["en"], figures.summaries["ru"], figures.summaries["kk"]) == lines
        assert figures.summary == lines[0]


def test_no_attendance_yet_in_each_language(
    app: Flask, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> None:
    conference_id = make_conference()
    translated(app, conference_id)
    panel_id = make_panel(conference_id, title="Connectivity")
    with app.app_context():
        conference = db.session.get_one(Conference, conference_id)
        figures = Figures(conference, None, Tally())
        assert [press_summary(figures, code) for code in ("en", "ru", "kk")] == [
            f"No attendance has been recorded yet for the {EN}.",
            f"Участие в мероприятии «{TITLES['ru']}» пока не зарегистрировано.",
            f"«{TITLES['kk']}» іс-шарасына қатысу әлі тіркелген жоқ.",
        ]
        session = Figures(conference, conference.panels[0], Tally())
        assert session.panel is not None
        assert session.panel.id == panel_id
        assert list(session.summaries.values()) == [
            "No attendance has been recorded yet for the session “Connectivity”.",
            "Участие в сессии «Connectivity» пока не зарегистрировано.",
            "«Connectivity» сессиясына қатысу әлі тіркелген жоқ.",
        ]


def test_the_kazakh_dashboard_and_figures_json_give_the_line_in_three_languages(
    app: Flask,
    organizer_client: FlaskClient,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
) -> None:
    """21 attended (a Russian '21 эксперт ... принял'), two of them online."""
    conference_id = make_conference(slug="ttf9")
    translated(app, conference_id)
    panel = make_panel(conference_id, title="Connectivity", join_url="https://z.example/1")
    people = [
        add_registration(app, conference_id, f"Person {n}", member=code, panels=(panel,))
        for n, code in enumerate(["KAZ"] * 12 + ["CHN"] * 8 + ["UN"])
    ]
    with app.app_context():
        conference = db.session.get_one(Conference, conference_id)
        for registration in people[2:]:
            scan = Scan(
                f"press-{registration}", panel_id=panel, badge=payload_of(app, registration)
            )
            check_in(conference, scan, None)
        for registration in people[:2]:
            record_join(join_token(registration, panel), now=at("2030-12-28 02:05"))
    expected = {
        "en": f"21 experts from 2 member states and 1 observer or partner attended the {EN}, "
        "2 of them online.",
        "ru": f"21 эксперт из 2 государств-членов и 1 наблюдателя или партнёра принял участие "
        f"{RU}, 2 из них онлайн.",
        "kk": f"{KK} 2 мүше мемлекеттен және 1 бақылаушы немесе серіктестен 21 сарапшы "
        "қатысты, оның ішінде 2 сарапшы онлайн форматта.",
    }
    page = organizer_client.get("/manage/conferences/ttf9/attendance?lang=kk").text
    assert "<legend>Баспасөз релизіне арналған қысқаша мәлімет</legend>" in page
    boxes = re.findall(
        r'<label for="press-summary-(\w+)" id="[\w-]+">([^<]+)</label>\s*'
        r'<textarea id="press-summary-\1" lang="\1" readonly rows="3" data-summary="\1">'
        r"([^<]+)</textarea>",
        page,
    )
    assert boxes == [
        ("en", "Ағылшын тілі", expected["en"]),
        ("ru", "Орыс тілі", expected["ru"]),
        ("kk", "Қазақ тілі", expected["kk"]),
    ]
    for code in expected:
        assert f'data-copy-target="press-summary-{code}"' in page
        labelled = f'aria-labelledby="press-summary-{code}-copy press-summary-{code}-label"'
        assert labelled in page
    figures = organizer_client.get("/manage/conferences/ttf9/attendance/figures.json").json
    assert figures["summaries"] == expected
    assert figures["summary"] == expected["en"], "the English line stays where it was"
    session = organizer_client.get(
        f"/manage/conferences/ttf9/attendance/figures.json?panel={panel}"
    ).json
    assert session["summaries"]["kk"].startswith("«Connectivity» сессиясына 2 мүше")
    assert session["summaries"]["ru"].endswith("в сессии «Connectivity», 2 из них онлайн.")
