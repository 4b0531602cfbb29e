"""Visa letters numbered from the correspondence register: when a scheme is chosen for the
conference or its series, an issued letter takes the scheme's next number and appears in the
register (without personal data); otherwise the conference numbers its letters itself."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from registration.audit.models import AuditEntry
from registration.correspondence import register
from registration.correspondence.models import EntryStatus, RegisterEntry
from registration.database import db
from registration.delegates.models import VisaLetter
from registration.signup.links import manage_token
from registration.signup.models import Registration
from tests.attendance_support import add_registration

pytestmark = pytest.mark.usefixtures("members")
REQUEST = {
    "passport_name": "NURLANOVNA AIGERIM",
    "passport_number": "N1234567",
    "nationality": "KZ",
    "arrival": "2030-12-27",
    "departure": "2030-12-30",
    "consulate_city": "Almaty",
}


def _scheme(app: Flask) -> int:
    with app.app_context():
        return register.create_scheme("TTF", "CICA Think Tank Forum", "TTF", "ТТФ", 375).id


def _issue(app: Flask, client: FlaskClient, organiser: FlaskClient, slug: str, name: str) -> str:
    """A delegate asks for a letter, the organiser issues it; returns the letter's page."""
    conference_id = db_conference(app, slug)
    registration_id = add_registration(app, conference_id, name)
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        assert registration is not None
        page = f"/conferences/{slug}/registration/{manage_token(registration)}"
    assert client.post(f"{page}/visa-letter", data=REQUEST).status_code == 302
    with app.app_context():
        letter_id = db.session.scalar(
            db.select(VisaLetter.id).filter_by(registration_id=registration_id)
        )
    review = f"/manage/conferences/{slug}/visa-letters/{letter_id}"
    assert organiser.post(review, data={"decision": "issue"}).status_code == 302
    return page


def db_conference(app: Flask, slug: str) -> int:
    from registration.conferences.models import Conference

    with app.app_context():
        found = db.session.scalar(db.select(Conference.id).filter_by(slug=slug))
        assert found is not None
        return found


def _references(app: Flask) -> list[tuple[str, str]]:
    with app.app_context():
        letters = db.session.scalars(db.select(VisaLetter).order_by(VisaLetter.id)).all()
        return [(letter.conference.slug, letter.reference) for letter in letters]


def test_a_series_scheme_numbers_the_letters_of_its_meetings_and_lists_them_in_the_register(
    app: Flask,
    client: FlaskClient,
    organizer_client: FlaskClient,
    make_series: Callable[..., int],
    make_conference: Callable[..., int],
) -> None:
    scheme_id = _scheme(app)
    series_id = make_series()
    make_conference(slug="ttf9", series_id=series_id, number=9)
    make_conference(slug="ttf10", series_id=series_id, number=10)
    make_conference(slug="other")
    listing = organizer_client.get("/manage/conferences/ttf9/visa-letters/")
    assert listing.status_code == 200
    assert "of this conference" in listing.text
    chosen = organizer_client.post(
        "/manage/conferences/ttf9/visa-letters/numbering",
        data={"scheme": str(scheme_id), "whole_series": "y"},
    )
    assert chosen.status_code == 302, chosen.text
    assert "chosen for the series" in organizer_client.get(chosen.location).text

    page = _issue(app, client, organizer_client, "ttf9", "Aigerim Nurlanovna")
    _issue(app, client, organizer_client, "ttf10", "Li Wei")
    _issue(app, client, organizer_client, "other", "Anna Ivanova")
    assert _references(app) == [("ttf9", "TTF/375"), ("ttf10", "TTF/376"), ("other", "OTHER/V/001")]

    pages = PdfReader(io.BytesIO(client.get(f"{page}/visa-letter.pdf").data)).pages
    english, russian, _kazakh = (p.extract_text() for p in pages)
    assert "TTF/375" in english
    assert "ТТФ/375" in russian
    with app.app_context():
        entries = db.session.scalars(
            db.select(RegisterEntry).filter_by(scheme_id=scheme_id).order_by(RegisterEntry.number)
        ).all()
        assert [e.number for e in entries] == [375, 376]
        subjects = " ".join(e.subject for e in entries)
        assert "Visa support letter" in subjects
        for personal in ("NURLANOVNA", "Aigerim", "N1234567", "Li Wei"):
            assert personal not in subjects, "the register outlives the retention rule"
    register_page = organizer_client.get(f"/manage/register/{scheme_id}").text
    assert "Visa support letter #" in register_page


