"""Demo visa support letters: issued ones for a delegate of the sample meeting (in Astana)
and two of the Shanghai forum, and one request waiting. Invented data (passport numbers DEMO...);
no mail is sent. Idempotent: a registration that has a letter keeps it."""

from __future__ import annotations

from datetime import timedelta

from registration.conferences.models import Conference
from registration.database import db, utcnow
from registration.delegates.letters import current_letter
from registration.delegates.models import LetterStatus, VisaLetter
from registration.signup.demo import SLUG
from registration.signup.demo_delegates import SHANGHAI_SLUG
from registration.signup.models import AttendanceMode, Registration, RegistrationStatus

# (conference slug, registration name, nationality, passport number, consulate city, issued?)
LETTERS = [
    (SLUG, "Wei Sample", "CN", "DEMO1002", "Shanghai", True),
    (SLUG, "Mehmet Sample", "TR", "DEMO1003", "Istanbul", False),
    (SHANGHAI_SLUG, "Dana Demo", "KZ", "DEMO0002", "Almaty", True),
    (SHANGHAI_SLUG, "Farrukh Demo", "UZ", "DEMO0003", "Tashkent", True),
]


def _registration(slug: str, name: str) -> Registration | None:
    return db.session.scalar(
        db.select(Registration)
        .join(Registration.conference)
        .where(
            Conference.slug == slug,
            Registration.name == name,
            Registration.mode == AttendanceMode.IN_PERSON,
            Registration.status == RegistrationStatus.APPROVED,
        )
    )


def _next_number(conference_id: int) -> int:
    numbers = db.session.scalars(
        db.select(VisaLetter.number).filter_by(conference_id=conference_id)
    ).all()
    return max((n for n in numbers if n is not None), default=0) + 1


def seed_letters() -> None:
    """Add the demo letters that are missing; commits."""
    for slug, name, nationality, passport, consulate, issued in LETTERS:
        registration = _registration(slug, name)
        if registration is None or current_letter(registration.id) is not None:
            continue
        conference = registration.conference
        first = conference.local(conference.starts_at).date()
        letter = VisaLetter(
            registration_id=registration.id,
            conference_id=conference.id,
            passport_name=name.upper(),
            passport_number=passport,
            nationality=nationality,
            arrival=first - timedelta(days=1),
            departure=first + timedelta(days=3),
            consulate_city=consulate,
        )
        if issued:
            letter.status = LetterStatus.ISSUED
            letter.number = _next_number(conference.id)
            letter.issued_at = utcnow()
        db.session.add(letter)
        db.session.flush()
    db.session.commit()
