"""A dispatch to 60 addresses survives kill -9 of the worker (a separate process): every
address gets its message, no address gets a second one beyond what was in flight."""

from __future__ import annotations

import signal
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from registration.correspondence import dispatch as dispatching
from registration.correspondence.dispatch_models import DispatchDelivery
from registration.correspondence.models import NoteVerbale
from registration.database import db
from registration.directory.models import Member, MemberKind
from registration.mail.models import MailStatus, OutgoingMail
from tests.correspondence_support import add_contact, issued_note
from tests.mail_support import TestMailbox, wait_for
from tests.worker_support import RedisServer, _start_worker, _stop, _worker_env, mailbox_port

ADDRESSES = 60


def sixty_addresses(app: Flask) -> list[str]:
    """Two contacts of every member state, a third for the first few: 60 addresses."""
    with app.app_context():
        codes = list(
            db.session.scalars(
                db.select(Member.code).filter_by(kind=MemberKind.MEMBER_STATE).order_by(Member.code)
            )
        )
    addresses = [(code, f"{kind}@{code.lower()}.example") for kind in ("mfa", "embassy", "mission")
                 for code in codes][:ADDRESSES]  # fmt: skip
    for code, email in addresses:
        add_contact(app, code, email, ["en", "ru"])
    return [email for _, email in addresses]


def sent_rows(app: Flask, batch: str) -> int:
    with app.app_context():
        statuses = db.session.scalars(db.select(OutgoingMail.status).filter_by(batch=batch))
        return Counter(statuses)[MailStatus.SENT]


@pytest.mark.redis
@pytest.mark.postgres
def test_a_dispatch_to_60_addresses_survives_kill_9_of_the_worker(
    app: Flask,
    members: None,
    mailbox: TestMailbox,
    private_redis: RedisServer,
    tmp_path: Path,
    make_conference: Callable[..., int],
) -> None:
    note_id = issued_note(app, make_conference(slug="ttf9"))
    addresses = sixty_addresses(app)
    with app.app_context():
        note = db.session.get(NoteVerbale, note_id)
        assert note is not None
        started = dispatching.start(note, None, None)
        batch = started.job_id
        assert batch is not None
    # The job reaches this worker through its sweeper (it was published to the test's broker).
    env = _worker_env(
        app,
        mailbox_port(app),
        tmp_path,
        REDIS_URL=private_redis.url,
        JOB_RETRY_AFTER_SECONDS="2",
        MAIL_RATE_PER_MINUTE="150",
    )
    log = tmp_path / "worker.log"
    worker = _start_worker(env, log)
    try:
        wait_for(lambda: mailbox.count >= 15, timeout=120, what="the first 15 messages")
        _stop(worker, signal.SIGKILL)
        at_kill = mailbox.count
        assert at_kill < ADDRESSES, "the dispatch finished before the kill"
        worker = _start_worker(env, log)
        wait_for(lambda: sent_rows(app, batch) == ADDRESSES, timeout=240, what="all 60 sent")
    finally:
        _stop(worker)
    received = Counter(str(m["To"]) for m in mailbox.parsed())
    assert set(received) == set(addresses)
    copies = Counter(str(m["Message-ID"]) for m in mailbox.parsed())
    assert len(copies) == ADDRESSES  # one message per address, copies share its Message-ID
    assert sum(copies.values()) - ADDRESSES <= 2, "more copies than messages in flight"
    with app.app_context():
        deliveries = db.session.scalars(db.select(DispatchDelivery)).all()
        assert sorted(d.email for d in deliveries) == sorted(addresses)
        assert len({d.outbox_id for d in deliveries}) == ADDRESSES
        rows = db.session.scalar(
            db.select(db.func.count()).select_from(OutgoingMail).filter_by(batch=batch)
        )
        assert rows == ADDRESSES