def test_a_conference_choice_comes_first_and_per_conference_numbering_comes_back(
    app: Flask,
    client: FlaskClient,
    organizer_client: FlaskClient,
    make_series: Callable[..., int],
    make_conference: Callable[..., int],
) -> None:
    scheme_id = _scheme(app)
    with app.app_context():
        other_id = register.create_scheme("VL", "Visa letters", "VL", "ВЛ", 1).id
    series_id = make_series()
    make_conference(slug="ttf9", series_id=series_id, number=9)
    numbering = "/manage/conferences/ttf9/visa-letters/numbering"
    organizer_client.post(numbering, data={"scheme": str(scheme_id), "whole_series": "y"})
    organizer_client.post(numbering, data={"scheme": str(other_id)})
    _issue(app, client, organizer_client, "ttf9", "Aigerim Nurlanovna")
    organizer_client.post(numbering, data={"scheme": "", "whole_series": "y"})
    _issue(app, client, organizer_client, "ttf9", "Li Wei")
    assert _references(app) == [("ttf9", "VL/1"), ("ttf9", "TTF9/V/001")]
    refused = organizer_client.post(numbering, data={"scheme": "999999"})
    assert refused.status_code == 422


def test_revoking_a_letter_cancels_its_register_number_which_stays_in_the_register(
    app: Flask,
    client: FlaskClient,
    organizer_client: FlaskClient,
    make_conference: Callable[..., int],
) -> None:
    scheme_id = _scheme(app)
    make_conference(slug="ttf9")
    organizer_client.post(
        "/manage/conferences/ttf9/visa-letters/numbering", data={"scheme": str(scheme_id)}
    )
    _issue(app, client, organizer_client, "ttf9", "Aigerim Nurlanovna")
    with app.app_context():
        letter = db.session.scalars(db.select(VisaLetter)).one()
        letter_id, entry_id = letter.id, letter.entry_id
    review = f"/manage/conferences/ttf9/visa-letters/{letter_id}"
    revoked = organizer_client.post(f"{review}/revoke", data={"reason": "Wrong passport."})
    assert revoked.status_code == 302, revoked.text
    with app.app_context():
        entry = db.session.get(RegisterEntry, entry_id)
        assert entry is not None
        assert entry.status is EntryStatus.CANCELLED
        assert entry.cancelled_at is not None
        assert "Wrong passport" not in entry.cancel_reason, "the register names no one"
        logged = db.session.scalars(
            db.select(AuditEntry).filter_by(
                action="correspondence.number_cancelled", subject_id=entry_id
            )
        ).all()
        assert len(logged) == 1
    register_page = organizer_client.get(f"/manage/register/{scheme_id}").text
    assert "TTF/375" in register_page
    assert "ancelled" in register_page
    _issue(app, client, organizer_client, "ttf9", "Li Wei")
    assert _references(app)[-1] == ("ttf9", "TTF/376"), "a cancelled number is not given again"


def test_a_conference_numbers_its_own_letters_while_its_series_keeps_the_scheme(
    app: Flask,
    client: FlaskClient,
    organizer_client: FlaskClient,
    make_series: Callable[..., int],
    make_conference: Callable[..., int],
) -> None:
    scheme_id = _scheme(app)
    series_id = make_series()
    make_conference(slug="ttf9", series_id=series_id, number=9)
    make_conference(slug="ttf10", series_id=series_id, number=10)
    numbering = "/manage/conferences/ttf9/visa-letters/numbering"
    organizer_client.post(numbering, data={"scheme": str(scheme_id), "whole_series": "y"})
    own = organizer_client.post(numbering, data={"scheme": ""})
    assert own.status_code == 302, own.text
    assert "its own choice over the series" in organizer_client.get(own.location).text
    listing = organizer_client.get("/manage/conferences/ttf10/visa-letters/").text
    assert "chosen for the series" in listing, "the series keeps its scheme"
    _issue(app, client, organizer_client, "ttf9", "Aigerim Nurlanovna")
    _issue(app, client, organizer_client, "ttf10", "Li Wei")
    assert _references(app) == [("ttf9", "TTF9/V/001"), ("ttf10", "TTF/375")]

    organizer_client.post(numbering, data={"scheme": str(scheme_id), "whole_series": "y"})
    _issue(app, client, organizer_client, "ttf9", "Anna Ivanova")
    assert _references(app)[-1] == ("ttf9", "TTF/376"), "back with the series"
