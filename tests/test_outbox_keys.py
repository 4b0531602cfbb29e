"""Two changes that queue the same message at once leave one outbox row and no error, and
requests hand their sends to a publisher that folds them into one broker round."""

from __future__ import annotations

import threading
import time

import pytest
from flask import Flask

from registration.database import db
from registration.mail.compose import Mail
from registration.mail.models import OutgoingMail
from registration.publisher import BackgroundPublisher, Task
from tests.mail_support import queue_note


def _mail() -> Mail:
    return Mail(to="dana@example.org", subject="Panel moved", text="The panel moved.")


@pytest.mark.postgres
def test_the_same_key_queued_by_two_transactions_at_once_is_one_row(app: Flask) -> None:
    first_queued, results = threading.Event(), {}

    def first() -> None:
        with app.app_context():
            results["first"] = queue_note(_mail(), key="itip:1:panel-2:request:s1")
            first_queued.set()
            time.sleep(0.5)  # the second transaction now waits on this row's key
            db.session.commit()

    def second() -> None:
        first_queued.wait()
        with app.app_context():
            results["second"] = queue_note(_mail(), key="itip:1:panel-2:request:s1")
            db.session.commit()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert results["first"] is not None
    assert results["second"] is None
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(OutgoingMail.id))) == 1


def test_a_key_queued_again_later_is_skipped(app: Flask) -> None:
    with app.app_context():
        assert queue_note(_mail(), key="signup-confirm:7") is not None
        db.session.commit()
        assert queue_note(_mail(), key="signup-confirm:7") is None
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count(OutgoingMail.id))) == 1


def test_sends_handed_over_within_the_linger_are_published_together(app: Flask) -> None:
    published: list[list[Task]] = []
    publisher = BackgroundPublisher(published.append)
    app.config["MAIL_PUBLISH_LINGER_MS"] = 200
    publisher.submit(app, [("workers.mail.send_mail", (1,))])
    publisher.submit(app, [("workers.mail.send_mail", (2,))])
    assert publisher.drain(5)
    assert published == [[("workers.mail.send_mail", (1,)), ("workers.mail.send_mail", (2,))]]


def test_a_failed_publish_does_not_stop_later_ones(app: Flask) -> None:
    published: list[list[Task]] = []

    def flaky(tasks: list[Task]) -> None:
        if not published:
            published.append([])
            raise ConnectionError("broker gone")
        published.append(tasks)

    publisher = BackgroundPublisher(flaky)
    app.config["MAIL_PUBLISH_LINGER_MS"] = 0
    publisher.submit(app, [("workers.mail.send_mail", (1,))])
    assert publisher.drain(5)
    publisher.submit(app, [("workers.mail.send_mail", (2,))])
    assert publisher.drain(5)
    assert published[-1] == [("workers.mail.send_mail", (2,))]
