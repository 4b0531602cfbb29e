"""Personal data kept only as long as needed: erased N months after a conference ends (off by
default), at once on a participant's request; the figures stay as they were."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration import files
from registration.attendance.figures import conference_figures, panel_overview
from registration.attendance.models import AttendanceEvent, AttendanceSource
from registration.attendance.recording import Scope, record_fact
from registration.audit.models import ERASED, AuditEntry
from registration.conferences.models import Conference, Panel
from registration.database import db, utcnow
from registration.invitations.models import Invitation
from registration.jobs import services as jobs
from registration.jobs.models import Job
from registration.mail.models import MailStatus, OutgoingMail
from registration.retention import erasure
from registration.signup.models import AttendanceMode, Registration, RegistrationStatus
from tests.attendance_support import add_registration
from tests.conftest import at
from tests.signup_support import form_data, link_in, mails, member_id, open_registration
from workers.retention import erase_personal_data

PEOPLE = (
    ("Aigerim Nurlanovna", "KAZ", AttendanceMode.IN_PERSON, RegistrationStatus.APPROVED),
    ("Li Wei", "CHN", AttendanceMode.ONLINE, RegistrationStatus.APPROVED),
    ("Ravi Kumar", "IND", AttendanceMode.IN_PERSON, RegistrationStatus.WAITLISTED),
    ("Olga Ivanova", "RUS", AttendanceMode.IN_PERSON, RegistrationStatus.WITHDRAWN),
)


@pytest.fixture
def past_forum(
    app: Flask,
    members: None,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
) -> int:
    """A forum that ended in 2021: four people, attendance, an invitation, a sent mail."""
    conference_id = make_conference(
        slug="ttf-2021",
        title="CICA Think Tank Forum 2021",
        starts_at=at("2021-12-28 01:00"),
        ends_at=at("2021-12-29 10:00"),
    )
    panel_id = make_panel(conference_id, title="Energy security")
    ids = [
        add_registration(app, conference_id, name, member=code, mode=mode, status=status,
                         panels=(panel_id,))
        for name, code, mode, status in PEOPLE
    ]  # fmt: skip
    with app.app_context():
        panel = db.session.get(Panel, panel_id)
        for registration_id, source, detail, key in (
            (ids[0], AttendanceSource.MANUAL, "", "scan:retention-1"),
            (ids[1], AttendanceSource.ZOOM_REPORT, "Li Wei <li.wei@example.org>", "zoom:1:abc"),
        ):
            record_fact(
                db.session.get(Registration, registration_id),
                Scope(panel=panel),
                source,
                occurred_at=at("2021-12-28 02:00"),
                detail=detail,
                dedup_key=key,
            )
        registration = db.session.get(Registration, ids[0])
        registration.status_reason = "Approved by the KAZ focal point"
        db.session.add(
            Invitation(conference_id=conference_id, name="Li Wei", email="li.wei@example.org")
        )
        db.session.add(
            OutgoingMail(
                idempotency_key=f"signup-approved:{ids[1]}:1",
                recipient="li.wei@example.org",
                subject="Your registration is approved",
                message_id="<1@cica.example>",
                message=b"Dear Li Wei, ...",
                status=MailStatus.SENT,
            )
        )
        db.session.commit()
    return conference_id


def figures(app: Flask, conference_id: int) -> tuple[object, ...]:
    with app.app_context():
        conference = db.session.get(Conference, conference_id)
        result = conference_figures(conference)
        statuses = db.session.execute(
            db.select(Registration.status, Registration.mode, db.func.count())
            .filter_by(conference_id=conference_id)
            .group_by(Registration.status, Registration.mode)
            .order_by(Registration.status, Registration.mode)
        ).all()
        panels = [
            (row.panel.id, row.registered, row.in_person, row.online)
            for row in panel_overview(conference)
        ]
        return result.as_json(), result.summary, panels, statuses


def set_months(app: Flask, conference_id: int, months: int | None) -> None:
    with app.app_context():
        db.session.get(Conference, conference_id).erase_personal_data_months = months
        db.session.commit()


@pytest.fixture
def default_months(app: Flask) -> Iterator[Callable[[int], None]]:
    saved = app.config["PERSONAL_DATA_RETENTION_MONTHS"]

    def use(months: int) -> None:
        app.config["PERSONAL_DATA_RETENTION_MONTHS"] = months

    yield use
    app.config["PERSONAL_DATA_RETENTION_MONTHS"] = saved


def names(app: Flask) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(db.select(Registration.name)))


def test_off_by_default_nothing_goes(app: Flask, past_forum: int) -> None:
    assert app.config["PERSONAL_DATA_RETENTION_MONTHS"] == 0
    assert erase_personal_data() == 0
    assert names(app) == sorted(name for name, *_ in PEOPLE)
    result = app.test_cli_runner().invoke(args=["personal-data", "erase", "--dry-run"])
    assert "No conference is due for erasure." in result.output


def test_the_beat_task_erases_a_due_conference_and_keeps_every_figure(
    app: Flask, past_forum: int
) -> None:
    set_months(app, past_forum, 6)
    before = figures(app, past_forum)
    assert "2 experts from 2 member states attended" in before[1]

    dry = app.test_cli_runner().invoke(args=["personal-data", "erase", "--dry-run"])
    assert "ttf-2021: ended 2021-12-29, due 2022-06-29 (6 months)" in dry.output
    assert "4 registrations, 1 invitations, 1 attendance facts, 1 mails" in dry.output
    assert "Dry run: nothing was changed." in dry.output
    assert names(app) == sorted(name for name, *_ in PEOPLE)

    assert erase_personal_data() == 1
    assert names(app) == [ERASED] * 4
    assert figures(app, past_forum) == before
    with app.app_context():
        for registration in db.session.scalars(db.select(Registration)):
            assert registration.email.endswith("@erased.invalid")
            assert (registration.position, registration.institution) == ("", "")
            assert registration.status_reason == ""
        invitation = db.session.scalars(db.select(Invitation)).one()
        assert (invitation.name, invitation.email) == (
            ERASED,
            f"erased-i-{invitation.id}@erased.invalid",
        )
        assert [e.detail for e in db.session.scalars(db.select(AttendanceEvent))] == ["", ""]
        mail = db.session.scalars(db.select(OutgoingMail)).one()
        assert (mail.recipient, mail.message) == ("erased@erased.invalid", b"")
        text = " ".join(
            f"{e.subject} {e.note} {e.note_values} {e.changes}"
            for e in db.session.scalars(db.select(AuditEntry))
        )
        for name, *_ in PEOPLE:
            assert name not in text
        assert "Approved by the KAZ focal point" not in text
        conference = db.session.get(Conference, past_forum)
        assert conference.personal_data_erased_at is not None
    done = [e for e in entries_of(app) if e.action == "retention.erased"]
    assert len(done) == 1
    assert done[0].actor_kind == "system"
    assert erase_personal_data() == 0  # once only


def entries_of(app: Flask) -> list[AuditEntry]:
    with app.app_context():
        found = list(db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id)))
        db.session.expunge_all()
        return found


def test_documents_built_for_the_conference_go_with_its_personal_data(
    app: Flask, past_forum: int
) -> None:
    set_months(app, past_forum, 6)
    with app.app_context():
        key = files.store(b"%PDF-1.4 badges of named people", ".pdf")
        job = jobs.start("attendance.badges", "Badges", conference_id=past_forum, filename="b.pdf")
        job.subject = {**job.subject, "file": key}
        db.session.commit()
        job_id = job.id
    assert erase_personal_data() == 1
    with app.app_context():
        assert "file" not in db.session.get(Job, job_id).subject
        with pytest.raises(FileNotFoundError):
            files.read(key)
        note = db.session.scalars(db.select(AuditEntry).filter_by(action="retention.erased"))
        assert "built documents: 1" in note.one().note_words()


def test_the_global_default_applies_unless_the_conference_says_otherwise(
    app: Flask, past_forum: int, make_conference: Callable[..., int], default_months: Callable
) -> None:
    kept = make_conference(
        slug="kept", starts_at=at("2020-01-01 00:00"), ends_at=at("2020-01-02 00:00")
    )
    add_registration(app, kept, "Kept Person")
    set_months(app, kept, 0)
    default_months(12)
    app.test_cli_runner().invoke(args=["personal-data", "erase"])
    assert names(app) == sorted([ERASED] * 4 + ["Kept Person"])


def test_not_before_the_period_is_over(
    app: Flask, members: None, make_conference: Callable[..., int], default_months: Callable
) -> None:
    recent = make_conference(
        slug="recent",
        starts_at=utcnow() - timedelta(days=40),
        ends_at=utcnow() - timedelta(days=30),
    )
    add_registration(app, recent, "Recent Person")
    default_months(2)
    assert erase_personal_data() == 0
    assert names(app) == ["Recent Person"]


def test_the_secretariat_sets_the_period_on_the_personal_data_page(
    app: Flask, past_forum: int, organizer_client: FlaskClient
) -> None:
    page = organizer_client.get("/manage/conferences/ttf-2021/personal-data").text
    assert "Kept: no retention period applies." in page
    assert "4 registrations" in page
    bad = organizer_client.post("/manage/conferences/ttf-2021/personal-data", data={"months": "-3"})
    assert "Enter 0 to 600 months." in bad.text
    organizer_client.post("/manage/conferences/ttf-2021/personal-data", data={"months": "6"})
    page = organizer_client.get("/manage/conferences/ttf-2021/personal-data").text
    assert "Due on 29 June 2022" in page
    changed = [e for e in entries_of(app) if e.action == "conference.edited"]
    assert changed[-1].changes == [
        {"field": "Erase personal data (months after the end)", "before": None, "after": "6"}
    ]


def test_the_counts_are_those_the_erasure_would_change(
    app: Flask, past_forum: int, make_conference: Callable[..., int]
) -> None:
    """The page counts in SQL the mails the erasure matches in Python: keys naming the
    person's registration or invitation, to their address, sent or given up."""
    other = make_conference(slug="other")
    elsewhere = add_registration(app, other, "Li Wei", email="li.wei@example.org")
    with app.app_context():
        li = db.session.scalars(db.select(Registration).filter_by(conference_id=past_forum))
        li_id = next(r.id for r in li if r.name == "Li Wei")
        invitation = db.session.scalars(db.select(Invitation)).one()
        for n, (key, status) in enumerate(
            (
                (f"signup-promoted:{li_id}", MailStatus.FAILED),  # counted
                (f"invitation:{invitation.id}:2", MailStatus.SENT),  # counted
                (f"invitation:{li_id}", MailStatus.SENT),  # an invitation of another id
                (f"signup-approved:{elsewhere}:1", MailStatus.SENT),  # another conference
                (f"signup-approved:{li_id}7:1", MailStatus.SENT),  # another id's prefix
                (f"signup-withdrawn:{li_id}", MailStatus.QUEUED),  # not sent yet
            )
        ):
            db.session.add(
                OutgoingMail(
                    idempotency_key=key,
                    recipient="li.wei@example.org",
                    subject="A message",
                    message_id=f"<count-{n}@cica.example>",
                    status=status,
                )
            )
        db.session.commit()
        held = erasure.held(past_forum)
        assert held.mails == len(erasure.conference_targets(past_forum).mail_ids()) == 3
        assert (held.registrations, held.invitations, held.attendance_facts) == (4, 1, 1)
        assert held.audit_entries > 0


