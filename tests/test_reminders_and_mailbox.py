"""Beat's reminder job mails each attendee once before a panel; the local mail catcher keeps
.eml files that organisers read on /manage/mailbox."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import icalendar
import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.calendars import messages, reminders
from registration.database import db, utcnow
from registration.i18n import in_language
from registration.jobs import services as jobs
from registration.jobs.models import Job
from registration.jobs.registry import label_of
from registration.mail import services
from registration.mail.catcher import MailboxHandler, start
from tests.mail_support import TestMailbox, add_registration, wait_for

pytestmark = pytest.mark.usefixtures("members", "celery_worker")


def test_a_reminder_goes_once_before_the_panel(
    app: Flask, mailbox: TestMailbox, make_conference: Callable, make_panel: Callable
) -> None:
    conference_id = make_conference()
    soon = make_panel(
        conference_id,
        title="Opening",
        starts_at=utcnow() + timedelta(minutes=30),
        ends_at=utcnow() + timedelta(minutes=90),
    )
    make_panel(
        conference_id,
        title="Next week",
        starts_at=utcnow() + timedelta(days=7),
        ends_at=utcnow() + timedelta(days=7, hours=1),
    )
    with app.app_context():
        add_registration(conference_id, "early@example.org", panels=[soon])
        db.session.commit()
        services.publish([("workers.reminders.send_reminders", ())])
        services.publish([("workers.reminders.send_reminders", ())])
    wait_for(lambda: mailbox.parsed(), what="the reminder")
    with app.app_context():
        assert reminders.queue_due_reminders() == 0, "reminded twice"
    [reminder] = mailbox.parsed()
    assert reminder["To"] == "early@example.org"
    assert reminder["Subject"].startswith("Reminder: Opening")

    def progress() -> dict[str, int | bool]:
        with app.app_context():
            [job] = db.session.scalars(db.select(Job).filter_by(kind="calendars.reminders"))
            return jobs.progress(job.id).as_dict()  # one job for the panel, with progress

    wait_for(lambda: progress()["finished"], what="the reminder job done")
    assert progress()["done"] == 1
    with app.app_context(), in_language("kk"):
        [job] = db.session.scalars(db.select(Job).filter_by(kind="calendars.reminders"))
        assert label_of(job) == 'Отырыс алдындағы еске салулар: <span lang="en">Opening</span>'
    with app.app_context():
        add_registration(conference_id, "late@example.org", panels=[soon])
        db.session.commit()
        assert reminders.queue_due_reminders() == 1, "the panel's job runs again for them"
        db.session.commit()
    wait_for(lambda: mailbox.count >= 2, what="the late comer's reminder")
    wait_for(lambda: progress()["done"] == 2, what="the job's progress")
    assert [m["To"] for m in mailbox.parsed()] == ["early@example.org", "late@example.org"]


@pytest.fixture
def caught(app: Flask, tmp_path: Path) -> Iterator[Path]:
    """The catcher of the default run, storing .eml files in MAILBOX_FOLDER."""
    folder = Path(app.config["MAILBOX_FOLDER"])
    controller = start(MailboxHandler(folder))
    saved = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = controller.port
    yield folder
    app.config["MAIL_PORT"] = saved
    controller.stop()
    for path in folder.glob("*.eml"):
        path.unlink()


def test_the_mailbox_page_shows_caught_mail_with_its_calendar(
    app: Flask,
    caught: Path,
    organizer_client: FlaskClient,
    make_conference: Callable,
    make_panel: Callable,
) -> None:
    conference_id = make_conference()
    panel_id = make_panel(conference_id, title="Water security")
    with app.app_context():
        registration = add_registration(conference_id, "seen@example.org", panels=[panel_id])
        messages.registration_approved(registration)
        db.session.commit()
    [eml] = wait_for(lambda: list(caught.glob("*.eml")), what="a caught .eml file")

    listing = organizer_client.get("/manage/mailbox/")
    assert "Invitation: Water security" in listing.text
    assert "seen@example.org" in listing.text
    page = organizer_client.get(f"/manage/mailbox/{eml.name}")
    assert "METHOD:REQUEST" in page.text
    download = organizer_client.get(f"/manage/mailbox/{eml.name}/download")
    assert download.data == eml.read_bytes()
    ics = organizer_client.get(f"/manage/mailbox/{eml.name}/invite.ics")
    assert ics.mimetype == "text/calendar"
    assert icalendar.Calendar.from_ical(ics.data)["METHOD"] == "REQUEST"
    assert organizer_client.get("/manage/mailbox/..%2Fsecret_key").status_code == 404
