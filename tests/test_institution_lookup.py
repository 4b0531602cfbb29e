"""A typed institution is found by one indexed query on the institutions' stored normalised
names, which answers exactly what comparing the typed name with every institution's names
answered (issue 11: that scan loaded the whole directory on each registration): a main name
first, else a name in another language, the oldest institution when several share it. The
stored names follow every way an institution is added, renamed or deleted."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event

from registration.conferences.institutions import InstitutionData, update_institution
from registration.database import db
from registration.directory.institution_names import institution_by_name, name_rows, normalised
from registration.directory.models import Institution, InstitutionName
from registration.signup.models import Registration
from registration.stored_text import TEXT_LANGUAGES
from tests.query_count import counting_queries
from tests.signup_support import form_data, member_id, open_registration


def scanned(name: str) -> int | None:
    """The reference: the scan the stored names replaced, word for word (every institution
    loaded, each of its names normalised)."""
    wanted = normalised(name)
    if not wanted:
        return None
    institutions = db.session.scalars(db.select(Institution).order_by(Institution.id)).all()
    for institution in institutions:
        if normalised(institution.name) == wanted:
            return institution.id
    for institution in institutions:
        names = (institution.translation("name", code) for code in TEXT_LANGUAGES)
        if any(normalised(text) == wanted for text in names if text):
            return institution.id
    return None


def looked_up(name: str) -> int | None:
    found = institution_by_name(name)
    return found.id if found is not None else None


# Pieces that normalise alike in several ways (case, quotes, spaces, NFC, case folding),
# few enough that institutions often share a name.
PIECES = ["Institute", "INSTITUTE", "институт", "ИНСТИТУТ", "Қазақ", "қАЗАҚ", "Straße", "STRASSE"]
PIECES += ["e\u0301", "\u00e9", "\u00c9", "«", "»", '"', "'", "\u201e", " ", "  ", "\t", "\u00a0"]
names = st.lists(st.sampled_from(PIECES), max_size=4).map("".join)
languages = st.sampled_from(["en", "ru", "kk"])
translations = st.dictionaries(languages, names.map(lambda text: {"name": text}), max_size=3)
directories = st.lists(
    st.tuples(names.filter(bool), languages, translations), max_size=6, unique_by=lambda i: i[0]
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(directory=directories, typed=st.lists(names, max_size=6), data=st.data())
def test_the_stored_names_find_what_the_scan_found(
    app: Flask, directory: list[tuple[str, str, dict[str, dict[str, str]]]], typed: list[str],
    data: st.DataObject,
) -> None:  # fmt: skip
    with app.app_context():
        institutions = [
            Institution(name=name, language=language, translations=others)
            for name, language, others in directory
        ]
        db.session.add_all(institutions)
        db.session.flush()
        every_name = [text for name, _, others in directory for text in (name, *_texts(others))]
        for name in typed + every_name:
            assert looked_up(name) == scanned(name), name
        for institution in institutions:  # renamed, in another main language, retranslated
            if data.draw(st.booleans()):
                institution.name = data.draw(names.filter(bool)) + f"#{institution.id}"
                institution.language = data.draw(languages)
                institution.translations = data.draw(translations)
        db.session.flush()
        for name in typed + every_name + [i.name for i in institutions]:
            assert looked_up(name) == scanned(name), name
        db.session.rollback()


def _texts(others: dict[str, dict[str, str]]) -> list[str]:
    return [texts["name"] for texts in others.values()]


def _stored() -> set[tuple[int, str, bool, str]]:
    rows = db.session.execute(db.select(InstitutionName)).scalars()
    return {(r.institution_id, r.language, r.main, r.normalised) for r in rows}


def _expected() -> set[tuple[int, str, bool, str]]:
    return {
        (row["institution_id"], row["language"], row["main"], row["normalised"])
        for i in db.session.scalars(db.select(Institution))
        for row in name_rows(i.id, i.name, i.language, i.translations)
    }


def test_a_shared_name_finds_a_main_name_first_then_the_oldest(
    app: Flask, app_context: None
) -> None:
    """Names are not unique once normalised: as before, a main name wins over an older
    institution's translation, and of two main names (or two translations) the oldest."""
    translated = Institution(name="Institute One", translations={"ru": {"name": "SIIS"}})
    first = Institution(name="«SIIS»")
    second = Institution(name="siis")
    again = Institution(name="Institute Two", translations={"kk": {"name": "Институт"}})
    later = Institution(name="Institute Three", translations={"ru": {"name": "ИНСТИТУТ"}})
    db.session.add_all([translated, first, second, again, later])
    db.session.commit()
    assert institution_by_name(" Siis ") is first
    assert institution_by_name("«институт»") is again
    assert [looked_up(n) for n in (" Siis ", "институт", "nothing", "  ")] == [
        scanned(n) for n in (" Siis ", "институт", "nothing", "  ")
    ]
    db.session.delete(first)
    db.session.commit()
    assert institution_by_name("SIIS") is second


def test_the_lookup_reads_one_row_whatever_the_directory(app: Flask, app_context: None) -> None:
    loaded: list[Institution] = []

    def load(target: Institution, _context: object) -> None:
        loaded.append(target)

    event.listen(Institution, "load", load)
    try:
        for count in (1, 60):
            db.session.add_all(
                Institution(name=f"Institute {count} {n}", translations={"ru": {"name": f"И {n}"}})
                for n in range(count)
            )
            db.session.commit()
            db.session.expunge_all()
            loaded.clear()
            with counting_queries(app) as statements:
                found = institution_by_name("и 0")
            assert len(statements) == 1
            assert loaded == [found], "one institution loaded, not the directory"
    finally:
        event.remove(Institution, "load", load)


def test_names_follow_the_services_that_save_institutions(
    app: Flask,
    client: FlaskClient,
    organizer_client: FlaskClient,
    members: None,
    make_conference: Callable[..., int],
) -> None:
    """The organiser's edit of an institution and the review page's adding of a typed name
    as one leave the stored names as the institutions' names say."""
    with app.app_context():
        siis = Institution(name="Shanghai Institutes", translations={"ru": {"name": "ШИМИ"}})
        db.session.add(siis)
        db.session.commit()
        update_institution(
            siis,
            InstitutionData(
                name="Шанхайский институт", language="ru", translations={"kk": {"name": "ШХЗИ"}}
            ),
        )
        assert _stored() == _expected()
        assert [looked_up(n) for n in ("шими", "Shanghai Institutes", "шхзи")] == [
            None,
            None,
            siis.id,
        ]
    open_registration(app, make_conference(slug="ttf9"))
    typed = "Astana  Policy Lab"
    data = form_data(member_id(app, "KAZ"), institution=typed)
    assert client.post("/conferences/ttf9/register", data=data).status_code == 302
    with app.app_context():
        registration = db.session.scalars(db.select(Registration)).one()
        assert registration.institution_id is None
    review = f"/manage/conferences/ttf9/registrations/{registration.id}/institution"
    assert organizer_client.post(review, data={"add": "1"}).status_code == 302
    with app.app_context():
        added = institution_by_name("«astana policy lab»")
        assert added is not None
        assert added.name == typed
        assert _stored() == _expected()


def test_the_demo_seed_stores_its_institutions_names(app: Flask, app_context: None) -> None:
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert _stored() == _expected() != set()
    for institution in db.session.scalars(db.select(Institution)).all():
        for code in TEXT_LANGUAGES:
            name = institution.translation("name", code)
            assert looked_up(name) == scanned(name), name
