"""Kazakh wording (issue 13): "registration" the noun is тіркеу in every message, as most of the
catalogue had it; to register oneself is тіркелу, to register someone тіркеу."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.database import db
from registration.signup.models import Registration
from tests.attendance_support import add_registration
from tests.signup_support import body, mails, open_registration
from tests.test_catalogues import read_catalogue

# Inflections of тіркелу used as a noun ("your registration", "registrations").
NOUN_OF_TIRKELU = re.compile(r"тіркелу(іңіз|ің|і|лер|ді|ге|ден|мен)", re.IGNORECASE)


def test_the_noun_registration_is_tirkeu_throughout_the_kazakh_catalogue() -> None:
    catalogue = read_catalogue("kk")
    strings = {
        (m.id if isinstance(m.id, str) else m.id[0]): (
            m.string if isinstance(m.string, tuple) else (m.string,)
        )
        for m in catalogue
        if m.id
    }
    wrong = {k: s for k, s in strings.items() if any(NOUN_OF_TIRKELU.search(x) for x in s)}
    assert wrong == {}
    assert strings["Register"] == ("Тіркелу",)  # the registrant's own action
    assert strings["Register delegate"] == ("Делегатты тіркеу",)  # a focal point's
    assert strings["Your registration for %(title)s is approved"] == (
        "Тіркеуіңіз бекітілді: %(title)s",
    )


@pytest.mark.usefixtures("members")
def test_a_kazakh_registrant_reads_tirkeu_for_their_registrations(
    app: Flask, client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    conference = make_conference(slug="ttf9")
    open_registration(app, conference)
    registration_id = add_registration(app, conference, "Aigerim Nurlanovna")
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        registration.mail_language = "kk"
        address = registration.email
        db.session.commit()
    form = client.get("/conferences/ttf9/register?lang=kk").text
    assert re.search(r"<button[^>]*>\s*Тіркелу\s*</button>", form)
    assert client.post("/my/?lang=kk", data={"email": address}).status_code == 302
    [message] = mails(app, address)
    assert message["Subject"] == "АӨСШК Хатшылығындағы тіркеулеріңіз"
    assert "тіркеулеріңіздің бетін сұрады" in body(message)
