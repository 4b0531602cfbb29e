"""Composing mail without the email package's parsers and generator gives the same bytes as
the package itself, for every kind of message the service sends."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP

import pytest
from flask import Flask

from registration.mail.compose import Attachment, CalendarPart, Mail, compose, message_bytes

LONG_LINE = "Participants join the panel through the personal link sent to them. " * 3
MAILS = {
    "short ASCII": Mail(to="dana@example.org", subject="Confirm your registration", text="Hi\n"),
    "long ASCII lines": Mail(to="dana@example.org", subject="Agenda", text=f"{LONG_LINE}\nBye\n"),
    "long subject": Mail(
        to="dana@example.org",
        subject="Your registration for the Ninth Meeting of the CICA Think Tank Forum is approved",
        text="Welcome.\n",
    ),
    "Russian text": Mail(to="dana@example.org", subject="Agenda", text="Добро пожаловать.\n"),
    "Russian subject": Mail(to="dana@example.org", subject="Повестка дня", text="Hi\n"),
    "named recipient": Mail(to="Dana Ospanova <dana@example.org>", subject="Hi", text="Hi\n"),
    "attachment": Mail(
        to="dana@example.org",
        subject="Your badge",
        text="Attached.\n",
        attachments=[Attachment("badge.pdf", b"%PDF-1.4", "application", "pdf")],
    ),
    "calendar": Mail(
        to="dana@example.org",
        subject="Invitation",
        text="See the invitation.\n",
        calendar=CalendarPart("REQUEST", b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"),
    ),
}


def _written(message: EmailMessage, data: bytes) -> bytes:
    """The bytes with the multipart boundary (random) replaced by a fixed one."""
    boundary = message.get_boundary()
    return data.replace(boundary.encode(), b"BOUNDARY") if boundary else data


def _by_the_package(mail: Mail, composed: EmailMessage, sender: str) -> bytes:
    """The same message built with nothing but the email package's own API."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = composed["Date"]
    message["Message-ID"] = composed["Message-ID"]
    message.set_content(mail.text)
    for attachment in mail.attachments:
        message.add_attachment(
            attachment.content,
            maintype=attachment.maintype,
            subtype=attachment.subtype,
            filename=attachment.filename,
        )
    return _written(message, message.as_bytes(policy=SMTP))


@pytest.mark.parametrize("kind", [k for k in MAILS if k != "calendar"])
def test_composed_bytes_are_the_packages_bytes(app: Flask, kind: str) -> None:
    mail = MAILS[kind]
    with app.app_context():
        composed = compose(mail)
        expected = _by_the_package(mail, composed, app.config["MAIL_DEFAULT_SENDER"])
        assert _written(composed, message_bytes(composed)) == expected
    assert b"\n" not in expected.replace(b"\r\n", b""), "every line ends with CRLF"


def test_every_message_is_written_as_the_generator_writes_it(app: Flask) -> None:
    with app.app_context():
        for mail in MAILS.values():
            composed = compose(mail)
            assert message_bytes(composed) == composed.as_bytes(policy=SMTP)
