"""`flask seed-demo` loads the conferences of the source documents; a rerun changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import select

from registration.accounts.models import User
from registration.conferences.models import (
    Conference,
    ConferenceFormat,
    ConferenceStatus,
    OrganizerRole,
    PanelKind,
)
from registration.conferences.services import conference_by_slug
from registration.database import db
from registration.directory.models import Member, MemberKind


def _seed(app: Flask, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["seed-demo", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _snapshot() -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, so a rerun can be compared row by row, ids included."""
    return {
        table.name: sorted(tuple(map(str, row)) for row in db.session.execute(select(table)))
        for table in db.metadata.sorted_tables
    }


def test_member_states_and_observers(app: Flask, app_context: None) -> None:
    _seed(app)
    kinds = [m.kind for m in db.session.scalars(db.select(Member))]
    assert kinds.count(MemberKind.MEMBER_STATE) == 28
    korea = db.session.scalar(db.select(Member).filter_by(code="KOR"))
    assert korea is not None
    assert korea.name == "Republic of Korea"


def test_online_conference_of_14_july_2021(app: Flask, app_context: None) -> None:
    _seed(app)
    conference = conference_by_slug("regional-security-asia-2021")
    assert conference is not None
    assert conference.title.startswith("International Scientific-Practical Conference on Regional")
    assert conference.format == ConferenceFormat.ONLINE
    assert conference.status == ConferenceStatus.PUBLISHED
    assert conference.timezone == "Asia/Almaty"
    assert conference.local(conference.starts_at).date().isoformat() == "2021-07-14"
    assert conference.local(conference.ends_at).date().isoformat() == "2021-07-14"
    # Nur-Sultan was six hours ahead of UTC in 2021: 10:00 local is 04:00 UTC, the same day.
    assert conference.starts_at == datetime(2021, 7, 14, 4, 0, tzinfo=UTC)
    assert conference.ends_at.date() == conference.local(conference.ends_at).date()

    roles = {o.institution.short_name: o.role for o in conference.organizers}
    assert roles == {
        "FPRI": OrganizerRole.HOST,
        "KazISS": OrganizerRole.CO_ORGANIZER,
        "IWEP": OrganizerRole.CO_ORGANIZER,
        "CICA Secretariat": OrganizerRole.SUPPORTER,
    }
    kinds = [p.kind for p in conference.panels]
    assert kinds == [PanelKind.WELCOME_REMARKS, PanelKind.PANEL, PanelKind.PANEL]
    welcome, first, second = conference.panels
    assert [p.display_name for p in welcome.speakers] == [
        "Ambassador Kairat Sarybay",
        "Ambassador Bolat Nurgaliyev",
    ]
    assert first.theme.startswith("New Challenges and Threats to Regional Security in the CICA")
    assert second.theme.startswith("Prospects for the Development of Cooperation Within CICA")
    speaking = {p.institution.member.code for p in first.speakers + second.speakers}
    assert speaking == {"KOR", "CHN", "TJK", "IRQ", "PAK", "TUR"}
    assert all(
        conference.starts_at <= p.starts_at < p.ends_at <= conference.ends_at
        for p in conference.panels
    )


def test_ninth_meeting_of_the_think_tank_forum(app: Flask, app_context: None) -> None:
    _seed(app)
    conference = conference_by_slug("cica-ttf-9")
    assert conference is not None
    assert conference.series is not None
    assert (conference.series.name, conference.series.short_name) == (
        "CICA Think Tank Forum",
        "CICA TTF",
    )
    assert conference.number == 9
    assert conference.theme == (
        "A New Beginning for Rebuilding Mutual Trust in the Post-Pandemic Era: Trends and Missions"
    )
    assert conference.format == ConferenceFormat.HYBRID
    assert conference.status == ConferenceStatus.PUBLISHED
    assert conference.timezone == "Asia/Shanghai"
    assert conference.local(conference.starts_at).date().isoformat() == "2021-12-28"
    assert conference.local(conference.ends_at).date().isoformat() == "2021-12-29"
    # 09:00 in Shanghai (UTC+8) is 01:00 UTC on the same day.
    assert conference.starts_at == datetime(2021, 12, 28, 1, 0, tzinfo=UTC)
    assert conference.ends_at.date().isoformat() == "2021-12-29"
    assert conference.host is not None
    assert conference.host.name == "Shanghai Institutes for International Studies"
    supporters = {
        o.institution.short_name for o in conference.organizers if o.role == OrganizerRole.SUPPORTER
    }
    assert supporters == {"CICA Secretariat", "MFA of China"}

    keynotes = [p for p in conference.panels if p.kind == PanelKind.KEYNOTE]
    speakers = [s.name for p in keynotes for s in p.speakers]
    assert speakers == ["Kairat Sarybay", "Xiao Qinghua", "Vladimir Norov"]
    discussions = [p.title for p in conference.panels if p.kind == PanelKind.DISCUSSION]
    assert discussions == [
        "Realistic security challenges faced by CICA countries in the post-epidemic era",
        "Security cooperation among CICA countries in the digital era",
        "The role of think tanks in CICA countries in promoting the transformation and "
        "upgrading of the CICA",
    ]


