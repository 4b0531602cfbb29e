"""The institution a registrant types: linked to the known institution it names (in any of
its languages) and then read in each reader's language, else shown as typed with the
language it is written in; the organiser links it, or adds it as an institution."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Select

from registration.accounts.models import User
from registration.database import db
from registration.directory.models import Institution
from registration.signup import services
from registration.signup.models import Registration
from tests.api_support import bearer, make_token
from tests.signup_support import form_data, member_id, open_registration

SIIS = {
    "en": "Shanghai Institutes for International Studies",
    "ru": "Шанхайский институт международных исследований",
    "kk": "Шанхай халықаралық зерттеулер институты",
}
ASAN = "Asan Institute for Policy Studies"
KAZAKH_TYPED = "Қазақстан стратегиялық зерттеулер институты"
RUSSIAN_TYPED = "Институт мира и развития"
PEOPLE = [
    # name, e-mail, what they type, the language of their mail
    ("Li Wei", "li", f"  «{SIIS['ru'].replace(' ', '  ', 1)}» ", "ru"),
    ("Ji-ho Park", "park", ASAN.upper(), "en"),
    ("Aliya Bek", "aliya", KAZAKH_TYPED, "en"),
    ("Ivan Petrov", "ivan", RUSSIAN_TYPED, "kk"),
    ("Sam Lee", "sam", "Astana Policy Lab", "kk"),
]


def known_institutions(app: Flask) -> dict[str, int]:
    with app.app_context():
        siis = Institution(
            name=SIIS["en"],
            language="en",
            translations={"ru": {"name": SIIS["ru"]}, "kk": {"name": SIIS["kk"]}},
        )
        asan = Institution(name=ASAN, language="en")
        db.session.add_all([siis, asan])
        db.session.commit()
        return {"siis": siis.id, "asan": asan.id}


def register_people(app: Flask, client: FlaskClient, slug: str) -> None:
    """PEOPLE register from the public form and are approved."""
    kaz = member_id(app, "KAZ")
    for name, login, typed, language in PEOPLE:
        data = form_data(
            kaz, name=name, email=f"{login}@example.org", institution=typed, mail_language=language
        )
        assert client.post(f"/conferences/{slug}/register", data=data).status_code == 302
    with app.app_context():
        for registration in db.session.scalars(db.select(Registration)).all():
            services.decide(registration, approve=True)


def linked_to(registration_id: int) -> Select[tuple[int | None]]:
    return db.select(Registration.institution_id).filter_by(id=registration_id)


def listed(page: str, name: str) -> str:
    match = re.search(rf"<li>{name}, Senior Research Fellow, (.*?)</li>", page)
    assert match is not None, name
    return match.group(1)


def test_typed_institutions_link_in_any_language_and_read_in_each(
    app: Flask,
    client: FlaskClient,
    organizer_client: FlaskClient,
    members: None,
    make_conference: Callable[..., int],
) -> None:
    ids = known_institutions(app)
    open_registration(app, make_conference(slug="ttf9"))
    register_people(app, client, "ttf9")
    with app.app_context():
        rows = {r.email.split("@")[0]: r for r in db.session.scalars(db.select(Registration))}
        assert rows["li"].institution_id == ids["siis"], "quotes, spaces and case aside"
        assert rows["li"].institution == f"«{SIIS['ru'].replace(' ', '  ', 1)}»", "kept as typed"
        assert rows["park"].institution_id == ids["asan"]
        assert [rows[k].institution_id for k in ("aliya", "ivan", "sam")] == [None] * 3
        languages = {k: r.institution_language for k, r in rows.items()}
        assert languages == {"li": "ru", "park": "en", "aliya": "kk", "ivan": "ru", "sam": "en"}
        assert db.session.scalar(db.select(db.func.count(Institution.id))) == 2, "none added"

    kazakh = client.get("/conferences/ttf9/participants?lang=kk").text
    assert listed(kazakh, "Li Wei") == SIIS["kk"]
    assert listed(kazakh, "Ji-ho Park") == f'<span lang="en">{ASAN}</span>', "its main name"
    assert listed(kazakh, "Aliya Bek") == KAZAKH_TYPED
    assert listed(kazakh, "Ivan Petrov") == f'<span lang="ru">{RUSSIAN_TYPED}</span>'
    assert listed(kazakh, "Sam Lee") == '<span lang="en">Astana Policy Lab</span>'
    english = client.get("/conferences/ttf9/participants?lang=en").text
    assert listed(english, "Li Wei") == SIIS["en"]
    assert listed(english, "Ji-ho Park") == ASAN
    assert listed(english, "Aliya Bek") == f'<span lang="kk">{KAZAKH_TYPED}</span>'
    russian = client.get("/conferences/ttf9/participants?lang=ru").text
    assert listed(russian, "Li Wei") == SIIS["ru"]

    managed = organizer_client.get("/manage/conferences/ttf9/registrations?lang=ru").text
    assert f"Senior Research Fellow, {SIIS['ru']}<br>" in managed
    assert f'Senior Research Fellow, <span lang="kk">{KAZAKH_TYPED}</span><br>' in managed
    exported = organizer_client.get("/manage/conferences/ttf9/registrations.csv?lang=kk").text
    by_name = {row[0]: row for row in csv.reader(io.StringIO(exported.lstrip("\ufeff")))}
    assert by_name["Li Wei"][2] == SIIS["kk"]
    assert by_name["Ivan Petrov"][2] == RUSSIAN_TYPED


def test_the_organiser_links_adds_or_unlinks_the_typed_institution(
    app: Flask,
    client: FlaskClient,
    organizer_client: FlaskClient,
    members: None,
    make_conference: Callable[..., int],
) -> None:
    ids = known_institutions(app)
    open_registration(app, make_conference(slug="ttf9"))
    data = form_data(member_id(app, "KAZ"), institution=RUSSIAN_TYPED, mail_language="ru")
    assert client.post("/conferences/ttf9/register", data=data).status_code == 302
    with app.app_context():
        registration_id = db.session.scalars(db.select(Registration.id)).one()
    review = f"/manage/conferences/ttf9/registrations/{registration_id}"
    page = organizer_client.get(f"{review}?lang=en").text
    assert f'<dd id="review-institution"><span lang="ru">{RUSSIAN_TYPED}</span></dd>' in page
    assert f'<option lang="kk" value="{ids["siis"]}">' not in page, "English page: main names"
    assert f'<option lang="en" value="{ids["siis"]}">{SIIS["en"]}</option>' in page
    assert f'Add “<span lang="ru">{RUSSIAN_TYPED}</span>” as an institution' in page

    response = organizer_client.post(f"{review}/institution", data={"add": "1"})
    assert response.status_code == 302
    with app.app_context():
        added = db.session.scalar(db.select(Institution).filter_by(name=RUSSIAN_TYPED))
        assert added is not None
        assert added.language == "ru"
        assert db.session.scalar(linked_to(registration_id)) == added.id
    # someone else typing the same name now finds it
    again = form_data(
        member_id(app, "KAZ"), email="other@example.org", institution=RUSSIAN_TYPED.upper()
    )
    assert client.post("/conferences/ttf9/register", data=again).status_code == 302
    with app.app_context():
        other = db.session.scalar(db.select(Registration).filter_by(email="other@example.org"))
        assert other is not None
        assert other.institution_id == added.id

    chosen = {"link-institution": str(ids["siis"])}
    assert organizer_client.post(f"{review}/institution", data=chosen).status_code == 302
    page = organizer_client.get(f"{review}?lang=kk").text
    assert f'<dd id="review-institution">{SIIS["kk"]} <span class="hint"' in page
    assert f'<span lang="ru">{RUSSIAN_TYPED}</span>' in page, "what was typed, beside it"
    assert f'<option lang="kk" selected value="{ids["siis"]}">{SIIS["kk"]}</option>' in page

    unlinked = {"link-institution": ""}
    assert organizer_client.post(f"{review}/institution", data=unlinked).status_code == 302
    with app.app_context():
        assert db.session.scalar(linked_to(registration_id)) is None
    refused = {"link-institution": "999999"}
    response = organizer_client.post(f"{review}/institution", data=refused)
    assert response.status_code == 302
    page = organizer_client.get(review).text  # still in Kazakh, chosen above
    assert '<p class="flash flash-error" role="status">Белгілі мекемелердің бірін таңдаңыз.' in page


def test_the_api_gives_the_typed_institution_and_the_known_one_it_names(
    app: Flask,
    client: FlaskClient,
    make_organizer: Callable[..., User],
    members: None,
    make_conference: Callable[..., int],
) -> None:
    known_institutions(app)
    open_registration(app, make_conference(slug="ttf9"))
    register_people(app, client, "ttf9")
    with app.app_context():
        typed = {r.name: r.institution for r in db.session.scalars(db.select(Registration))}
    expected = {  # the typed text's language, and the names of the institution it names
        "Li Wei": ("ru", SIIS),
        "Ji-ho Park": ("en", {"en": ASAN}),
        "Aliya Bek": ("kk", None),
        "Ivan Petrov": ("ru", None),
        "Sam Lee": ("en", None),
    }

    def read(person: dict) -> tuple[str, dict[str, str] | None]:
        assert person["institution"] == typed[person["name"]]  # as typed, whatever ?lang= says
        known = person["known_institution"]
        return person["institution_language"], known and known["names"]

    token = bearer(make_token(app, make_organizer().id))
    items = client.get("/api/v1/conferences/ttf9/registrations?lang=kk", headers=token).json
    assert {r["name"]: read(r) for r in items["items"]} == expected
    groups = client.get("/api/v1/conferences/ttf9/participants?lang=ru").json
    listed = {p["name"]: read(p) for group in groups for p in group["participants"]}
    assert listed == expected
