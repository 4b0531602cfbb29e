"""Exports parse: CSV, XLSX, the participants PDF, certificates, badges; certificate mails."""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Callable, Iterator
from email import message_from_bytes
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from pypdf import PdfReader

from registration.attendance import certificates as attendance_certificates
from registration.attendance.checkin import Scan, check_in
from registration.attendance.join_links import record_join
from registration.audit.models import AuditEntry
from registration.conferences.models import Conference
from registration.database import db
from registration.jobs import services as jobs
from registration.mail import services as mail_services
from registration.mail.models import OutgoingMail
from registration.publishing import background
from registration.signup.badges import badge_attachment
from registration.signup.models import AttendanceMode, Registration
from tests.attendance_support import add_registration, built_badges, built_document, payload_of
from tests.conftest import at

SESSION_TIME = at("2030-12-28 02:05")  # during the seeded panels: joins count


@pytest.fixture
def seeded(
    app: Flask, members: None, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> dict[str, int]:
    conference = make_conference(slug="ttf-9")
    panel = make_panel(conference, join_url="https://z.example/1")
    people = {
        "aigerim": add_registration(app, conference, "Aigerim Sadykova", member="KAZ"),
        "li": add_registration(app, conference, "Li Wei", member="CHN", mode=AttendanceMode.ONLINE),
        "absent": add_registration(app, conference, "Absent Delegate", member="IND"),
        "olga": add_registration(app, conference, "Ольга Петрова", member="RUS"),
    }
    with app.app_context():
        conf = db.session.get(Conference, conference)
        for key in ("aigerim", "olga"):
            scan = Scan(f"exp-{key}-1", panel_id=panel, badge=payload_of(app, people[key]))
            check_in(conf, scan, None)
        from registration.signed_tokens import join_token

        record_join(join_token(people["li"], panel), now=SESSION_TIME)
    return people | {"conference": conference, "panel": panel}


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_csv_export(organizer_client: FlaskClient, seeded: dict[str, int]) -> None:
    response = organizer_client.get("/manage/conferences/ttf-9/attendance/export.csv")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    rows = {r["Name"]: r for r in csv.DictReader(io.StringIO(response.text))}
    assert rows["Aigerim Sadykova"]["Attended"] == "yes"
    assert rows["Aigerim Sadykova"]["Mode used"] == "In person"
    assert rows["Aigerim Sadykova"]["Member"] == "Kazakhstan"
    assert rows["Li Wei"]["Mode used"] == "Online"
    assert rows["Absent Delegate"]["Attended"] == "no"
    assert rows["Aigerim Sadykova"]["Sources"] == "QR scan"
    assert rows["Li Wei"]["Sources"] == "Join link"
    assert rows["Absent Delegate"]["Sources"] == ""


def test_exports_keep_spreadsheets_from_running_a_name_as_a_formula(
    app: Flask, organizer_client: FlaskClient, seeded: dict[str, int]
) -> None:
    formula = '=HYPERLINK("http://evil.example","x")'
    add_registration(app, seeded["conference"], formula, member="IND")
    text = organizer_client.get("/manage/conferences/ttf-9/attendance/export.csv").text
    names = [row["Name"] for row in csv.DictReader(io.StringIO(text))]
    assert f"'{formula}" in names
    data = organizer_client.get("/manage/conferences/ttf-9/attendance/export.xlsx").data
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type != "f" for cell in cells)


