"""Approved participants get iMIP calendar mail that icalendar, vobject and ical.js accept;
updates keep the UID and raise SEQUENCE; cancellations send METHOD:CANCEL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import icalendar
import pytest
import vobject

from registration.calendars import messages
from registration.calendars.itip import CANCEL, REQUEST
from registration.conferences import services as conference_services
from registration.conferences.models import Panel, PanelStatus
from registration.database import db
from registration.signed_tokens import personal_join_url
from registration.signup.models import AttendanceMode, Registration, RegistrationStatus
from tests.conftest import at
from tests.mail_support import (
    TestMailbox,
    add_registration,
    calendar_part,
    read_with_icaljs,
    wait_for,
)

pytestmark = pytest.mark.usefixtures("members", "celery_worker")


def _check_calendar(message, method: str, tmp_path: Path) -> tuple[icalendar.Event, dict]:
    """The MIME structure and the calendar as three different parsers read it."""
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    kinds = [part.get_content_type() for part in alternative.get_payload()]
    assert kinds == ["text/plain", "text/html", "text/calendar"]
    part = calendar_part(message)
    assert part.get_param("method") == method
    assert attachment.get_filename() == "invite.ics"
    ics = part.get_payload(decode=True)
    assert attachment.get_payload(decode=True) == ics
    assert b"\r\n" in ics

    calendar = icalendar.Calendar.from_ical(ics)
    assert calendar["METHOD"] == method
    assert calendar.get_missing_tzids() == set()
    assert "X-WR-CALNAME" not in calendar
    [event] = calendar.events
    assert not event.errors
    vobject.readOne(ics.decode()).validate(raiseException=True)
    seen_by_thunderbird = read_with_icaljs(ics, tmp_path)
    assert seen_by_thunderbird["method"] == method
    return event, seen_by_thunderbird["events"][0]


def _messages_to(mailbox: TestMailbox, address: str, count: int):
    return wait_for(
        lambda: (
            [m for m in mailbox.parsed() if m["To"] == address][:count]
            if len([m for m in mailbox.parsed() if m["To"] == address]) >= count
            else None
        ),
        what=f"{count} message(s) to {address}",
    )


def test_invitation_update_and_cancellation_reach_the_participant(
    app, mailbox: TestMailbox, make_conference: Callable, make_panel: Callable, tmp_path: Path
) -> None:
    conference_id = make_conference(timezone="Asia/Shanghai")
    panel_id = make_panel(
        conference_id, starts_at=at("2030-12-28 02:00"), ends_at=at("2030-12-28 04:00")
    )
    with app.app_context():
        registration = add_registration(conference_id, "aigerim@example.kz", panels=[panel_id])
        assert messages.registration_approved(registration) == 1
        db.session.commit()

    [invitation] = _messages_to(mailbox, "aigerim@example.kz", 1)
    event, js = _check_calendar(invitation, "REQUEST", tmp_path)
    uid = f"panel-{panel_id}@localhost"
    assert event["UID"] == uid == js["uid"]
    assert js["sequence"] == 0
    assert js["tzid"] == "Asia/Shanghai"
    assert js["start_utc"] == "2030-12-28T02:00:00.000Z"
    assert js["end_utc"] == "2030-12-28T04:00:00.000Z"
    assert event.DTSTART.astimezone(at("2030-01-01 00:00").tzinfo) == at("2030-12-28 02:00")
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:aigerim@example.kz"
    assert attendee.params["RSVP"] == "TRUE"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert str(event["ORGANIZER"]) == "mailto:secretariat@cica.example"
    text = invitation.get_body(preferencelist=("plain",)).get_content()
    assert "10:00 - 12:00 Asia/Shanghai (UTC+08:00)" in text
    assert "December 28, 2030, 02:00 - 04:00 UTC" in text  # Babel's English date
    assert "Hall A" in text

    with app.app_context():
        registration = db.session.scalars(db.select(Registration)).one()
        assert messages.registration_approved(registration) == 0, "queued twice"
        panel = db.session.get(Panel, panel_id)
        panel.starts_at += timedelta(hours=1)
        panel.ends_at += timedelta(hours=1)
        panel.sequence += 1
        assert messages.tell(panel, REQUEST, messages.attendee_ids(panel), "moves") == 1
        db.session.commit()

    update = _messages_to(mailbox, "aigerim@example.kz", 2)[1]
    event, js = _check_calendar(update, "REQUEST", tmp_path)
    assert update["Subject"].startswith("Updated:")
    assert (js["uid"], js["sequence"]) == (uid, 1)
    assert js["start_utc"] == "2030-12-28T03:00:00.000Z"
    assert update["Message-ID"] != invitation["Message-ID"]

    with app.app_context():
        panel = db.session.get(Panel, panel_id)
        panel.status = PanelStatus.CANCELLED
        panel.sequence += 1
        assert messages.tell(panel, CANCEL, messages.attendee_ids(panel)) == 1
        db.session.commit()

    cancel = _messages_to(mailbox, "aigerim@example.kz", 3)[2]
    event, js = _check_calendar(cancel, "CANCEL", tmp_path)
    assert cancel["Subject"].startswith("Cancelled:")
    assert (js["uid"], js["sequence"], js["status"]) == (uid, 2, "CANCELLED")


def test_online_attendee_gets_the_join_link_and_withdrawal_cancels(
    app, mailbox: TestMailbox, make_conference: Callable, make_panel: Callable, tmp_path: Path
) -> None:
    conference_id = make_conference(online_url="https://meet.example.org/ttf")
    panel_id = make_panel(conference_id)
    make_panel(conference_id, title="Second panel", starts_at=at("2030-12-28 05:00"),
               ends_at=at("2030-12-28 06:00"))  # fmt: skip
    with app.app_context():
        registration = add_registration(
            conference_id, "remote@example.org", panels=[panel_id], mode=AttendanceMode.ONLINE
        )
        messages.registration_approved(registration)
        db.session.commit()
        personal = personal_join_url(registration.id, panel_id)

    [invitation] = _messages_to(mailbox, "remote@example.org", 1)
    event, _ = _check_calendar(invitation, "REQUEST", tmp_path)
    assert personal.startswith("http://localhost/j/")
    assert str(event["LOCATION"]) == personal
    assert f"Join online: {personal}" in str(event["DESCRIPTION"])
    assert str(event["CONFERENCE"]) == personal
    assert (
        f"Join online: {personal}" in invitation.get_body(preferencelist=("plain",)).get_content()
    )
    joined = app.test_client().get(personal.removeprefix("http://localhost"))
    assert joined.headers["Location"] == "https://meet.example.org/ttf", "records, then redirects"

    with app.app_context():
        registration = db.session.scalars(db.select(Registration)).one()
        registration.status = RegistrationStatus.WITHDRAWN
        assert messages.registration_withdrawn(registration) == 1
        db.session.commit()
    cancel = _messages_to(mailbox, "remote@example.org", 2)[1]
    _, js = _check_calendar(cancel, "CANCEL", tmp_path)
    assert js["status"] == "CANCELLED"
    assert js["uid"] == f"panel-{panel_id}@localhost"


def test_conference_cancellation_reaches_every_attendee_of_every_panel(
    app, mailbox: TestMailbox, make_conference: Callable, make_panel: Callable, tmp_path: Path
) -> None:
    conference_id = make_conference()
    first = make_panel(conference_id)
    second = make_panel(conference_id, title="Closing", starts_at=at("2030-12-28 07:00"),
                        ends_at=at("2030-12-28 08:00"))  # fmt: skip
    with app.app_context():
        add_registration(conference_id, "one@example.org", panels=[first])
        add_registration(conference_id, "all@example.org")  # no panel chosen: all of them
        db.session.commit()
        from registration.conferences.models import Conference

        conference = db.session.get(Conference, conference_id)
        assert conference_services.cancel_conference(conference).job_id, "one fan-out job"
    wait_for(lambda: len(mailbox.parsed()) >= 3, what="three cancellations")
    received = sorted((m["To"], calendar_part(m).get_param("method")) for m in mailbox.parsed())
    assert received == [
        ("all@example.org", "CANCEL"),
        ("all@example.org", "CANCEL"),
        ("one@example.org", "CANCEL"),
    ]
    uids = {
        str(
            icalendar.Calendar.from_ical(calendar_part(m).get_payload(decode=True)).events[0]["UID"]
        )
        for m in mailbox.parsed()
    }
    assert uids == {f"panel-{first}@localhost", f"panel-{second}@localhost"}
