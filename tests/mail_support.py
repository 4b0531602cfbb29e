"""Real servers for the mail tests: an aiosmtpd catcher, a Celery worker, ical.js via Node."""

from __future__ import annotations

import email
import email.policy
import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session
from celery.contrib.testing.worker import start_worker
from flask import Flask

from registration.mail.catcher import MailboxHandler, start
from registration.mail.compose import Mail
from registration.mail.composers import composes
from registration.mail.outbox import queue_intent
from registration.signup.models import AttendanceMode, Registration, RegistrationStatus

JS_FOLDER = Path(__file__).parent / "js"
NOTE = "tests.note"


@composes(NOTE)
def note_mail(intent: dict[str, Any]) -> Mail:
    """The tests' composer: the message is all in the intent."""
    return Mail(to=intent["to"], subject=intent["subject"], text=intent["text"])


def queue_note(mail: Mail, *, key: str, batch: str | None = None) -> int | None:
    """Queue `mail` (its address, subject and text) as an intent the worker composes."""
    intent = {"to": mail.to, "subject": mail.subject, "text": mail.text}
    return queue_intent(NOTE, intent, key=key, recipient=mail.to, batch=batch)


class TestMailbox(MailboxHandler):
    """Keeps messages in memory; can refuse some recipients with a permanent 550."""

    __test__ = False

    def __init__(self) -> None:
        super().__init__(None)
        self.rejected: set[str] = set()

    async def handle_RCPT(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address in self.rejected:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def parsed(self) -> list[EmailMessage]:
        with self.lock:
            raw = list(self.messages)
        return [
            email.message_from_bytes(data, policy=email.policy.default)  # type: ignore[misc]
            for data in raw
        ]

    def reset(self) -> None:
        with self.lock:
            self.messages.clear()
            self.count = self.refused = 0
        self.rejected.clear()
        self._refuse_until = 0.0


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[TestMailbox, int]]:
    handler = TestMailbox()
    controller = start(handler)
    yield handler, controller.port
    controller.stop()


@pytest.fixture
def mailbox(app: Flask, smtp_server: tuple[TestMailbox, int]) -> Iterator[TestMailbox]:
    """The SMTP server the app sends to, emptied for this test; fast retries."""
    handler, port = smtp_server
    handler.reset()
    saved = {k: app.config[k] for k in ("MAIL_PORT", "MAIL_RETRY_BASE_SECONDS")}
    app.config.update(MAIL_PORT=port, MAIL_RETRY_BASE_SECONDS=1)
    yield handler
    app.config.update(saved)


@pytest.fixture(scope="module")
def celery_worker(app: Flask) -> Iterator[Any]:
    """A real Celery worker (thread, solo pool) on the app's broker: Redis or the filesystem."""
    celery = app.extensions["celery"]
    loglevel = os.environ.get("TEST_WORKER_LOGLEVEL", "WARNING")
    with start_worker(
        celery, perform_ping_check=False, shutdown_timeout=30, loglevel=loglevel
    ) as worker:
        yield worker


def wait_for(condition: Callable[[], Any], timeout: float = 30, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or condition}")


def add_registration(
    conference_id: int,
    email_address: str,
    *,
    panels: list[int] | None = None,
    mode: AttendanceMode = AttendanceMode.IN_PERSON,
    name: str = "Aigerim Bekova",
) -> Registration:
    """An approved registration (in the current session, not committed)."""
    from registration.database import db
    from registration.directory.models import Member
    from registration.signup.models import RegistrationPanel

    member = db.session.scalars(db.select(Member).filter_by(code="KAZ")).first()
    member = member or db.session.scalars(db.select(Member)).first()
    registration = Registration(
        conference_id=conference_id,
        member=member,
        email=email_address,
        name=name,
        mode=mode,
        status=RegistrationStatus.APPROVED,
    )
    db.session.add(registration)
    db.session.flush()
    for panel_id in panels or []:
        db.session.add(RegistrationPanel(registration_id=registration.id, panel_id=panel_id))
    db.session.flush()
    return registration


def calendar_part(message: EmailMessage) -> EmailMessage:
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    return parts[0]  # type: ignore[return-value]


def read_with_icaljs(ics: bytes, folder: Path) -> dict[str, Any]:
    """What Thunderbird's parser (Mozilla ical.js under Node) reads from the file."""
    node = shutil.which("node")
    if node is None or not (JS_FOLDER / "node_modules" / "ical.js").is_dir():
        from tests.services import missing

        missing("needs Node and `npm ci` in tests/js (ical.js)")
    path = folder / "invite.ics"
    path.write_bytes(ics)
    result = subprocess.run(
        [node, str(JS_FOLDER / "read_ics.mjs"), str(path)],
        capture_output=True,
        check=True,
        timeout=30,
    )
    return json.loads(result.stdout)
