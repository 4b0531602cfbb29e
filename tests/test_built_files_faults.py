"""`kill -9` of a separately run worker while it builds a badges sheet leaves no file under a
key (files are written under a partial name and renamed when whole), the job is run again
and keeps one file, and the beat's sweep removes whatever the killed build left behind
(real worker processes, Redis, PostgreSQL)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from registration import files
from registration.attendance import badge_sheets
from registration.conferences.models import Conference
from registration.database import db
from registration.jobs import built_files
from registration.jobs.models import Job, JobState
from tests.mail_support import wait_for
from tests.test_fan_out import crowd
from tests.worker_support import _start_worker, _stop, _worker_env, mailbox_port

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.usefixtures("members")]
BADGES = 1500


def _job(app: Flask, job_id: str) -> Job:
    with app.app_context():
        job = db.session.get_one(Job, job_id)
        db.session.expunge(job)
        db.session.remove()
    return job


def _built(folder: Path) -> list[str]:
    return sorted(
        p.name for p in folder.iterdir() if p.name.startswith((built_files.PREFIX, files.PARTIAL))
    )


def test_kill_9_mid_build_leaves_one_file_and_the_sweep_the_rest(
    app: Flask, make_conference: Callable[..., int], tmp_path: Path
) -> None:
    conference_id = make_conference(slug="crowd")
    crowd(app, conference_id, BADGES, "crowd.example")
    folder = Path(app.config["FILES_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    already = set(_built(folder))
    env = _worker_env(
        app,
        mailbox_port(app),
        tmp_path,
        REDIS_URL=os.environ["REDIS_URL"],
        REDIS_KEY_PREFIX=os.environ["REDIS_KEY_PREFIX"],
        JOB_RETRY_AFTER_SECONDS="4",
        FILES_FOLDER=str(folder),
    )
    log = tmp_path / "worker.log"
    worker = _start_worker(env, log)
    try:
        with app.app_context():
            conference = db.session.get_one(Conference, conference_id)
            job_id = badge_sheets.start(conference, all_modes=True, member=None, language="en").id
            db.session.commit()
        wait_for(lambda: _job(app, job_id).state is JobState.RUNNING, what="the build started")
        time.sleep(0.5)
        _stop(worker, signal.SIGKILL)
        assert not _job(app, job_id).subject.get("file"), "built before the kill; make it larger"
        left = set(_built(folder)) - already
        assert not any(name.startswith(built_files.PREFIX) for name in left), left

        worker = _start_worker(env, log)
        wait_for(lambda: _job(app, job_id).finished, timeout=180, what="the build run again")
    finally:
        _stop(worker)
    job = _job(app, job_id)
    assert job.state is JobState.DONE
    assert len(job.subject["people"]) == BADGES
    an_hour_ago = time.time() - built_files.ORPHAN_AFTER_SECONDS - 60
    for name in set(_built(folder)) - already:
        os.utime(folder / name, (an_hour_ago, an_hour_ago))
    with app.app_context():
        built_files.sweep()
    assert set(_built(folder)) - already == {job.subject["file"]}, "the job's file alone"
    assert files.PARTIAL not in "".join(_built(folder))