def test_a_participant_withdraws_and_erases_their_own_data(
    app: Flask, client: FlaskClient, members: None, make_conference: Callable[..., int]
) -> None:
    conference_id = make_conference(slug="ttf9")
    open_registration(app, conference_id)
    client.post("/conferences/ttf9/register", data=form_data(member_id(app, "KAZ")))
    manage = link_in(mails(app, to="aigerim@kisi.example")[0])
    page = client.get(manage, follow_redirects=True)
    assert "Erase my personal data" in page.text
    with app.app_context():
        db.session.execute(db.update(OutgoingMail).values(status=MailStatus.SENT))
        db.session.commit()
    erase = page.request.path + "/erase"

    refused = client.post(erase, data={})
    assert "Tick the box to confirm the erasure." in refused.text
    assert names(app) == ["Aigerim Nurlanovna"]

    done = client.post(erase, data={"erase-confirm": "y"}, follow_redirects=True)
    assert "Your personal data is erased" in done.text
    with app.app_context():
        registration = db.session.scalars(db.select(Registration)).one()
        assert registration.name == ERASED
        assert registration.status is RegistrationStatus.WITHDRAWN
        sent = db.session.scalars(db.select(OutgoingMail).filter_by(status=MailStatus.SENT)).one()
        assert sent.recipient == "erased@erased.invalid"
    assert "Aigerim" not in str([(e.subject, e.changes) for e in entries_of(app)])
    assert entries_of(app)[-1].action == "registration.erased"
    assert (
        "does not match a registration" in client.get(page.request.path, follow_redirects=True).text
    )
