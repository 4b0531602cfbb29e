"""The retention rule erases what in-person delegates gave: answers and their files, badge
photos, passport data of visa letters (the letter's number and dates stay)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from flask import Flask

from registration import files
from registration.database import db
from registration.delegates import letters
from registration.delegates.models import VisaLetter
from registration.retention.services import erase_own_registration
from registration.signup import answers, photos
from registration.signup.models import Answer, PersonalFile, Question, QuestionKind, Registration
from tests.attendance_support import add_registration
from tests.delegate_support import PDF, picture
from tests.signup_support import open_registration

pytestmark = pytest.mark.usefixtures("members")


def test_erasing_a_registration_erases_answers_photos_and_passport_data(
    app: Flask, make_conference: Callable[..., int]
) -> None:
    conference_id = make_conference(slug="ttf9")
    open_registration(app, conference_id)
    registration_id = add_registration(app, conference_id, "Aigerim Nurlanovna")
    folder = Path(app.config["FILES_FOLDER"])
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        passport = Question(
            conference_id=conference_id, label="Passport", kind=QuestionKind.SHORT_TEXT
        )
        scan = Question(conference_id=conference_id, label="Scan", kind=QuestionKind.FILE)
        db.session.add_all([passport, scan])
        db.session.commit()
        answers.record_answers(
            registration,
            [
                answers.AnswerInput(passport.id, "N1234567"),
                answers.AnswerInput(scan.id, "scan.pdf", files.checked_file(PDF)),
            ],
        )
        photos.save_photo(registration, picture(), photos.Crop())
        given = letters.LetterRequest(
            "AIGERIM", "N1234567", "KZ", date(2030, 12, 27), date(2030, 12, 30), "Almaty"
        )
        letters.request_letter(registration, given)
        keys = set(db.session.scalars(db.select(PersonalFile.key)))
        assert len(keys) == 2
        assert keys <= {p.name for p in folder.iterdir()}

        erase_own_registration(db.session.get(Registration, registration_id))

        assert db.session.scalars(db.select(Answer)).all() == []
        assert db.session.scalars(db.select(PersonalFile)).all() == []
        letter = db.session.scalar(db.select(VisaLetter))
        assert letter is not None
        assert (letter.passport_number, letter.passport_name, letter.nationality) == ("", "", "")
        assert letter.arrival == date(2030, 12, 27)
    assert not keys & {p.name for p in folder.iterdir()}, "the files left the disk"
