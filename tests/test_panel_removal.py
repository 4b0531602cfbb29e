"""A removed panel's CANCEL: written by the removal job's worker from what the panel was (the
row is gone by then), in each attendee's language, once however often the job runs."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable

import icalendar
import pytest
from flask import Flask
from sqlalchemy import update

from registration.calendars import messages
from registration.calendars.models import RemovedPanelAttendee
from registration.conferences import panels
from registration.conferences.models import Panel, PanelPerson, PanelRole, Person
from registration.database import db
from registration.directory.models import Institution
from registration.i18n import in_language
from registration.jobs import services as jobs
from registration.jobs.models import Job, JobState
from registration.jobs.registry import label_of
from registration.mail import services as mail_services
from registration.mail.models import OutgoingMail
from tests.mail_support import add_registration

pytestmark = pytest.mark.usefixtures("members")
SIIS = "Shanghai Institutes for International Studies"
SIIS_RU = "Шанхайский институт международных исследований"


def test_removed_panel_cancel_says_what_it_was_in_each_language_once(
    app: Flask, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> None:
    conference_id = make_conference(slug="ttf9")
    panel_id = make_panel(
        conference_id, title="Opening", translations={"ru": {"title": "Открытие"}}
    )
    with app.app_context():
        panel = db.session.get(Panel, panel_id)
        speaker = Person(name="Kairat Sarybay", honorific="H.E. Mr.", position="Secretary General")
        panel.roles.append(PanelPerson(person=speaker, role=PanelRole.SPEAKER))
        siis = Institution(name=SIIS, language="en", translations={"ru": {"name": SIIS_RU}})
        expert = Person(name="Chen Dongxiao", institution=siis)
        panel.roles.append(PanelPerson(person=expert, role=PanelRole.SPEAKER, position=1))
        english = add_registration(conference_id, "en@example.org")
        russian = add_registration(conference_id, "ru@example.org")
        russian.mail_language = "ru"
        db.session.flush()
        assert messages.registration_approved(english) == 1
        assert messages.registration_approved(russian) == 1
        db.session.commit()

        change = panels.remove_panel(db.session.get(Panel, panel_id))
        assert change.job_id is not None
        assert db.session.get(Job, change.job_id).total == 2
        assert jobs.run(change.job_id) == 2
        db.session.execute(  # the same job again (a duplicated task, a sweeper's retry)
            update(Job).where(Job.id == change.job_id).values(state=JobState.QUEUED)
        )
        db.session.commit()
        assert jobs.run(change.job_id) == 0
        assert db.session.scalar(db.select(db.func.count(RemovedPanelAttendee.job_id))) == 0
        with in_language("ru"):  # the job's name, from the copy of the panel it keeps
            named = label_of(db.session.get(Job, change.job_id))
            assert named == "Отмена удалённого заседания: Открытие"

        rows = db.session.scalars(db.select(OutgoingMail).order_by(OutgoingMail.id)).all()
        invitations = [r for r in rows if r.composer == "calendars.itip"]
        assert [mail_services.message_of(r) for r in invitations] == [None, None], (
            "an invitation still queued has nothing to say about a panel that is gone"
        )
        cancels = {
            r.recipient: email.message_from_bytes(
                mail_services.message_of(r) or b"", policy=email.policy.default
            )
            for r in rows
            if r.composer == "calendars.removed_panel"
        }
    assert set(cancels) == {"en@example.org", "ru@example.org"}
    assert "Opening" in str(cancels["en@example.org"]["Subject"])
    assert "Открытие" in str(cancels["ru@example.org"]["Subject"])
    for message in cancels.values():
        [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
        calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
        [event] = calendar.walk("VEVENT")
        assert calendar["METHOD"] == "CANCEL"
        assert event["STATUS"] == "CANCELLED"
        assert event["UID"].startswith(f"panel-{panel_id}@")
        assert event["SEQUENCE"] == 1, "it outranks the invitation"
        assert "H.E. Mr. Kairat Sarybay" in str(event["DESCRIPTION"])
    # the speaker's institution in each attendee's language (English: its main name)
    for address, name in (("en@example.org", SIIS), ("ru@example.org", SIIS_RU)):
        [part] = [p for p in cancels[address].walk() if p.get_content_type() == "text/calendar"]
        [event] = icalendar.Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
        assert f"- Chen Dongxiao, {name}" in str(event["DESCRIPTION"]), address
