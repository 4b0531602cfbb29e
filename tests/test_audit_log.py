"""The audit log: who changed what and when, before -> after, append-only, per conference
and per registration, filterable and exported as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from registration.audit.models import AuditEntry
from registration.conferences.models import Conference, ConferenceStatus
from registration.database import db
from registration.invitations.models import Invitation
from registration.mail.models import MailStatus, OutgoingMail
from registration.signup import services as signup
from registration.signup.models import Registration
from tests.signup_support import form_data, member_id, open_registration
from tests.test_conference_management import conference_form


def entries(app: Flask, **where: object) -> list[AuditEntry]:
    with app.app_context():
        found = db.session.scalars(
            db.select(AuditEntry).filter_by(**where).order_by(AuditEntry.id)
        ).all()
        db.session.expunge_all()
        return list(found)


@pytest.fixture
def ttf9(
    app: Flask,
    client: FlaskClient,
    members: None,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
) -> int:
    """A published conference, open for registration, with one person registered."""
    conference_id = make_conference(slug="ttf9")
    make_panel(conference_id, title="Energy security")
    open_registration(app, conference_id)
    response = client.post(
        "/conferences/ttf9/register",
        data=form_data(member_id(app, "KAZ"), email="aigerim@kisi.example"),
    )
    assert response.status_code == 302
    return conference_id


def aigerim(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(db.select(Registration.id).filter_by(email="aigerim@kisi.example"))


def test_conference_edit_publish_and_cancel_say_who_what_before_and_after(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    make_conference(slug="ttf-9", status=ConferenceStatus.DRAFT)
    organizer_client.post(
        "/manage/conferences/ttf-9/edit",
        data=conference_form(slug="ttf-9", title="Ninth Meeting (revised)", city="Astana"),
    )
    organizer_client.post("/manage/conferences/ttf-9/publish")
    organizer_client.post("/manage/conferences/ttf-9/cancel")

    logged = [e for e in entries(app) if e.subject_type == "conference"]
    assert [e.action for e in logged] == [
        "conference.created",
        "conference.edited",
        "conference.published",
        "conference.cancelled",
    ]
    edit = logged[1]
    assert (edit.actor, edit.actor_kind) == ("Test Organiser", "organiser")
    assert {"field": "Title", "before": "Ninth Meeting of the CICA Think Tank Forum",
            "after": "Ninth Meeting (revised)"} in edit.changes  # fmt: skip
    assert {"field": "City", "before": "Shanghai", "after": "Astana"} in edit.changes
    assert logged[0].actor_kind == "system"  # made by the test fixture, outside a request

    page = organizer_client.get("/manage/conferences/ttf-9/audit").text
    for words in (
        "Conference published",
        "Conference cancelled",
        "Title: Ninth Meeting of the CICA Think Tank Forum → Ninth Meeting (revised)",
        "Status: Published → Cancelled",
        "Test Organiser",
    ):
        assert words in page


def test_a_decision_and_its_reason_show_on_the_registration_page(
    app: Flask, ttf9: int, organizer_client: FlaskClient
) -> None:
    registration_id = aigerim(app)
    path = f"/manage/conferences/ttf9/registrations/{registration_id}"
    organizer_client.post(path, data={"decision": "reject", "reason": "Registered twice."})

    logged = entries(app, registration_id=registration_id)
    assert [(e.action, e.actor_kind) for e in logged] == [
        ("registration.created", "participant"),
        ("registration.rejected", "organiser"),
    ]
    assert {"field": "Reason", "before": None, "after": "Registered twice.", "personal": True} in (
        logged[1].changes
    )
    page = organizer_client.get(path).text
    assert "History" in page
    assert "Rejected" in page
    assert "Status: Pending → Rejected" in page
    assert "Reason: — → Registered twice." in page


def test_the_entry_commits_and_rolls_back_with_the_change(
    app: Flask, make_conference: Callable[..., int]
) -> None:
    conference_id = make_conference(slug="ttf-9", title="Before")
    with app.app_context():
        conference = db.session.get(Conference, conference_id)
        conference.title = "Rolled back"
        db.session.flush()
        assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == 2  # created, edited
        db.session.rollback()
        assert db.session.get(Conference, conference_id).title == "Before"
        assert db.session.scalar(db.select(db.func.count(AuditEntry.id))) == 1

        db.session.get(Conference, conference_id).title = "Committed"
        db.session.commit()
    edits = entries(app, action="conference.edited")
    assert len(edits) == 1
    assert edits[0].changes == [{"field": "Title", "before": "Before", "after": "Committed"}]


def test_a_failed_decision_leaves_no_entry(app: Flask, ttf9: int) -> None:
    with app.app_context():
        registration = db.session.get(Registration, aigerim(app))
        signup.decide(registration, approve=False, reason="No seat.")
        with pytest.raises(signup.SignupError):
            signup.decide(registration, approve=True)
    assert [e.action for e in entries(app, subject_type="registration")] == [
        "registration.created",
        "registration.rejected",
    ]


@pytest.mark.postgres
def test_entries_cannot_be_changed_or_deleted(
    app: Flask, make_conference: Callable[..., int]
) -> None:
    make_conference(slug="ttf-9")
    for statement in (
        "UPDATE audit_entries SET actor = 'someone else'",
        "DELETE FROM audit_entries",
        "UPDATE audit_entries SET subject = 'x'",
    ):
        with app.app_context(), pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(statement))
    # The retention service may erase personal fields, and only those.
    with app.app_context():
        db.session.execute(text("SET LOCAL registration.audit_erasing = 'on'"))
        db.session.execute(text("UPDATE audit_entries SET subject = '(erased)'"))
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text("UPDATE audit_entries SET action = 'x'"))
        db.session.rollback()
    with app.app_context():
        subjects = [e.subject_words() for e in entries(app)]
    assert subjects == ["Ninth Meeting of the CICA Think Tank Forum"]


def test_filter_by_kind_and_person_and_export_csv(
    app: Flask, ttf9: int, organizer_client: FlaskClient
) -> None:
    organizer_client.post(
        f"/manage/conferences/ttf9/registrations/{aigerim(app)}", data={"decision": "approve"}
    )
    only = organizer_client.get("/manage/conferences/ttf9/audit?group=registration").text
    assert "Approved" in only
    assert "Registration opened" not in only
    by_name = organizer_client.get("/manage/conferences/ttf9/audit?text=aigerim").text
    assert "2 entries" in by_name
    bad = organizer_client.get("/manage/conferences/ttf9/audit?since=not-a-date")
    assert bad.status_code == 200
    assert "Not a valid date value." in bad.text

    response = organizer_client.get("/manage/conferences/ttf9/audit.csv?group=registration")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [row["What"] for row in rows] == ["Approved", "Registered"]
    assert rows[0]["Who"] == "Test Organiser"
    assert rows[0]["Changes"] == "Status: Pending -> Approved"
    assert rows[0]["Time zone"] == "Asia/Shanghai"
    exported = entries(app, action="export.personal_data")
    assert [(e.subject, e.note_words()) for e in exported] == [("Audit log (CSV)", "Entries: 2")]


def test_exports_of_personal_data_are_logged(
    app: Flask, ttf9: int, organizer_client: FlaskClient
) -> None:
    for path in (
        "/manage/conferences/ttf9/registrations.csv",
        "/manage/conferences/ttf9/registrations.xlsx",
        "/manage/conferences/ttf9/attendance/export.csv",
    ):
        assert organizer_client.get(path).status_code == 200, path
    assert organizer_client.post("/manage/conferences/ttf9/badges.pdf").status_code == 302
    logged = entries(app, action="export.personal_data")
    with app.app_context():
        said = [(e.subject_words(), e.actor) for e in logged]
    assert said == [
        ("Registrations (CSV)", "Test Organiser"),
        ("Registrations (XLSX)", "Test Organiser"),
        ("Attendance (CSV)", "Test Organiser"),
        ("Badges (PDF)", "Test Organiser"),
    ]
    assert logged[0].note_words() == "People: 1"


def test_quota_changes_check_in_undo_and_mail_resend_are_logged(
    app: Flask, ttf9: int, organizer_client: FlaskClient
) -> None:
    open_registration(app, ttf9, in_person_capacity=40)
    quota = entries(app, action="registration_settings.quotas_changed")
    assert quota[0].changes == [{"field": "Seats in the room", "before": None, "after": "40"}]

    organizer_client.post(
        f"/manage/conferences/ttf9/registrations/{aigerim(app)}", data={"decision": "approve"}
    )
    with app.app_context():
        conference = db.session.get(Conference, ttf9)
        panel_id = conference.panels[0].id
    scan = {"registration_id": aigerim(app), "client_id": "audit-0001", "panel_id": panel_id}
    api = "/manage/conferences/ttf9/checkin/api"
    assert organizer_client.post(f"{api}/scan", json=scan).status_code == 200
    undo = {"client_id": "audit-0001"}
    assert organizer_client.post(f"{api}/undo", json=undo).status_code == 200
    logged = entries(app, registration_id=aigerim(app))
    assert [(e.action, e.note_words()) for e in logged][-2:] == [
        ("attendance.checked_in", "Energy security (Hall A): Manual check-in"),
        ("attendance.check_in_undone", "Panel: Energy security (Hall A)"),
    ]

    with app.app_context():
        mail = db.session.scalars(db.select(OutgoingMail)).first()
        mail.status = MailStatus.FAILED
        db.session.commit()
        mail_id = mail.id
    organizer_client.post(f"/manage/mail/{mail_id}/resend")
    resent = entries(app, action="mail.resent")
    assert [(e.subject_id, e.actor) for e in resent] == [(mail_id, "Test Organiser")]
    assert "Mail resent" in organizer_client.get("/manage/audit").text


def test_audit_pages_are_for_organisers_only(
    client: FlaskClient, make_organizer: Callable[..., object], login: Callable[[str], None],
    ttf9: int,
) -> None:  # fmt: skip
    for path in (
        "/manage/audit",
        "/manage/conferences/ttf9/audit",
        "/manage/conferences/ttf9/audit.csv",
    ):
        assert client.get(path).status_code == 302
    make_organizer("focal@example.org", organizer=False)
    login("focal@example.org")
    for path in (
        "/manage/audit",
        "/manage/conferences/ttf9/audit",
        "/manage/conferences/ttf9/audit.csv",
    ):
        assert client.get(path).status_code == 403


def test_an_invitee_s_answer_is_logged(
    app: Flask, client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    conference_id = make_conference(slug="ttf9")
    with app.app_context():
        invitation = Invitation(conference_id=conference_id, name="Li Wei", email="li@example.org")
        db.session.add(invitation)
        db.session.commit()
        token = invitation.token
    assert entries(app, subject_type="invitation") == []  # one entry per list sent, not each
    assert "cannot attend" in client.post(f"/invitations/{token}/decline").text
    [answer] = entries(app, subject_type="invitation")
    assert (answer.action, answer.actor_kind, answer.subject) == (
        "invitation.declined",
        "participant",
        "Li Wei",
    )
    assert answer.changes == [{"field": "Status", "before": "Pending", "after": "Declined"}]
