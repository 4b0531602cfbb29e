"""The outbox reaches a real SMTP server through a real worker: retries on 4xx, dead letters
on 5xx with a working Resend button, duplicate tasks send once, the sweeper finds lost rows."""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert

from registration.database import db, utcnow
from registration.mail import services, sweeping
from registration.mail.compose import Mail, compose
from registration.mail.models import MailStatus, OutgoingMail
from tests.mail_support import TestMailbox, queue_note, wait_for

pytestmark = pytest.mark.usefixtures("celery_worker")


def _queue(app: Flask, count: int, prefix: str = "note", batch: str = "tests") -> None:
    with app.app_context():
        for number in range(count):
            mail = Mail(to=f"{prefix}{number}@example.org", subject=f"Note {number}", text="Hi")
            queue_note(mail, key=f"{prefix}:{number}", batch=batch)
        db.session.commit()


def _statuses(app: Flask) -> Counter[MailStatus]:
    with app.app_context():
        return Counter(db.session.scalars(db.select(OutgoingMail.status)))


def _all_sent(app: Flask, count: int) -> bool:
    return _statuses(app)[MailStatus.SENT] == count


def test_a_refusing_server_gets_the_mail_after_it_recovers(
    app: Flask, mailbox: TestMailbox
) -> None:
    mailbox.refuse_for(2.5)
    _queue(app, 3)
    wait_for(lambda: _all_sent(app, 3), timeout=40, what="all sent after 451s")
    assert mailbox.refused >= 3
    assert sorted(m["To"] for m in mailbox.parsed()) == [
        "note0@example.org",
        "note1@example.org",
        "note2@example.org",
    ]
    with app.app_context():
        attempts = db.session.scalars(db.select(OutgoingMail.attempts)).all()
    assert all(a >= 2 for a in attempts)


def test_a_permanent_refusal_is_a_dead_letter_the_organiser_can_resend(
    app: Flask, mailbox: TestMailbox, organizer_client: FlaskClient
) -> None:
    mailbox.rejected.add("gone@example.org")
    with app.app_context():
        queue_note(Mail(to="gone@example.org", subject="Agenda", text="Hi"), key="agenda:1")
        db.session.commit()
    wait_for(lambda: _statuses(app)[MailStatus.FAILED] == 1, what="a dead letter")
    with app.app_context():
        row = db.session.scalars(db.select(OutgoingMail)).one()
        assert row.attempts == 1, "a 5xx must not be retried"
        assert row.last_error.startswith("550")
    page = organizer_client.get("/manage/mail/")
    assert "gone@example.org" in page.text
    assert "550" in page.text
    assert f"/manage/mail/{row.id}/resend" in page.text

    mailbox.rejected.clear()
    response = organizer_client.post(f"/manage/mail/{row.id}/resend")
    assert response.status_code == 302
    wait_for(lambda: _all_sent(app, 1), what="the resent mail")
    assert [m["To"] for m in mailbox.parsed()] == ["gone@example.org"]
    assert "No dead letters" in organizer_client.get("/manage/mail/").text


def test_duplicated_tasks_send_once(app: Flask, mailbox: TestMailbox) -> None:
    _queue(app, 1)
    with app.app_context():
        outbox_id = db.session.scalar(db.select(OutgoingMail.id))
        services.publish([(services.SEND_TASK, (outbox_id,))] * 3)
    wait_for(lambda: _all_sent(app, 1), what="sent")
    with app.app_context():
        for _ in range(3):
            services.deliver(outbox_id)
    assert len(mailbox.parsed()) == 1


def test_the_sweeper_publishes_rows_whose_task_was_lost(app: Flask, mailbox: TestMailbox) -> None:
    with app.app_context():
        wait_for(sweeping.queue_is_idle, what="earlier tasks to drain")
    time.sleep(0.5)  # the worker finishes what it took last (SQLite reuses row ids)
    with app.app_context():
        message = compose(Mail(to="lost@example.org", subject="Lost", text="Hi"))
        long_ago = utcnow() - timedelta(minutes=5)
        db.session.execute(  # written without the after-commit publish, as if Redis was down
            insert(OutgoingMail).values(
                idempotency_key="lost:1",
                recipient="lost@example.org",
                subject="Lost",
                message_id=str(message["Message-ID"]),
                message=message.as_bytes(),
                status=MailStatus.QUEUED,
                attempts=0,
                next_attempt_at=long_ago,
                last_error="",
                created_at=long_ago,
                updated_at=long_ago,
            )
        )
        db.session.commit()
        assert sweeping.sweep_outbox() == 1
    wait_for(lambda: _all_sent(app, 1), what="the swept mail")
    with app.app_context():
        assert sweeping.sweep_outbox() == 0
    assert [m["Message-ID"] for m in mailbox.parsed()] == [message["Message-ID"]]


def test_a_worker_lost_mid_send_is_retried_by_the_sweeper(app: Flask, mailbox: TestMailbox) -> None:
    with app.app_context():
        db.session.execute(  # what a worker killed after claiming the row leaves behind
            insert(OutgoingMail).values(
                idempotency_key="inflight:1",
                recipient="inflight@example.org",
                subject="In flight",
                message_id="<fixed@cica.example>",
                message=compose(Mail(to="inflight@example.org", subject="x", text="Hi")).as_bytes(),
                status=MailStatus.INFLIGHT,
                attempts=1,
                next_attempt_at=utcnow(),
                last_error="",
                created_at=utcnow() - timedelta(hours=1),
                updated_at=utcnow() - timedelta(hours=1),
            )
        )
        db.session.commit()
        sweeping.sweep_outbox()
    wait_for(lambda: _all_sent(app, 1), what="the stuck mail")
    assert [m["To"] for m in mailbox.parsed()] == ["inflight@example.org"]


def test_progress_counts_rows_by_status(app: Flask, mailbox: TestMailbox, organizer_client) -> None:
    mailbox.rejected.add("note1@example.org")
    _queue(app, 4, batch="conference-1-invitations-x")
    wait_for(lambda: sum(_statuses(app)[s] for s in (MailStatus.SENT, MailStatus.FAILED)) == 4)
    progress = organizer_client.get("/manage/mail/batches/conference-1-invitations-x/progress.json")
    assert progress.json == {
        "total": 4,
        "done": 3,
        "failed": 1,
        "remaining": 0,
        "retrying": 0,
        "finished": True,
        "summary": "Sent 3 of 4. 1 message could not be sent.",
        "state": "Finished.",
        "job_failed": False,
    }
    page = organizer_client.get("/manage/mail/batches/conference-1-invitations-x")
    assert '<progress max="4" value="4"' in page.text
    assert "mail-progress.js" in page.text
    assert "They are dead letters in the outbox" in page.text
    assert organizer_client.get("/manage/mail/batches/nothing-here").status_code == 404


def test_retry_delays_grow_and_stay_below_the_visibility_timeout(app: Flask) -> None:
    with app.app_context():
        delays = [services.retry_delay(n) for n in range(1, 12)]
    options = app.config["CELERY"]["broker_transport_options"]
    visibility = options.get("visibility_timeout", 2 * 3600)  # Redis; filesystem has none
    assert delays == sorted(delays)
    assert delays[1] == 2 * delays[0]
    assert max(delays) < visibility


def test_dead_letters_need_an_organiser(client: FlaskClient) -> None:
    assert client.get("/manage/mail/").status_code == 302
    assert client.get("/manage/mailbox/").status_code == 302