def test_xlsx_export(organizer_client: FlaskClient, seeded: dict[str, int]) -> None:
    response = organizer_client.get("/manage/conferences/ttf-9/attendance/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    header, *rows = list(sheet.values)
    assert header[:3] == ("Registration", "Name", "E-mail")
    names = {row[1]: row for row in rows}
    assert set(names) == {"Aigerim Sadykova", "Li Wei", "Absent Delegate", "Ольга Петрова"}
    assert names["Li Wei"][header.index("Mode used")] == "Online"


def test_participants_pdf_grouped_by_member_state(
    app: Flask, organizer_client: FlaskClient, seeded: dict[str, int]
) -> None:
    path = "/manage/conferences/ttf-9/attendance/participants.pdf"
    text = pdf_text(built_document(app, organizer_client, path))
    with app.app_context():  # built by the worker, noted in the name of who asked
        noted = db.session.scalars(
            db.select(AuditEntry).filter_by(subject="Participant list (PDF)")
        )
        assert [entry.actor_kind for entry in noted] == ["organiser"]
    assert "List of participants" in text
    assert "Aigerim Sadykova" in text
    assert "Ольга Петрова" in text
    assert "Absent Delegate" not in text
    assert text.index("China (1)") < text.index("Kazakhstan (1)") < text.index("Russian")


def test_participants_page_filters_and_offers_actions(
    organizer_client: FlaskClient, seeded: dict[str, int]
) -> None:
    page = organizer_client.get("/manage/conferences/ttf-9/attendance/participants").text
    assert "4 participants" in page
    assert page.count("E-mail certificate") == 3
    assert "QR scan" in page, "where each attendance fact came from"
    assert "Join link" in page
    page = organizer_client.get("/manage/conferences/ttf-9/attendance/participants?q=absent").text
    assert "1 participant (approved or attended)" in page
    assert "Absent Delegate" in page
    assert "E-mail certificate" not in page
    page = organizer_client.get("/manage/conferences/ttf-9/attendance/participants?member=RUS")
    assert "Ольга Петрова" in page.text


def test_certificate_pdf_and_badges(
    app: Flask, organizer_client: FlaskClient, seeded: dict[str, int]
) -> None:
    certificate = organizer_client.get(
        f"/manage/conferences/ttf-9/registrations/{seeded['li']}/certificate.pdf"
    )
    text = pdf_text(certificate.data)
    assert "Certificate of attendance" in text
    assert "Li Wei" in text
    assert "(online)" in text
    absent = f"/manage/conferences/ttf-9/registrations/{seeded['absent']}/certificate.pdf"
    assert organizer_client.get(absent).status_code == 404

    sheet = organizer_client.get("/manage/conferences/ttf-9/badges")
    assert sheet.text.count('class="badge-card"') == 3
    assert "<svg" in sheet.text
    delegation = organizer_client.get("/manage/conferences/ttf-9/badges?member=KAZ")
    assert delegation.text.count('class="badge-card"') == 1
    badges = pdf_text(built_badges(app, organizer_client, "ttf-9"))
    assert "Aigerim Sadykova" in badges
    assert "Li Wei" not in badges
    single = organizer_client.get(f"/manage/conferences/ttf-9/registrations/{seeded['li']}/badge")
    assert "Li Wei" in single.text
    png = organizer_client.get(f"/manage/conferences/ttf-9/registrations/{seeded['li']}/badge.png")
    assert png.data.startswith(b"\x89PNG")
    with app.app_context():
        attachment = badge_attachment(db.session.get(Registration, seeded["aigerim"]))
    assert attachment.filename == f"badge-ttf-9-{seeded['aigerim']}.png"
    assert (attachment.maintype, attachment.subtype) == ("image", "png")
    assert attachment.content.startswith(b"\x89PNG")


def outbox(app: Flask) -> list[OutgoingMail]:
    with app.app_context():
        return list(db.session.scalars(db.select(OutgoingMail).order_by(OutgoingMail.recipient)))


def certificates(app: Flask, conference_id: int, registration_id: int | None = None,
                 key: str | None = None) -> int:  # fmt: skip
    """An organiser's request as the service records it (one job), then a worker's run."""
    with app.app_context():
        conference = db.session.get(Conference, conference_id)
        job_id = attendance_certificates.start_certificates(conference, registration_id, key)
        return jobs.run(job_id)


def test_certificate_jobs_queue_one_mail_per_attendee(app: Flask, seeded: dict[str, int]) -> None:
    conference = seeded["conference"]
    assert certificates(app, conference, seeded["absent"], "click-1") == 0
    assert certificates(app, conference, seeded["li"], "click-1") == 1
    assert certificates(app, conference, seeded["li"], "click-1") == 0, "a retry sends nothing"
    assert certificates(app, conference) == 2, "Li Wei has had one"
    assert certificates(app, conference) == 0
    assert certificates(app, conference, seeded["li"], "click-2") == 1, "an organiser asks again"
    assert outbox(app)[1].recipient == outbox(app)[2].recipient == "li.wei@example.org"
    mails = outbox(app)
    assert [m.recipient for m in mails] == [
        "aigerim.sadykova@example.org",
        "li.wei@example.org",
        "li.wei@example.org",
        "ольга.петрова@example.org",
    ]
    assert {m.composer for m in mails} == {"attendance.certificate"}, "intents: no PDF yet"
    assert {m.message for m in mails} == {None}
    with app.app_context():
        message = message_from_bytes(mail_services.message_of(mails[1]) or b"")
    [pdf] = [part for part in message.walk() if part.get_content_type() == "application/pdf"]
    assert "Li Wei" in pdf_text(pdf.get_payload(decode=True))
    # The certificate's words in the message too: the PDF is not tagged.
    [plain] = [part for part in message.walk() if part.get_content_type() == "text/plain"]
    body = plain.get_payload(decode=True).decode(plain.get_content_charset() or "utf-8")
    body = body.replace("\r\n", "\n")
    assert "This is to certify that\nLi Wei\n" in body
    assert "attended the\n" in body


@pytest.fixture
def private_queue(app: Flask) -> Iterator[str]:
    """Tasks published by the test go to a queue of its own, deleted afterwards."""
    celery = app.extensions["celery"]
    options = celery.conf.broker_transport_options or {}
    if "data_folder_in" in options:  # the filesystem broker: its folders must exist
        options.setdefault("control_folder", str(Path(options["data_folder_in"]) / "control"))
        for key in ("data_folder_in", "processed_folder", "control_folder"):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
    saved = celery.conf.task_default_queue
    queue = f"attend-test-{uuid.uuid4().hex[:8]}"
    celery.conf.task_default_queue = queue
    yield queue
    assert background.drain(), "requests hand their tasks to the background publisher"
    celery.conf.task_default_queue = saved
    with celery.connection_for_write() as connection:
        channel = connection.default_channel
        assert channel.queue_purge(queue) == 2
        channel.exchange_declare(queue, "direct", durable=True)  # known here, so that
        channel.queue_bind(queue, queue, queue)  # deleting the queue removes its binding too
        channel.queue_delete(queue)
        channel.exchange_delete(queue)


def test_certificate_buttons_hand_the_work_to_the_queue(
    organizer_client: FlaskClient, seeded: dict[str, int], private_queue: str
) -> None:
    response = organizer_client.post(
        "/manage/conferences/ttf-9/attendance/certificates", follow_redirects=True
    )
    assert "Certificates are being sent to every attendee (once each)." in response.text
    response = organizer_client.post(
        f"/manage/conferences/ttf-9/registrations/{seeded['li']}/certificate",
        follow_redirects=True,
    )
    assert "The certificate of Li Wei will be sent by e-mail." in response.text
    assert "E-mail certificate" in response.text
    key = re.search(r'name="request_key" value="([0-9a-f]{32})"', response.text)
    assert key, "each page names its requests, so a double click queues one mail"
