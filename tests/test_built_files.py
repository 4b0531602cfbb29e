"""Files built by workers (badges sheets, participant lists) name people: they go when one of
those people erases their data, when they are older than BUILT_FILES_KEEP_HOURS, and when a
worker killed while building left them behind (a partial file, or one no job points to)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration import files
from registration.database import db, utcnow
from registration.jobs import built_files
from registration.jobs.models import Job
from registration.retention.services import erase_own_registration
from registration.signup.models import Registration
from tests.attendance_support import add_registration
from tests.mail_support import wait_for
from tests.signup_support import open_registration

pytestmark = pytest.mark.usefixtures("members", "celery_worker")


def built_by_the_worker(app: Flask, client: FlaskClient, slug: str, **form: str) -> str:
    """Ask for the badges as the badges page does; the worker builds them. The job's id."""
    asked = client.post(f"/manage/conferences/{slug}/badges.pdf", data=form)
    job_id = asked.headers["Location"].rsplit("/", 1)[-1]
    wait_for(lambda: key_of(app, job_id), what="the badges built by the worker")
    return job_id


def key_of(app: Flask, job_id: str) -> str | None:
    with app.app_context():
        job = db.session.get(Job, job_id)
        return job.subject.get("file") if job else None


def on_disk(app: Flask, key: str) -> bool:
    return (Path(app.config["FILES_FOLDER"]) / key).exists()


def test_erasing_one_s_own_data_deletes_the_built_files_naming_them(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    conference = make_conference(slug="ttf-9")
    open_registration(app, conference)
    aigerim = add_registration(app, conference, "Aigerim Sadykova", member="KAZ")
    add_registration(app, conference, "Li Wei", member="CHN")
    everyone = built_by_the_worker(app, organizer_client, "ttf-9", mode="all")
    china = built_by_the_worker(app, organizer_client, "ttf-9", member="CHN")
    everyone_key, china_key = key_of(app, everyone), key_of(app, china)
    assert everyone_key
    assert china_key
    assert everyone_key.startswith(built_files.PREFIX)

    with app.app_context():
        erased = erase_own_registration(db.session.get(Registration, aigerim))
        assert erased.built_files == 1
        job = db.session.get(Job, everyone)
        assert (job.subject.get("file"), job.subject["file_removed"]) == (None, "erased")
    assert not on_disk(app, everyone_key)
    assert (key_of(app, china), on_disk(app, china_key)) == (china_key, True)

    page_path = f"/manage/mail/batches/{everyone}"
    page = organizer_client.get(page_path).text
    assert "The file was deleted: a person it named erased their data." in page
    assert "Download badges" not in page
    assert "download" not in organizer_client.get(f"{page_path}/progress.json").json
    assert organizer_client.get(f"{page_path}/download").status_code == 404
    china_page = organizer_client.get(f"/manage/mail/batches/{china}").text
    assert "Download badges-ttf-9-CHN.pdf" in china_page


def test_built_files_expire_through_the_beat_task(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    conference = make_conference(slug="ttf-9")
    add_registration(app, conference, "Aigerim Sadykova", member="KAZ")
    old = built_by_the_worker(app, organizer_client, "ttf-9")
    fresh = built_by_the_worker(app, organizer_client, "ttf-9", mode="all")
    old_key = key_of(app, old)
    with app.app_context():
        job = db.session.get(Job, old)
        a_day_ago = utcnow() - timedelta(hours=app.config["BUILT_FILES_KEEP_HOURS"], minutes=1)
        job.subject = {**job.subject, "built_at": a_day_ago.isoformat()}
        job.updated_at = job.finished_at = a_day_ago
        db.session.commit()

    app.extensions["celery"].send_task("workers.jobs.sweep_built_files")
    wait_for(lambda: not on_disk(app, old_key), what="the expired file deleted by the beat task")
    with app.app_context():
        assert db.session.get(Job, old).subject["file_removed"] == "expired"
    assert on_disk(app, key_of(app, fresh) or "")
    page = organizer_client.get(f"/manage/mail/batches/{old}").text
    assert "The file was deleted 24 hours after it was built" in page


def test_no_expiry_when_the_setting_is_zero(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    make_conference(slug="ttf-9")
    job_id = built_by_the_worker(app, organizer_client, "ttf-9")
    app.config["BUILT_FILES_KEEP_HOURS"] = 0
    try:
        with app.app_context():
            long_ago = utcnow() - timedelta(days=400)
            job = db.session.get(Job, job_id)
            job.subject = {**job.subject, "built_at": long_ago.isoformat()}
            job.updated_at = long_ago
            db.session.commit()
            assert built_files.sweep().expired == 0
    finally:
        app.config["BUILT_FILES_KEEP_HOURS"] = 24
    assert on_disk(app, key_of(app, job_id) or "")


def test_files_left_by_a_worker_killed_mid_build_are_swept(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    make_conference(slug="ttf-9")
    job_id = built_by_the_worker(app, organizer_client, "ttf-9")
    folder = Path(app.config["FILES_FOLDER"])
    two_hours_ago = time.time() - 7200
    with app.app_context():
        upload = files.store(b"\xff\xd8 a delegate's photo", ".jpg")  # not built: never swept
    partial = folder / f"{files.PARTIAL}{built_files.PREFIX}0a1b.pdf"  # killed while writing
    partial.write_bytes(b"%PDF-1.4 half a sheet")
    orphan = folder / f"{built_files.PREFIX}0c2d.pdf"  # written, the job's commit never came
    orphan.write_bytes(b"%PDF-1.4 a sheet\n%%EOF")
    just_written = folder / f"{built_files.PREFIX}0e3f.pdf"  # its job may be committing now
    just_written.write_bytes(b"%PDF-1.4 a sheet\n%%EOF")
    kept = key_of(app, job_id) or ""
    for path in (partial, orphan, folder / upload, folder / kept):
        os.utime(path, (two_hours_ago, two_hours_ago))

    with app.app_context():
        assert built_files.sweep() == built_files.Swept(expired=0, orphans=2)
        assert not built_files.sweep()  # nothing more the second time
    assert [p.exists() for p in (partial, orphan)] == [False, False]
    assert [p.exists() for p in (just_written, folder / upload, folder / kept)] == [True] * 3
    just_written.unlink()


def test_a_stored_file_is_never_seen_half_written(app: Flask) -> None:
    with app.app_context():
        key = files.store(b"%PDF-1.4 whole\n%%EOF", ".pdf", prefix=built_files.PREFIX)
        assert files.read(key) == b"%PDF-1.4 whole\n%%EOF"
        files.erase(key)
    folder = Path(app.config["FILES_FOLDER"])
    assert not [p for p in folder.iterdir() if p.name.startswith(files.PARTIAL)]
