"""`kill -9` of a separately run Celery worker in the middle of a fan-out loses nothing and
sends nothing twice (real worker processes, Redis, SMTP server, PostgreSQL)."""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from registration.conferences import panels as panel_services
from registration.conferences.models import Panel
from registration.database import db
from registration.jobs.models import Job, JobState
from registration.mail.models import MailStatus, OutgoingMail
from tests.conftest import at
from tests.mail_support import TestMailbox, calendar_part, wait_for
from tests.test_fan_out import crowd
from tests.worker_support import _start_worker, _stop, _worker_env, mailbox_port

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.usefixtures("members")]


def _unsettled(app: Flask) -> int:
    """Jobs not finished plus messages neither sent nor settled otherwise."""
    with app.app_context():
        jobs = db.session.scalar(
            db.select(db.func.count()).where(Job.state.in_((JobState.QUEUED, JobState.RUNNING)))
        )
        mail = db.session.scalar(
            db.select(db.func.count()).where(
                OutgoingMail.status.notin_((MailStatus.SENT, MailStatus.SUPERSEDED))
            )
        )
        db.session.remove()
    return (jobs or 0) + (mail or 0)


def _outbox_rows(app: Flask) -> int:
    with app.app_context():
        count = db.session.scalar(db.select(db.func.count()).select_from(OutgoingMail))
        db.session.remove()
    return count or 0


def _mid_expansion(app: Flask, attendees: int) -> bool:
    """The job has written some of its attendees' outbox rows (a chunk committed), not all."""
    return 0 < _outbox_rows(app) < attendees


@pytest.mark.parametrize(
    ("attendees", "moment"),
    [(600, "sending"), (2000, "expanding")],
    ids=["killed-while-sending", "killed-while-expanding"],
)
def test_kill_9_of_the_worker_mid_fan_out_loses_and_duplicates_nothing(
    app: Flask,
    mailbox: TestMailbox,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
    tmp_path: Path,
    attendees: int,
    moment: str,
) -> None:
    """Killed after 100 deliveries (the job expanded, its mail being sent), or while the job
    is still writing its attendees' outbox rows in chunks (some committed, the rest not): the
    restarted worker's sweeper runs the job again, which writes only the rows still missing.
    A message in flight at the kill (handed to the SMTP server, not yet marked sent) may go
    twice: the window the README names ("Mail delivery")."""
    conference_id = make_conference(slug="crowd")
    panel_id = make_panel(conference_id)
    crowd(app, conference_id, attendees, "crowd.example")
    # The worker reads this run's broker keys; its sweepers take over quickly after a crash.
    env = _worker_env(
        app,
        mailbox_port(app),
        tmp_path,
        REDIS_URL=os.environ["REDIS_URL"],
        REDIS_KEY_PREFIX=os.environ["REDIS_KEY_PREFIX"],
        JOB_RETRY_AFTER_SECONDS="4",
    )
    log = tmp_path / "worker.log"
    worker = _start_worker(env, log)
    try:
        with app.app_context():
            panel = db.session.get(Panel, panel_id)
            data = panel_services.PanelData(
                title=panel.title, starts_at=at("2030-12-28 05:00"), ends_at=at("2030-12-28 06:00")
            )
            assert panel_services.update_panel(panel, data).job_id
        if moment == "sending":
            wait_for(lambda: mailbox.count >= 100, timeout=120, what="the first 100 updates")
        else:
            deadline = time.monotonic() + 120
            while not _mid_expansion(app, attendees):  # polled closely: chunks come fast
                assert time.monotonic() < deadline, "no chunk of outbox rows in 120 s"
                time.sleep(0.005)
        _stop(worker, signal.SIGKILL)
        at_kill = mailbox.count
        assert at_kill < attendees, "the fan-out finished before the kill; make it larger"
        if moment == "expanding":
            assert _outbox_rows(app) < attendees, "the job expanded fully before the kill"
        worker = _start_worker(env, log)
        wait_for(lambda: _unsettled(app) == 0, timeout=300, what="every update settled")
    finally:
        _stop(worker)
    received = Counter(str(m["Message-ID"]) for m in mailbox.parsed())
    addressed = Counter(m["To"] for m in mailbox.parsed())
    moved = [
        b"20301228T130000" in calendar_part(m).get_payload(decode=True) for m in mailbox.parsed()
    ]
    assert set(addressed) == {f"delegate{n}@crowd.example" for n in range(attendees)}
    assert all(moved), "every message has the new time (13:00 in Shanghai)"
    assert len(received) == attendees, "one message per attendee, none queued twice"
    assert _outbox_rows(app) == attendees, "one outbox row per attendee: none written twice"
    copies = sum(received.values()) - len(received)
    assert copies <= 2, f"{copies} copies: only a message in flight at the kill may go twice"
    print(f"killed at {at_kill} received; copies of in-flight messages: {copies}")