def test_both_conferences_are_on_the_public_list(app: Flask, client) -> None:
    _seed(app)
    page = client.get("/").text
    assert "Ninth Meeting of the CICA Think Tank Forum" in page
    assert "Regional Security in Asia" in page
    programme = client.get("/conferences/cica-ttf-9")
    assert programme.status_code == 200
    assert "Security cooperation among CICA countries in the digital era" in programme.text


def test_the_demo_meetings_in_russian_and_kazakh(app: Flask, client) -> None:
    _seed(app)
    russian = client.get("/conferences/cica-ttf-9?lang=ru").text
    assert "<h1>Девятое заседание Форума аналитических центров СВМДА" in russian
    assert "Форум аналитических центров СВМДА" in russian
    assert "Сотрудничество стран СВМДА в сфере безопасности в цифровую эпоху" in russian
    assert "<dd>Шанхайский институт международных исследований</dd>" in russian, "the host"
    kazakh = client.get("/?lang=kk").text
    assert "АӨСШК-тің Талдау орталықтары форумының 9-отырысы" in kazakh
    assert "Нұр-Сұлтан" in kazakh
    forum = client.get("/conferences/cica-ttf-9?lang=kk").text
    assert "<dd>Шанхай халықаралық зерттеулер институты</dd>" in forum
    assert "Қытай Халық Республикасының Сыртқы істер министрлігі" in forum, "a co-organiser"


def test_second_run_changes_nothing(app: Flask, app_context: None) -> None:
    _seed(app, "--organizer", "demo@cica.example", "--password", "demo-organiser-pw")
    first = _snapshot()
    db.session.remove()
    output = _seed(app, "--organizer", "demo@cica.example", "--password", "demo-organiser-pw")
    assert "(0 added)" in output
    assert _snapshot() == first
    assert db.session.scalar(db.select(db.func.count()).select_from(Conference)) == 3


def test_demo_organiser_only_when_asked(app: Flask, app_context: None) -> None:
    _seed(app)
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0
    output = _seed(app, "--organizer", "Demo@CICA.example", "--password", "demo-organiser-pw")
    assert "Organiser: demo@cica.example." in output
    user = db.session.scalar(db.select(User))
    assert user is not None
    assert user.is_administrator


def test_demo_organiser_signs_in(app: Flask, client) -> None:
    _seed(app, "--organizer", "demo@cica.example", "--password", "demo-organiser-pw")
    response = client.post(
        "/account/login", data={"email": "demo@cica.example", "password": "demo-organiser-pw"}
    )
    assert response.status_code == 302
    assert client.get("/manage/").status_code == 200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--organizer", "demo@cica.example"], "--organizer needs --password"),
        (["--organizer", "demo@cica.example", "--password", "short"], "at least 12 characters"),
    ],
)
def test_organiser_options_are_checked(app: Flask, args: list[str], message: str) -> None:
    result = app.test_cli_runner().invoke(args=["seed-demo", *args])
    assert result.exit_code != 0
    assert message in result.output


def test_rejected_organiser_password_loads_nothing(app: Flask, app_context: None) -> None:
    result = app.test_cli_runner().invoke(
        args=["seed-demo", "--organizer", "demo@cica.example", "--password", "short"]
    )
    assert result.exit_code != 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Conference)) == 0
