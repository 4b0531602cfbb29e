"""The messages of one person about one panel go out in SEQUENCE order: one overtaken before
it was sent is not sent at all, and a newer one waits while an older one is in flight."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from registration.calendars import messages
from registration.calendars.itip import REQUEST
from registration.conferences.models import Panel
from registration.database import db, utcnow
from registration.mail import services
from registration.mail.models import MailStatus, OutgoingMail
from tests.mail_support import TestMailbox, add_registration, calendar_part

pytestmark = pytest.mark.usefixtures("members")


def _two_messages(app: Flask, make_conference: Callable, make_panel: Callable) -> list[int]:
    """An invitation, then the panel moves: two rows of one thread, oldest first."""
    conference_id = make_conference()
    panel_id = make_panel(conference_id)
    with app.app_context():
        registration = add_registration(conference_id, "thread@example.org")
        panel = db.session.get(Panel, panel_id)
        assert messages.tell(panel, REQUEST, [registration.id]) == 1
        panel.sequence += 1
        assert messages.tell(panel, REQUEST, [registration.id]) == 1
        db.session.commit()
        return list(db.session.scalars(db.select(OutgoingMail.id).order_by(OutgoingMail.id)))


def _status(app: Flask, outbox_id: int) -> MailStatus:
    with app.app_context():
        return db.session.get(OutgoingMail, outbox_id).status


def test_a_message_overtaken_before_it_went_is_not_sent(
    app: Flask, mailbox: TestMailbox, make_conference: Callable, make_panel: Callable
) -> None:
    older, newer = _two_messages(app, make_conference, make_panel)
    with app.app_context():
        assert services.deliver(older) is None
        assert services.deliver(newer) is None
    assert _status(app, older) == MailStatus.SUPERSEDED
    assert _status(app, newer) == MailStatus.SENT
    [message] = mailbox.parsed()
    assert message["Subject"].startswith("Invitation:"), "their first: an invitation"
    assert b"SEQUENCE:1" in calendar_part(message).get_payload(decode=True)


def test_a_newer_message_waits_while_an_older_one_is_in_flight(
    app: Flask, mailbox: TestMailbox, make_conference: Callable, make_panel: Callable
) -> None:
    older, newer = _two_messages(app, make_conference, make_panel)
    with app.app_context():  # a worker has taken the older one and is sending it
        db.session.execute(
            db.update(OutgoingMail).where(OutgoingMail.id == older).values(status="inflight")
        )
        db.session.commit()
        assert services.deliver(newer) is not None, "tried again in a moment"
    assert _status(app, newer) == MailStatus.AWAITING_RETRY
    assert mailbox.parsed() == []
    with app.app_context():  # the older one went
        db.session.execute(
            db.update(OutgoingMail).where(OutgoingMail.id == older).values(status="sent")
        )
        db.session.execute(
            db.update(OutgoingMail).where(OutgoingMail.id == newer).values(next_attempt_at=utcnow())
        )
        db.session.commit()
        assert services.deliver(newer) is None
    [update] = mailbox.parsed()
    assert update["Subject"].startswith("Updated:")
    with app.app_context():
        assert db.session.get(OutgoingMail, newer).attempts == 1, "waiting is no attempt"
