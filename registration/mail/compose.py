"""Building messages: plain text and HTML, optional iMIP calendar part and attachments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import quoprimime
from email.message import EmailMessage
from email.policy import SMTP, default
from email.utils import format_datetime, make_msgid

from flask import current_app


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str
    subtype: str


@dataclass(frozen=True)
class CalendarPart:
    """An iTIP calendar (RFC 6047): the METHOD inside the bytes must equal `method`."""

    method: str
    ics: bytes


@dataclass
class Mail:
    to: str
    subject: str
    text: str
    html: str | None = None
    calendar: CalendarPart | None = None
    attachments: list[Attachment] = field(default_factory=list)


def new_message_id() -> str:
    """A Message-ID on the sender's domain (kept with the outbox row: a retry reuses it)."""
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rsplit("@", 1)[-1].rstrip(">")
    return make_msgid(domain=domain)


def compose(mail: Mail, sender: str | None = None, message_id: str | None = None) -> EmailMessage:
    """multipart/mixed[ multipart/alternative(text, html, calendar), attachments, .ics ]."""
    message = EmailMessage()
    _header(message, "From", sender or current_app.config["MAIL_DEFAULT_SENDER"])
    _header(message, "To", mail.to)
    _header(message, "Subject", mail.subject)
    _header(message, "Date", format_datetime(datetime.now(UTC)))
    _header(message, "Message-ID", message_id or new_message_id())
    if mail.html or mail.calendar or mail.attachments or not _set_ascii_text(message, mail.text):
        message.set_content(mail.text)
    if mail.html:
        message.add_alternative(mail.html, subtype="html")
    if mail.calendar:
        params = {"method": mail.calendar.method, "charset": "utf-8"}
        message.add_alternative(
            mail.calendar.ics, maintype="text", subtype="calendar", params=params
        )
    for attachment in mail.attachments:
        message.add_attachment(
            attachment.content,
            maintype=attachment.maintype,
            subtype=attachment.subtype,
            filename=attachment.filename,
        )
    if mail.calendar:
        message.add_attachment(
            mail.calendar.ics,
            maintype="application",
            subtype="ics",
            filename="invite.ics",
        )
    return message


def render_mail(template: str, **context: object) -> str:
    """Render a mail template; works in workers too (no request, no context processors)."""
    return current_app.jinja_env.get_template(template).render(**context)


# Composing a one-part ASCII mail (most sign-up mails) through the email package's header
# parsers and content manager costs ~2 ms of CPU; the two helpers below produce the same
# bytes for those messages without parsing, and leave everything else to the package.


def _header(message: EmailMessage, name: str, value: str) -> None:
    """A short one-line ASCII value stored as is; anything else parsed (encoded, checked)."""
    line_fits = len(name) + 2 + len(value) <= default.max_line_length
    if value.isascii() and line_fits and "\n" not in value and "\r" not in value:
        message.set_raw(name, value)
    else:
        message[name] = value


def _set_ascii_text(message: EmailMessage, text: str) -> bool:
    """text/plain as `set_content` writes ASCII text (7bit, or quoted-printable for long
    lines); False, leaving the message untouched, when the text is not ASCII."""
    if not text.isascii():
        return False
    lines = text.splitlines()
    body = "\n".join(lines) + "\n"
    if max((len(line) for line in lines), default=0) <= default.max_line_length:
        encoding = "7bit"
    else:
        encoding = "quoted-printable"
        body = quoprimime.body_encode(body, default.max_line_length)
    message.set_raw("Content-Type", 'text/plain; charset="utf-8"')
    message.set_raw("Content-Transfer-Encoding", encoding)
    message.set_raw("MIME-Version", "1.0")
    message.set_payload(body)
    return True


def message_bytes(message: EmailMessage) -> bytes:
    """The message as SMTP sends it (CRLF line ends): what `as_bytes(policy=SMTP)` writes.

    A one-part message whose headers were all stored as is (`_header`, `_set_ascii_text`)
    is written directly: the generator would only join its lines, at ~1 ms of CPU.
    """
    payload = message.get_payload()
    headers = list(message.raw_items())
    simple = (
        not message.is_multipart()
        and isinstance(payload, str)
        and payload.isascii()
        and "\r" not in payload
        and all(_stored_as_is(name, value) for name, value in headers)
    )
    if not simple:
        return message.as_bytes(policy=SMTP)
    head = "".join(f"{name}: {value}\r\n" for name, value in headers)
    body = payload.replace("\n", "\r\n")
    return f"{head}\r\n{body}".encode("ascii")


def _stored_as_is(name: str, value: str) -> bool:
    """A header `_header` stored raw, which the generator writes unchanged: not a parsed
    header object, one ASCII line that fits."""
    return (
        type(value) is str
        and value.isascii()
        and "\n" not in value
        and "\r" not in value
        and len(name) + 2 + len(value) <= default.max_line_length
    )
