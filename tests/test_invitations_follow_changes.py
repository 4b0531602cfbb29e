"""Calendar invitations follow what organisers and participants do, without anyone resending.

Approving queues a REQUEST per panel; moving a panel queues an update with the same UID and a
higher SEQUENCE; leaving a panel, withdrawing, cancelling a panel or the conference queue CANCEL.
"""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage

import pytest
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar

from registration.conferences import panels as panel_services
from registration.conferences import services as conferences
from registration.conferences.models import Conference, Panel
from registration.database import db
from registration.jobs import services as jobs
from registration.jobs.models import Job, JobState
from registration.signup import services as signup
from registration.signup.models import AttendanceMode, Registration
from tests.conftest import at
from tests.signup_support import mails, member_id, open_registration

EMAIL = "aigerim@kisi.example"


def calendar_of(message: EmailMessage) -> tuple[str, dict[str, str]]:
    """(METHOD, {UID: "SEQUENCE STATUS DTSTART"}) of a calendar mail."""
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    assert parts[0].get_param("method") is not None
    calendar = Calendar.from_ical(parts[0].get_content())
    events = {
        str(event["UID"]): f"{event['SEQUENCE']} {event.get('STATUS')} "
        f"{event.decoded('DTSTART').isoformat()}"
        for event in calendar.walk("VEVENT")
    }
    assert str(calendar["METHOD"]) == parts[0].get_param("method")
    return str(calendar["METHOD"]), events


def calendar_mails(app: Flask) -> list[tuple[str, dict[str, str]]]:
    return [
        calendar_of(m)
        for m in mails(app, to=EMAIL)
        if any(p.get_content_type() == "text/calendar" for p in m.walk())
    ]


