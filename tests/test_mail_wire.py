"""The workers' message writer (`mail.wire`) writes what the email package writes: every
shape it accepts, compared byte for byte with `compose` + `message_bytes`, the same
boundaries set on both."""

from __future__ import annotations

import email
import itertools
from email import policy

import pytest

from registration.mail.compose import Attachment, CalendarPart, Mail, compose, message_bytes
from registration.mail.wire import boundaries_from, write

SENDERS = ["CICA Secretariat <secretariat@cica.example>", "Секретариат СВМДА <s@cica.example>"]
ADDRESSES = [
    "dana@example.org",
    "Dana.O'Neil+cica@mail.example.kz",
    "a" * 70 + "@example.org",  # longer than a header line
    '"odd..local"@example.org',
    "Дана <dana@example.org>",
    "UPPER@EXAMPLE.ORG",
]
SUBJECTS = [
    "Panel moved",
    "Invitation: Connectivity and energy corridors — Saturday 01 June 2030",
    "Приглашение: Транспортные и энергетические коридоры — суббота, 1 июня 2030 г.",
    "Updated: " + "a very long panel title " * 6,
]
TEXTS = [
    "The panel moved.\n",
    "You are invited to Connectivity and energy corridors. Add it to your calendar with the "
    "attached invitation.\n\nDear Dana O'Neil, this message was sent to dana@example.org.\n",
    "Вы приглашены.\n\nУважаемый Иван Петров, это письмо отправлено на ivan@example.org.\n",
    "Вы приглашены на панель «Транспортные и энергетические коридоры». Добавьте её в календарь "
    "с помощью приложенного приглашения.\n" * 12,
    "From the Secretariat: tabs\tand = signs, trailing space \nno final newline",
    "Lines\r\nwith CRLF\r\nand a lone\rCR\n",
    "--===============0000000000000000001==\nlooks like a boundary\n",
    "",
]
HTMLS = [
    None,
    "<p>You are invited to <strong>Connectivity</strong>.</p>\n",
    '<!doctype html>\n<html lang="ru"><body><p>Уважаемый Иван</p>' + "<p>x</p>" * 30 + "\n",
]
ICS = (
    b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nPRODID:-//CICA//EN\r\nBEGIN:VEVENT\r\n"
    b"SUMMARY:\xd0\x9f\xd0\xb0\xd0\xbd\xd0\xb5\xd0\xbb\xd1\x8c\r\n"
    + b"DESCRIPTION:"
    + b"x" * 200
    + b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
CALENDARS = [None, CalendarPart("REQUEST", ICS), CalendarPart("CANCEL", b"BEGIN:VCALENDAR\r\n")]
MESSAGE_IDS = ["<179650675059.29231.11609038358836723632@cica.example>", "<odd id@x>"]
INNER, OUTER = "===============1111111111111111111==", "===============2222222222222222222=="


def library_bytes(mail: Mail, sender: str, message_id: str) -> tuple[bytes, str]:
    """The email package's bytes with known boundaries, and the Date it wrote."""
    message = compose(mail, sender=sender, message_id=message_id)
    if message.get_content_type() == "multipart/mixed":
        message.get_payload()[0].set_boundary(INNER)
        message.set_boundary(OUTER)
    elif message.is_multipart():
        message.set_boundary(INNER)
    return message_bytes(message), str(message["Date"])


def assert_same(mail: Mail, sender: str, message_id: str) -> None:
    expected, date = library_bytes(mail, sender, message_id)
    written = write(
        mail,
        sender=sender,
        message_id=message_id,
        date=date,
        boundaries=boundaries_from(iter([INNER, OUTER])),
    )
    assert written == expected


@pytest.mark.parametrize(
    ("text", "html", "calendar"), list(itertools.product(TEXTS, HTMLS, CALENDARS))
)
def test_bodies_are_written_as_the_email_package_writes_them(
    text: str, html: str | None, calendar: CalendarPart | None
) -> None:
    mail = Mail("dana@example.org", SUBJECTS[1], text, html=html, calendar=calendar)
    assert_same(mail, SENDERS[0], MESSAGE_IDS[0])


@pytest.mark.parametrize(
    ("sender", "to", "subject", "message_id"),
    list(itertools.product(SENDERS, ADDRESSES, SUBJECTS, MESSAGE_IDS)),
)
def test_headers_are_written_as_the_email_package_writes_them(
    sender: str, to: str, subject: str, message_id: str
) -> None:
    mail = Mail(to, subject, TEXTS[1], html=HTMLS[1], calendar=CALENDARS[1])
    assert_same(mail, sender, message_id)


def test_a_message_with_other_attachments_is_left_to_the_email_package() -> None:
    attachment = Attachment("badge.pdf", b"%PDF-1.4", "application", "pdf")
    mail = Mail("dana@example.org", "Your badge", "Attached.\n", attachments=[attachment])
    assert write(mail, sender=SENDERS[0], message_id=MESSAGE_IDS[0], date="x") is None


def test_random_boundaries_give_a_message_that_parses_back() -> None:
    mail = Mail("dana@example.org", SUBJECTS[2], TEXTS[2], html=HTMLS[2], calendar=CALENDARS[1])
    written = write(
        mail, sender=SENDERS[1], message_id=MESSAGE_IDS[0], date="Sat, 05 Dec 2026 21:41:15 +0000"
    )
    assert written is not None
    parsed = email.message_from_bytes(written, policy=policy.default)
    parts = [part.get_payload(decode=True) for part in parsed.walk() if not part.is_multipart()]
    texts = [part.decode().replace("\r\n", "\n") for part in parts[:2]]  # base64 keeps CRLF
    assert texts == [TEXTS[2], HTMLS[2]]
    assert parts[2:] == [ICS, ICS]
    assert parsed["Subject"] == SUBJECTS[2]
