"""A participant who erases their own data: mail to them not sent yet is cancelled with it,
in the same transaction, and the local mail catcher's copies of their mail are deleted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from registration.audit.models import AuditEntry
from registration.conferences.models import Conference
from registration.database import db
from registration.mail.erasure import CANCELLED
from registration.mail.models import MailStatus, OutgoingMail
from registration.mail.services import deliver_many
from registration.retention import services as retention
from registration.signup.models import Registration
from tests.signup_support import form_data, link_in, mails, member_id, open_registration

AIGERIM = "aigerim@kisi.example"


def caught(folder: Path, name: str, to: str) -> Path:
    """A message as the local catcher stores it."""
    path = folder / name
    path.write_bytes(
        f"From: secretariat@cica.example\r\nTo: Someone <{to}>\r\n"
        "Subject: Your registration\r\n\r\nDear participant\r\n".encode()
    )
    return path


def test_mail_not_sent_yet_is_cancelled_and_the_mailbox_copies_go(
    app: Flask, client: FlaskClient, members: None, make_conference: Callable[..., int]
) -> None:
    conference_id = make_conference(slug="ttf9")
    open_registration(app, conference_id)
    client.post("/conferences/ttf9/register", data=form_data(member_id(app, "KAZ")))
    client.post(
        "/conferences/ttf9/register",
        data=form_data(member_id(app, "CHN"), name="Li Wei", email="li.wei@example.org"),
    )
    manage = link_in(mails(app, to=AIGERIM)[0])
    folder = Path(app.config["MAILBOX_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    hers = caught(folder, "1-aigerim.eml", AIGERIM.upper())
    his = caught(folder, "2-li.eml", "li.wei@example.org")
    try:
        page = client.get(manage, follow_redirects=True)
        done = client.post(
            page.request.path + "/erase", data={"erase-confirm": "y"}, follow_redirects=True
        )
        assert "Your personal data is erased" in done.text

        with app.app_context():
            rows = db.session.scalars(db.select(OutgoingMail).order_by(OutgoingMail.id)).all()
            theirs = [row for row in rows if row.recipient != "li.wei@example.org"]
            # Her confirmation, and the withdrawal note queued by the erasure itself.
            assert len(theirs) >= 2
            for row in theirs:
                assert (row.status, row.last_error) == (MailStatus.SKIPPED, CANCELLED)
                assert (row.recipient, row.message, row.intent) == (
                    "erased@erased.invalid",
                    b"",
                    None,
                )
            others = [row for row in rows if row.recipient == "li.wei@example.org"]
            assert [row.status for row in others] == [MailStatus.QUEUED]
            # A worker that comes for them afterwards finds nothing to send.
            assert deliver_many([row.id for row in theirs]) == {}
            entry = db.session.scalars(
                db.select(AuditEntry).filter_by(action="registration.erased")
            ).one()
            assert f"unsent mails cancelled: {len(theirs)}" in entry.note_words()
        assert not hers.exists()
        assert his.exists()
    finally:
        his.unlink(missing_ok=True)
        hers.unlink(missing_ok=True)


def test_the_retention_run_deletes_the_mailbox_copies_too(
    app: Flask, client: FlaskClient, members: None, make_conference: Callable[..., int]
) -> None:
    conference_id = make_conference(slug="ttf9")
    open_registration(app, conference_id)
    client.post("/conferences/ttf9/register", data=form_data(member_id(app, "KAZ")))
    folder = Path(app.config["MAILBOX_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    hers = caught(folder, "3-aigerim.eml", AIGERIM)
    someone = caught(folder, "4-someone.eml", "someone@example.org")
    try:
        with app.app_context():
            conference = db.session.get(Conference, conference_id)
            conference.erase_personal_data_months = 1
            conference.ends_at = conference.starts_at.replace(year=2020)
            conference.starts_at = conference.ends_at
            db.session.commit()
            done = retention.erase_conference(conference_id)
            assert done is not None
            assert done.mailbox_files == 1
            assert db.session.scalars(db.select(Registration.email)).one().endswith(".invalid")
        assert not hers.exists()
        assert someone.exists()
    finally:
        hers.unlink(missing_ok=True)
        someone.unlink(missing_ok=True)