@pytest.fixture
def meeting(
    app: Flask, members: None, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> tuple[int, int, int]:
    conference_id = make_conference(slug="ttf9")
    first = make_panel(conference_id, title="Security challenges")
    second = make_panel(
        conference_id,
        title="Digital era",
        starts_at=at("2030-12-28 05:00"),
        ends_at=at("2030-12-28 07:00"),
    )
    open_registration(app, conference_id)
    return conference_id, first, second


def register(app: Flask, conference_id: int, panel_ids: list[int]) -> int:
    with app.app_context():
        registration = signup.register(
            conference_id,
            signup.Applicant(
                name="Aigerim Nurlanovna",
                email=EMAIL,
                member_id=member_id(app, "KAZ"),
                mode=AttendanceMode.IN_PERSON,
                panel_ids=panel_ids,
            ),
        )
        return registration.id


def act(app: Flask, work: Callable[[], object]) -> None:
    """Do something as its service does, then run the fan-out jobs it wrote as a worker."""
    with app.app_context():
        work()
        queued = db.select(Job.id).where(Job.state == JobState.QUEUED)
        for job_id in db.session.scalars(queued).all():
            jobs.run(job_id)
        db.session.remove()


def approve(app: Flask, registration_id: int) -> None:
    act(app, lambda: signup.decide(db.session.get(Registration, registration_id), approve=True))


def test_approval_sends_one_request_per_panel_and_pending_sends_none(
    app: Flask, meeting: tuple[int, int, int]
) -> None:
    conference_id, first, second = meeting
    registration_id = register(app, conference_id, [first, second])
    assert calendar_mails(app) == []
    approve(app, registration_id)
    sent = calendar_mails(app)
    assert [method for method, _ in sent] == ["REQUEST", "REQUEST"]
    uids = {uid for _, events in sent for uid in events}
    assert len(uids) == 2


def test_moving_a_panel_sends_an_update_with_the_same_uid_and_a_higher_sequence(
    app: Flask, meeting: tuple[int, int, int]
) -> None:
    conference_id, first, _ = meeting
    approve(app, register(app, conference_id, [first]))
    [(_, invitation)] = calendar_mails(app)

    def move() -> None:
        panel = db.session.get(Panel, first)
        data = panel_services.PanelData(
            title=panel.title,
            starts_at=at("2030-12-28 03:00"),
            ends_at=at("2030-12-28 05:00"),
            room=panel.room,
        )
        panel_services.update_panel(panel, data)

    act(app, move)
    method, update = calendar_of(mails(app, to=EMAIL)[-1])
    assert method == "REQUEST"
    [(uid, before)] = invitation.items()
    assert list(update) == [uid]
    assert int(update[uid].split()[0]) > int(before.split()[0])
    assert update[uid].endswith("2030-12-28T11:00:00+08:00")


def test_leaving_a_panel_and_withdrawing_send_cancellations(
    app: Flask, meeting: tuple[int, int, int]
) -> None:
    conference_id, first, second = meeting
    registration_id = register(app, conference_id, [first, second])
    approve(app, registration_id)
    [(_, one), (_, two)] = calendar_mails(app)

    act(
        app,
        lambda: signup.change(
            db.session.get(Registration, registration_id), AttendanceMode.IN_PERSON, [first]
        ),
    )
    method, left = calendar_of(mails(app, to=EMAIL)[-1])
    assert method == "CANCEL"
    assert list(left) == list(two)

    act(app, lambda: signup.withdraw(db.session.get(Registration, registration_id)))
    method, withdrawn = calendar_of(mails(app, to=EMAIL)[-1])
    assert method == "CANCEL"
    assert list(withdrawn) == list(one)
    assert [m for m, _ in calendar_mails(app)].count("CANCEL") == 2


def test_cancelling_the_conference_cancels_every_panel_for_its_attendees(
    app: Flask, meeting: tuple[int, int, int]
) -> None:
    conference_id, first, second = meeting
    approve(app, register(app, conference_id, [first, second]))
    act(app, lambda: conferences.cancel_conference(db.session.get(Conference, conference_id)))
    cancellations = [events for method, events in calendar_mails(app) if method == "CANCEL"]
    assert len(cancellations) == 2
    assert all("CANCELLED" in state for events in cancellations for state in events.values())


def test_cancelling_a_panel_tells_its_attendees_only(
    app: Flask, meeting: tuple[int, int, int]
) -> None:
    conference_id, first, second = meeting
    approve(app, register(app, conference_id, [first]))
    act(app, lambda: panel_services.cancel_panel(db.session.get(Panel, second)))
    assert [m for m, _ in calendar_mails(app)] == ["REQUEST"]
    act(app, lambda: panel_services.cancel_panel(db.session.get(Panel, first)))
    assert [m for m, _ in calendar_mails(app)] == ["REQUEST", "CANCEL"]


def test_choosing_a_panel_again_after_leaving_it_sends_a_new_invitation(
    app: Flask, meeting: tuple[int, int, int]
) -> None:
    conference_id, first, second = meeting
    registration_id = register(app, conference_id, [first, second])
    approve(app, registration_id)

    def choose(panels: list[int]) -> None:
        act(
            app,
            lambda: signup.change(
                db.session.get(Registration, registration_id), AttendanceMode.IN_PERSON, panels
            ),
        )

    choose([first])
    choose([first, second])
    sent = calendar_mails(app)
    assert [method for method, _ in sent] == ["REQUEST", "REQUEST", "CANCEL", "REQUEST"]
    second_panel = [events for _, events in sent[1:]]
    assert len({uid for events in second_panel for uid in events}) == 1
    sequences = [int(state.split()[0]) for events in second_panel for state in events.values()]
    assert sequences == sorted(set(sequences)), "each message must outrank the one before"
    assert sent[-1][1][next(iter(sent[-1][1]))].split()[1] == "CONFIRMED"


def test_switching_to_online_sends_the_join_link_and_back_sends_the_room(
    app: Flask, client: FlaskClient, meeting: tuple[int, int, int]
) -> None:
    conference_id, first, _ = meeting
    with app.app_context():
        db.session.get(Panel, first).join_url = "https://meet.example.org/ttf9-panel-1"
        db.session.commit()
    registration_id = register(app, conference_id, [first])
    approve(app, registration_id)

    def switch(mode: AttendanceMode) -> None:
        act(
            app,
            lambda: signup.change(db.session.get(Registration, registration_id), mode, [first]),
        )

    switch(AttendanceMode.ONLINE)
    switch(AttendanceMode.ONLINE)
    switch(AttendanceMode.IN_PERSON)
    messages = [
        m
        for m in mails(app, to=EMAIL)
        if any(p.get_content_type() == "text/calendar" for p in m.walk())
    ]
    assert [calendar_of(m)[0] for m in messages] == ["REQUEST", "REQUEST", "REQUEST"]
    locations = []
    sequences = []
    for message in messages:
        [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
        [event] = Calendar.from_ical(part.get_content()).walk("VEVENT")
        locations.append(str(event["LOCATION"]))
        sequences.append(int(event["SEQUENCE"]))
    assert locations[1].startswith("http://localhost/j/"), "the personal link, which records"
    joined = client.get(locations[1].removeprefix("http://localhost"))
    assert joined.headers["Location"] == "https://meet.example.org/ttf9-panel-1"
    assert "Hall A" in locations[0]
    assert "Hall A" in locations[2]
    assert sequences == [0, 1, 2]
