"""A message's bytes for SMTP, written without building an `EmailMessage` tree.

`compose.compose` builds the message with the email package, whose header objects and
generator cost about 2 ms of CPU per message: most of a fan-out worker's time once the
calendar part is built once per panel version (`calendars.itip_cache`). `write` writes
the same bytes for the messages the workers send in bulk (text, optional HTML,
optional iMIP calendar, no other attachment) and returns None for anything else. It does
not encode anything itself: each header line is the email package's (cached per value,
except plain addresses and Message-IDs and the Date, which it writes unchanged, as the
package does), each part's body is the package's own encoder's output (`_encode_text`,
`_encode_base64`), and only the layout (header order, boundaries, blank lines) is written
here. `tests/test_mail_wire.py` compares it byte for byte with `compose` + `message_bytes`
(the same boundaries set on both) over ASCII, Cyrillic and long-lined texts, odd addresses and
every shape, so a change of the email package's output fails there, not in a mailbox.
"""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from email.contentmanager import _encode_base64, _encode_text  # type: ignore[attr-defined]
from email.utils import format_datetime
from functools import lru_cache

from flask import current_app

from registration.mail.compose import POLICY, Mail, compose
from registration.mail.compose import message_bytes as composed_bytes

_STORE = POLICY  # the policy `compose` stores headers and encodes bodies with
_WIRE = POLICY  # the policy `compose.message_bytes` writes with
_NEWLINES = re.compile(r"\r\n|\r|\n")
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_PLAIN_ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*")
_PLAIN_MESSAGE_ID = re.compile(rf"<{_ATOM}(?:\.{_ATOM})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*>")
_DIGITS = len(repr(sys.maxsize - 1))
_BOUNDARY_LENGTH = 15 + _DIGITS + 2


def mail_bytes(mail: Mail, message_id: str, sender: str | None = None) -> bytes:
    """`compose.message_bytes(compose.compose(mail, sender, message_id))`, written here
    for the shapes workers send in bulk (the same bytes, a fraction of the CPU)."""
    sender = sender or current_app.config["MAIL_DEFAULT_SENDER"]
    date = format_datetime(datetime.now(UTC))
    written = write(mail, sender=sender, message_id=message_id, date=date)
    return written if written is not None else composed_bytes(compose(mail, sender, message_id))


@lru_cache(maxsize=1024)
def header_line(name: str, value: str) -> bytes:
    """One header as the email package writes it (stored as `msg[name] = value` does,
    folded for SMTP); cached, as senders and subjects repeat across a fan-out."""
    stored_name, stored = _STORE.header_store_parse(name, value)
    return _WIRE.fold_binary(stored_name, stored)


def _plain(name: str, value: str, pattern: re.Pattern[str]) -> bytes:
    """A header whose value the package writes unchanged when it is short and plain."""
    line = f"{name}: {value}"
    if len(line) <= _WIRE.max_line_length and pattern.fullmatch(value):
        return line.encode("ascii") + b"\r\n"
    return header_line.__wrapped__(name, value)


def _crlf(payload: str) -> bytes:
    """A part's payload with SMTP line ends, as the generator writes it (8bit text keeps
    its bytes: they were decoded with surrogateescape)."""
    return "\r\n".join(_NEWLINES.split(payload)).encode("ascii", "surrogateescape")


def _text_part(text: str, subtype: str, first: bool) -> bytes:
    cte, payload = _encode_text(text, "utf-8", None, _STORE)
    head = f'Content-Type: text/{subtype}; charset="utf-8"\r\nContent-Transfer-Encoding: {cte}\r\n'
    if not first:  # parts added with add_alternative get their own MIME-Version
        head += "MIME-Version: 1.0\r\n"
    return head.encode("ascii") + b"\r\n" + _crlf(payload)


def _base64(data: bytes) -> bytes:
    return _crlf(_encode_base64(data, _STORE.max_line_length))


def _boundary(parts: list[bytes]) -> str:
    """A random boundary like the package's, not found at a line start in the parts."""
    while True:
        boundary = "=" * 15 + f"{random.randrange(sys.maxsize):0{_DIGITS}d}" + "=="
        marker = b"--" + boundary.encode("ascii")
        if not any(marker in part for part in parts):
            return boundary


def _content_type(subtype: str, boundary: str) -> bytes:
    """A multipart Content-Type as the package writes it: folded before the boundary when
    the line is too long (the only place it folds a boundary of `_boundary`'s length)."""
    value = f'multipart/{subtype}; boundary="{boundary}"'
    if len(boundary) != _BOUNDARY_LENGTH or not boundary.isascii():
        return header_line.__wrapped__("Content-Type", value)
    line = f"Content-Type: {value}"
    if len(line) > _WIRE.max_line_length:
        line = line.replace("; ", ";\r\n ", 1)
    return line.encode("ascii") + b"\r\n"


def _multipart(subtype: str, parts: list[bytes], boundary: str, outer: bool) -> bytes:
    """The Content-Type header and the parts."""
    content_type = _content_type(subtype, boundary)
    head = (b"MIME-Version: 1.0\r\n" + content_type) if outer else content_type
    line = b"--" + boundary.encode("ascii")
    body = line + b"\r\n" + (b"\r\n" + line + b"\r\n").join(parts) + b"\r\n" + line + b"--\r\n"
    return head + b"\r\n" + body


def write(
    mail: Mail,
    *,
    sender: str,
    message_id: str,
    date: str,
    boundaries: Callable[[list[bytes]], str] = _boundary,
) -> bytes | None:
    """The bytes `compose.message_bytes(compose.compose(mail, sender, message_id))` would
    give (with the boundaries `boundaries` picks), or None for a shape this does not write
    (attachments other than the calendar's)."""
    if mail.attachments:
        return None
    head = b"".join(
        (
            header_line("From", sender),
            _plain("To", mail.to, _PLAIN_ADDRESS),
            header_line("Subject", mail.subject),
            b"Date: " + date.encode("ascii") + b"\r\n",
            _plain("Message-ID", message_id, _PLAIN_MESSAGE_ID),
        )
    )
    text = _text_part(mail.text, "plain", first=True)
    if not mail.html and not mail.calendar:
        return head + text[: text.index(b"\r\n\r\n")] + b"\r\nMIME-Version: 1.0" + _body_of(text)
    alternatives = [text]
    if mail.html:
        alternatives.append(_text_part(mail.html, "html", first=False))
    if not mail.calendar:
        return head + _multipart("alternative", alternatives, boundaries(alternatives), True)
    calendar = _base64(mail.calendar.ics)
    method = mail.calendar.method
    alternatives.append(
        b"Content-Transfer-Encoding: base64\r\n"
        + f'Content-Type: text/calendar; method="{method}"; charset="utf-8"\r\n'.encode()
        + b"MIME-Version: 1.0\r\n\r\n"
        + calendar
    )
    inner = _multipart("alternative", alternatives, boundaries(alternatives), False)
    attachment = (
        b"Content-Type: application/ics\r\nContent-Transfer-Encoding: base64\r\n"
        b'Content-Disposition: attachment; filename="invite.ics"\r\nMIME-Version: 1.0\r\n\r\n'
        + calendar
    )
    outer = [inner, attachment]
    return head + _multipart("mixed", outer, boundaries(outer), True)


def _body_of(part: bytes) -> bytes:
    """From the blank line after a part's headers to its end."""
    return part[part.index(b"\r\n\r\n") :]


def boundaries_from(values: Iterator[str]) -> Callable[[list[bytes]], str]:
    """Boundaries taken in turn from `values` (tests set the same ones on both writers)."""
    return lambda parts: next(values)
