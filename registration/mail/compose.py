"""Building messages: plain text and HTML, optional iMIP calendar part and attachments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.header import Header
from email.headerregistry import HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.policy import SMTP, EmailPolicy
from email.utils import format_datetime, make_msgid

from flask import current_app


class _Subject(UnstructuredHeader):
    """A subject folded as RFC 2047 wants: Python 3.11's folder puts the space between two
    non-ASCII words outside the encoded words, where readers drop it ("орталықтарфорумының");
    the older `Header` encoder keeps spaces inside them."""

    def fold(self, *, policy: EmailPolicy) -> str:  # type: ignore[override]
        if str(self).isascii():
            return super().fold(policy=policy)
        encoded = Header(str(self), "utf-8", header_name=self.name).encode(linesep=policy.linesep)
        return f"{self.name}: {encoded}{policy.linesep}"


_HEADERS = HeaderRegistry()
_HEADERS.map_to_type("subject", _Subject)
POLICY = SMTP.clone(header_factory=_HEADERS)


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
    message = EmailMessage(policy=POLICY)
    message["From"] = sender or current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = message_id or new_message_id()
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


def message_bytes(message: EmailMessage) -> bytes:
    """The message as SMTP sends it (CRLF line ends)."""
    return message.as_bytes(policy=POLICY)
