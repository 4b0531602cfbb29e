"""The capabilities announce their events and subscribers receive them: registrations
created (through the public form), approved, rejected, withdrawn; a check-in; a conference
published, changed (a panel) and cancelled, a draft's changes not; a document issued and a
dispatch finished (real worker and receiver)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.attendance.checkin import Scan, check_in
from registration.conferences import panels as panel_services
from registration.conferences import services as conference_services
from registration.conferences.models import Conference, ConferenceStatus, Panel
from registration.correspondence import dispatch as dispatching
from registration.correspondence import dispatch_finish
from registration.correspondence.models import NoteVerbale
from registration.database import db
from registration.jobs.models import Job
from registration.signup import services as signup
from registration.signup.models import Registration
from registration.webhooks.events import EVENTS
from tests.correspondence_support import add_contact, issued_note
from tests.mail_support import TestMailbox, wait_for
from tests.signup_support import form_data, member_id, open_registration
from tests.webhook_support import Receiver, subscribe

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.usefixtures("celery_worker", "members"),
]


def received(receiver: Receiver) -> list[dict]:
    with receiver.lock:
        return [json.loads(r.body) for r in receiver.received]


def registration_of(app: Flask, email: str) -> int:
    with app.app_context():
        return db.session.scalars(db.select(Registration.id).filter_by(email=email)).one()


def finished_now(app: Flask) -> bool:
    """Run the beat's check once (as the beat does every MAIL_SWEEP_SECONDS)."""
    with app.app_context():
        return dispatch_finish.finish_dispatches() > 0


def test_every_capability_announces_its_events(
    app: Flask,
    client: FlaskClient,
    receiver: Receiver,
    make_organizer: Callable,
    make_conference: Callable,
    make_panel: Callable,
    mailbox: TestMailbox,
) -> None:
    conference_id = make_conference(slug="ttf9", status=ConferenceStatus.DRAFT)
    panel_id = make_panel(conference_id)
    owner = make_organizer()
    subscribe(app, owner.id, receiver.url, list(EVENTS), conference_id)
    with app.app_context():
        conference_services.publish_conference(db.session.get(Conference, conference_id))
    open_registration(app, conference_id)
    kaz = member_id(app, "KAZ")
    for email in ("a@kisi.example", "b@kisi.example", "c@kisi.example"):
        answer = client.post("/conferences/ttf9/register", data=form_data(kaz, email=email))
        assert answer.status_code in (200, 302, 303)
    first, second, third = (registration_of(app, f"{x}@kisi.example") for x in "abc")
    with app.app_context():
        signup.decide(db.session.get(Registration, first), approve=True)
        signup.decide(db.session.get(Registration, second), approve=False, reason="Late")
        signup.withdraw(db.session.get(Registration, third))
        conference = db.session.get(Conference, conference_id)
        scan = Scan(client_id="scan-1", panel_id=panel_id, registration_id=first)
        check_in(conference, scan, owner.id)
        panel_services.cancel_panel(db.session.get(Panel, panel_id))
    note_id = issued_note(app, conference_id)
    add_contact(app, "KAZ", "mfa@kaz.example", ["en"])
    with app.app_context():
        dispatching.start(db.session.get(NoteVerbale, note_id), None, None)
        assert dispatch_finish.finish_dispatches() == 0, "queued is not finished"
    wait_for(lambda: mailbox.count >= 1, what="the dispatched note")
    wait_for(lambda: finished_now(app), what="the dispatch finished")
    with app.app_context():
        conference_services.cancel_conference(db.session.get(Conference, conference_id))
    expected = [
        "conference.published",
        "registration.created",
        "registration.created",
        "registration.created",
        "registration.approved",
        "registration.rejected",
        "registration.withdrawn",
        "attendance.checked_in",
        "conference.changed",
        "document.issued",
        "document.dispatched",
        "conference.cancelled",
    ]
    wait_for(lambda: len(received(receiver)) >= len(expected), timeout=60, what="all events")
    got = received(receiver)
    assert sorted(p["type"] for p in got) == sorted(expected)
    by_type = {p["type"]: p["data"] for p in got}
    assert by_type["registration.approved"]["registration"]["id"] == first
    assert by_type["registration.approved"]["registration"]["status"] == "approved"
    assert by_type["attendance.checked_in"]["registration"]["id"] == first
    assert by_type["conference.changed"]["panel"] == {"id": panel_id, "changed": ["status"]}
    assert by_type["conference.cancelled"]["conference"]["slug"] == "ttf9"
    assert by_type["document.issued"]["document"]["reference"] == "TTF/374"
    dispatched = by_type["document.dispatched"]["dispatch"]
    assert (dispatched["addresses"], dispatched["sent"], dispatched["refused"]) == (1, 1, 0)
    assert "kisi.example" not in json.dumps(got), "no personal data in the payloads"
    with app.app_context():
        jobs = db.select(db.func.count()).select_from(Job).filter_by(kind="webhooks.event")
        assert db.session.scalar(jobs) == len(expected)


def test_a_drafts_changes_are_not_events_and_a_finished_dispatch_is_told_once(
    app: Flask,
    receiver: Receiver,
    make_organizer: Callable,
    make_conference: Callable,
    make_panel: Callable,
    mailbox: TestMailbox,
) -> None:
    conference_id = make_conference(slug="ttf9", status=ConferenceStatus.DRAFT)
    panel_id = make_panel(conference_id)
    subscribe(app, make_organizer().id, receiver.url, list(EVENTS), conference_id)
    with app.app_context():
        panel_services.cancel_panel(db.session.get(Panel, panel_id))
    note_id = issued_note(app, conference_id)
    add_contact(app, "KAZ", "mfa@kaz.example", ["en"])
    add_contact(app, "CHN", "mfa@chn.example", ["en"])
    with app.app_context():
        dispatching.start(db.session.get(NoteVerbale, note_id), None, None)
    wait_for(lambda: mailbox.count >= 2, what="both addresses")
    wait_for(lambda: finished_now(app), what="the dispatch finished")
    assert not finished_now(app), "announced once"
    wait_for(lambda: len(received(receiver)) >= 2, timeout=60, what="two events")
    types = sorted(p["type"] for p in received(receiver))
    assert types == ["document.dispatched", "document.issued"]
    with app.app_context():
        jobs = db.select(db.func.count()).select_from(Job).filter_by(kind="webhooks.event")
        assert db.session.scalar(jobs) == 2, "no event for the draft's cancelled panel"
