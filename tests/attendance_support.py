"""Building registrations and attendance for the attendance tests."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from registration.database import db
from registration.directory.services import member_by_code
from registration.jobs import services as jobs
from registration.signed_tokens import badge_payload
from registration.signup import affiliation
from registration.signup.models import (
    AttendanceMode,
    Registration,
    RegistrationPanel,
    RegistrationStatus,
)


def add_registration(
    app: Flask,
    conference_id: int,
    name: str,
    *,
    member: str = "KAZ",
    email: str | None = None,
    mode: AttendanceMode = AttendanceMode.IN_PERSON,
    status: RegistrationStatus = RegistrationStatus.APPROVED,
    panels: tuple[int, ...] = (),
    institution: str = "Institute of Strategic Studies",
) -> int:
    """A registration for the conference, its institution linked to the known one it names
    as the form links it; returns its id."""
    with app.app_context():
        registration = Registration(
            conference_id=conference_id,
            member_id=member_by_code(member).id,
            email=email or name.lower().replace(" ", ".") + "@example.org",
            name=name,
            mode=mode,
            status=status,
            consent_to_list=True,
            **affiliation.columns(institution, "en"),
        )
        registration.panel_links = [RegistrationPanel(panel_id=p) for p in panels]
        db.session.add(registration)
        db.session.commit()
        return registration.id


def payload_of(app: Flask, registration_id: int) -> str:
    """The QR payload printed on this registration's badge."""
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        return badge_payload(registration.id, registration.conference_id)


def built_badges(app: Flask, client: FlaskClient, slug: str, **form: str) -> bytes:
    """Ask for the badges PDF as the badges page does, run its job, download the file."""
    return built_document(app, client, f"/manage/conferences/{slug}/badges.pdf", **form)


def built_document(app: Flask, client: FlaskClient, path: str, **form: str) -> bytes:
    """POST to a document's address (a PDF built by a worker), run the job, download it."""
    asked = client.post(path, data=form)
    assert asked.status_code == 302, asked.text
    job_id = asked.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    with app.app_context():
        assert jobs.run(job_id) == 1
    response = client.get(f"/manage/mail/batches/{job_id}/download")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    return response.data
