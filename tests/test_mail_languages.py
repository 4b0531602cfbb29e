"""Every kind of message to a registrant is written in the language they chose for our mail:
a Kazakh- and a Russian-speaking registrant get subjects, bodies, calendars (SUMMARY,
DESCRIPTION, LOCATION with RFC 5545's LANGUAGE, read by icalendar, vobject and ical.js) and
the stored texts in their language, the conference's where a text is not translated."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from email.message import EmailMessage
from typing import NamedTuple

import pytest
from flask import Flask

from registration.attendance.certificates import queue_certificate
from registration.attendance.models import AttendanceRecord
from registration.calendars import messages, reminders
from registration.calendars.itip import CANCEL, REQUEST
from registration.conferences.models import (
    Conference,
    Panel,
    PanelPerson,
    PanelRole,
    PanelStatus,
    Person,
)
from registration.database import db, utcnow
from registration.delegates.mailing import mail_about_letter
from registration.delegates.models import LetterStatus, VisaLetter
from registration.delegates.person import send_link
from registration.directory.models import Institution, Member
from registration.invitations.services import Invitee, invite
from registration.mail.outbox import queue_intent
from registration.signup import bulk
from registration.signup.mailing import SUBJECTS, mail_registrant
from registration.signup.models import (
    AttendanceMode,
    ParticipantRole,
    Registration,
    RegistrationStatus,
)
from tests.conftest import at
from tests.ics_check import read_all, with_icalendar, with_vobject
from tests.mail_support import TestMailbox, add_registration, calendar_part, wait_for

pytestmark = pytest.mark.usefixtures("members", "celery_worker")


class Language(NamedTuple):
    code: str
    secretariat: str  # who signs (the catalogue's words)
    title: str  # the conference's title
    panel: str  # the panel's title
    city: str
    institution: str  # the speaker's institution's name
    state: str  # the member state of a speaker without an institution


KAZAKH = Language(
    "kk",
    "АӨСШК Хатшылығы",
    "АӨСШК Сараптамалық орталықтар форумының тоғызыншы отырысы",
    "Қауіпсіздіктің нақты сын-қатерлері",
    "Шанхай",
    "Шанхай халықаралық зерттеулер институты",
    "Әзірбайжан",
)
RUSSIAN = Language(
    "ru",
    "Секретариат",
    "Девятое заседание Форума аналитических центров СВМДА",
    "Реальные вызовы безопасности",
    "Шанхай",
    "Шанхайский институт международных исследований",
    "Азербайджан",
)
SPEAKER = "Чэнь Дунсяо"
ENVOY = "Эльнур Алиев"  # a speaker listed with his state (Azerbaijan), no institution
NAME = "Айгерим Бекова"
# Latin words a Kazakh or Russian message may hold: the zone id, units and the room of the
# panel, which has no Kazakh name (its English one is the fallback).
ALLOWED_LATIN = {"Asia", "Shanghai", "UTC", "PDF", "QR", "Hall"}


def latin_words(text: str) -> set[str]:
    """Latin words left after removing links and addresses: English that leaked."""
    text = re.sub(r"\S+@\S+|https?://\S+|[\w-]+/V/\d+", " ", text)
    return set(re.findall(r"[A-Za-z]{2,}", text)) - ALLOWED_LATIN


def body(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _to(mailbox: TestMailbox, address: str, count: int) -> list[EmailMessage]:
    def arrived() -> list[EmailMessage] | None:
        found = [m for m in mailbox.parsed() if m["To"] == address]
        return found if len(found) >= count else None

    return wait_for(arrived, what=f"{count} message(s) to {address}")


def assert_in_language(message: EmailMessage, language: Language) -> str:
    """The message is in the language, and each of our links opens its page in it."""
    text = body(message)
    assert language.secretariat in text, text
    assert latin_words(message["Subject"]) == set(), message["Subject"]
    assert latin_words(text) == set(), text
    links = re.findall(r"http://localhost/\S+", text)
    assert all(f"lang={language.code}" in link for link in links), links
    return text


@pytest.fixture
def conference(app: Flask, make_conference: Callable, make_panel: Callable) -> tuple[int, int]:
    """A conference and panel in English with Russian and Kazakh texts (the panel's room
    has no Kazakh name); its speaker's institution has an English main name and Russian and
    Kazakh ones, and another speaker is listed with his member state alone."""
    conference_id = make_conference(
        translations={
            lang.code: {"title": lang.title, "city": lang.city, "venue": venue}
            for lang, venue in (
                (KAZAKH, "ШХЗИ, Цзюйлу к., 845-1"),
                (RUSSIAN, "ШИМИ, ул. Цзюйлу, 845-1"),
            )
        }
    )
    panel_id = make_panel(
        conference_id,
        translations={
            "kk": {"title": KAZAKH.panel},
            "ru": {"title": RUSSIAN.panel, "room": "Зал А"},
        },
    )
    with app.app_context():
        institution = Institution(
            name="Shanghai Institutes for International Studies",
            translations={lang.code: {"name": lang.institution} for lang in (KAZAKH, RUSSIAN)},
        )
        speaker = Person(name=SPEAKER, institution=institution)
        db.session.add(PanelPerson(panel_id=panel_id, person=speaker, role=PanelRole.SPEAKER))
        azerbaijan = db.session.execute(db.select(Member).filter_by(code="AZE")).scalar_one()
        envoy = Person(name=ENVOY, member=azerbaijan)
        db.session.add(
            PanelPerson(panel_id=panel_id, person=envoy, role=PanelRole.SPEAKER, position=1)
        )
        db.session.commit()
    return conference_id, panel_id


def _registrant(conference_id: int, panel_id: int, language: Language) -> Registration:
    registration = add_registration(
        conference_id, f"{language.code}@example.kz", panels=[panel_id], name=NAME
    )
    registration.mail_language = language.code
    return registration


@pytest.mark.parametrize("language", [KAZAKH, RUSSIAN], ids=lambda lang: lang.code)
def test_registrant_mail_in_the_registrants_language(
    app: Flask, mailbox: TestMailbox, conference: tuple[int, int], language: Language
) -> None:
    with app.app_context():
        registration = _registrant(*conference, language)
        for kind in SUBJECTS:
            mail_registrant(registration, kind, f"{kind}:{registration.id}")
        # An organiser's message to chosen registrants (a bulk action): their words as typed
        queue_intent(
            bulk.MESSAGE,
            {"registration": registration.id, "subject": language.panel, "body": language.city},
            key=f"bulk-message:{registration.id}",
            recipient=registration.email,
        )
        address = registration.email
        waiting = add_registration(conference[0], f"waiting-{language.code}@example.kz", name=NAME)
        waiting.mail_language = language.code
        waiting.status = RegistrationStatus.WAITLISTED
        waiting.status_reason = "All in-person seats are taken."  # stored in English (N_)
        mail_registrant(waiting, "confirm", f"confirm:{waiting.id}")
        db.session.commit()
    received = _to(mailbox, address, len(SUBJECTS) + 1)
    for message in received:
        assert language.title in message["Subject"] or message["Subject"] == language.panel
        text = assert_in_language(message, language)
        assert language.title in text
        assert NAME in text
    [waiting_list] = _to(mailbox, f"waiting-{language.code}@example.kz", 1)
    assert "All in-person" not in assert_in_language(waiting_list, language), "reason translated"


def _calendar(message: EmailMessage, method: str, language: Language) -> str:
    """The iMIP part as three parsers read it; SUMMARY, DESCRIPTION, LOCATION in the language."""
    ics = calendar_part(message).get_payload(decode=True)
    seen = read_all(ics)
    assert seen["method"] == method
    [event] = seen["events"]
    assert event["summary"] == language.panel
    assert language.title in event["description"]
    assert f"- {SPEAKER}, {language.institution}" in event["description"]
    assert f"- {ENVOY}, {language.state}" in event["description"]
    [parsed] = with_icalendar(ics).events
    for name in ("SUMMARY", "DESCRIPTION", "LOCATION"):
        assert parsed[name].params["LANGUAGE"] == language.code, name
    vevent = with_vobject(ics).vevent
    assert vevent.summary.params["LANGUAGE"] == [language.code]
    assert event["languages"] == {
        "summary": language.code,
        "description": language.code,
        "location": language.code,
    }
    return event["location"]


@pytest.mark.parametrize("language", [KAZAKH, RUSSIAN], ids=lambda lang: lang.code)
def test_calendar_mail_and_reminders_in_the_registrants_language(
    app: Flask, mailbox: TestMailbox, conference: tuple[int, int], language: Language
) -> None:
    conference_id, panel_id = conference
    with app.app_context():
        registration = _registrant(conference_id, panel_id, language)
        assert messages.registration_approved(registration) == 1
        db.session.commit()
        address = registration.email
    [invitation] = _to(mailbox, address, 1)
    location = _calendar(invitation, REQUEST, language)
    assert language.city in location
    assert ("Зал А" if language is RUSSIAN else "Hall A") in location
    assert_in_language(invitation, language)
    assert language.panel in invitation["Subject"]

    with app.app_context():
        panel = db.session.get(Panel, panel_id)
        panel.starts_at += timedelta(hours=1)
        panel.ends_at += timedelta(hours=1)
        panel.sequence += 1
        assert messages.tell(panel, REQUEST, messages.attendee_ids(panel), "moves") == 1
        db.session.commit()
        queued = reminders.queue_due_reminders(now=panel.starts_at - timedelta(minutes=10))
        assert queued == 1
        db.session.commit()
    received = _to(mailbox, address, 3)
    update = next(m for m in received[1:] if calendar_part_or_none(m))
    _calendar(update, REQUEST, language)
    assert_in_language(update, language)
    reminder = next(m for m in received[1:] if not calendar_part_or_none(m))
    assert language.panel in reminder["Subject"]
    assert_in_language(reminder, language)

    with app.app_context():
        panel = db.session.get(Panel, panel_id)
        panel.status = PanelStatus.CANCELLED
        panel.sequence += 1
        assert messages.tell(panel, CANCEL, messages.attendee_ids(panel)) == 1
        db.session.commit()
    cancel = _to(mailbox, address, 4)[3]
    _calendar(cancel, CANCEL, language)
    assert_in_language(cancel, language)


def calendar_part_or_none(message: EmailMessage) -> bool:
    return any(p.get_content_type() == "text/calendar" for p in message.walk())


@pytest.mark.parametrize("language", [KAZAKH, RUSSIAN], ids=lambda lang: lang.code)
def test_certificates_letters_sign_in_links_and_invitations_in_the_persons_language(
    app: Flask, mailbox: TestMailbox, conference: tuple[int, int], language: Language
) -> None:
    conference_id, panel_id = conference
    with app.app_context():
        registration = _registrant(conference_id, panel_id, language)
        now = utcnow()
        db.session.add(
            AttendanceRecord(
                registration_id=registration.id,
                conference_id=conference_id,
                scope="day",
                day=date(2030, 12, 28),
                mode=AttendanceMode.IN_PERSON,
                first_seen=now,
                last_seen=now,
            )
        )
        letter = VisaLetter(
            registration_id=registration.id,
            conference_id=conference_id,
            passport_name="BEKOVA AIGERIM",
            passport_number="N1234567",
            nationality="KZ",
            arrival=date(2030, 12, 26),
            departure=date(2030, 12, 30),
            consulate_city="Алматы",
            status=LetterStatus.ISSUED,
            number=7,
        )
        db.session.add(letter)
        db.session.flush()
        for kind in ("issued", "declined", "revoked"):
            mail_about_letter(letter, kind)
        db.session.commit()
        assert queue_certificate(registration.id)
        assert send_link(registration.email)
        address = registration.email
        other = make_other_conference(conference_id)
        invite(other, [Invitee(NAME, address, None, ParticipantRole.PARTICIPANT)], [])
    received = _to(mailbox, address, 6)
    for message in received:
        assert_in_language(message, language)
    titles = [m["Subject"] for m in received if language.title in m["Subject"]]
    assert len(titles) == 5, [m["Subject"] for m in received]


def make_other_conference(conference_id: int) -> Conference:
    """A second meeting (same texts) to invite the registrant to."""
    first = db.session.get(Conference, conference_id)
    other = Conference(
        slug=f"{first.slug}-next",
        title=first.title,
        timezone=first.timezone,
        starts_at=at("2031-06-01 04:00"),
        ends_at=at("2031-06-02 10:00"),
        format=first.format,
        status=first.status,
        venue=first.venue,
        city=first.city,
        translations=first.translations,
    )
    db.session.add(other)
    db.session.commit()
    return other
