"""Files that jobs build (badges sheets, participant lists): kept with their job and the
registrations they name, removed when one of those people erases their own data, when they
are older than BUILT_FILES_KEEP_HOURS, or when no job points to them (a worker killed while
building).

A built file's key starts with `built-`, so the sweep tells it from the personal files that
share `FILES_FOLDER` (answers, photos) and never touches those. A job whose file went keeps
why in its subject (`file_removed`), so its page says so instead of offering a download.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import ColumnElement

from registration import files
from registration.database import db, utcnow
from registration.jobs.models import Job

log = logging.getLogger(__name__)

PREFIX = "built-"
EXPIRED = "expired"
ERASED = "erased"
# A file is written and its job committed within moments: one without a job this long after
# it was written (or a partial one) was left by a worker that died.
ORPHAN_AFTER_SECONDS = 3600


def keep(job: Job, content: bytes, extension: str, people: Iterable[int]) -> str:
    """Store the file and link it to the job with the ids of the registrations it names (so
    their erasure finds it); returns its key. Does not commit."""
    key = files.store(content, extension, prefix=PREFIX)
    job.subject = {
        **job.subject,
        "file": key,
        "people": sorted(set(people)),
        "built_at": utcnow().isoformat(),
    }
    return key


def removed_because(job: Job) -> str:
    """Why the job's file is no longer offered: EXPIRED, ERASED, or "" (never removed)."""
    return str(job.subject.get("file_removed", ""))


def _with_files(*where: ColumnElement[bool]) -> list[Job]:
    query = db.select(Job).where(Job.subject["file"].as_string().is_not(None), *where)
    return [job for job in db.session.scalars(query) if job.subject.get("file")]


def _unlink(jobs: Iterable[Job], reason: str) -> list[str]:
    """Take the file off each job (noting why); returns the keys, to erase after commit."""
    keys = []
    for job in jobs:
        keys.append(job.subject["file"])
        kept = {k: v for k, v in job.subject.items() if k not in ("file", "people")}
        job.subject = {**kept, "file_removed": reason}
    return keys


def forget_conference(conference_id: int) -> list[str]:
    """Unlink every file the conference's jobs built (its personal data is erased); returns
    their keys, for the caller to erase once it commits. Does not commit."""
    return _unlink(_with_files(Job.conference_id == conference_id), ERASED)


def forget_person(conference_id: int, registration_id: int) -> list[str]:
    """Unlink the conference's built files that name this registration (and those built
    before files listed whom they name: they may); returns their keys, for the caller to
    erase once it commits. Does not commit."""
    naming = [
        job
        for job in _with_files(Job.conference_id == conference_id)
        if "people" not in job.subject or registration_id in job.subject["people"]
    ]
    return _unlink(naming, ERASED)


def erase(keys: Iterable[str]) -> None:
    """Delete the files of `forget_*`'s keys (after the commit that unlinked them)."""
    for key in keys:
        files.erase(key)


@dataclass(frozen=True)
class Swept:
    expired: int
    orphans: int

    def __bool__(self) -> bool:
        return bool(self.expired or self.orphans)


def _expired(now: datetime) -> list[Job]:
    hours = current_app.config["BUILT_FILES_KEEP_HOURS"]
    if hours <= 0:
        return []
    cutoff = now - timedelta(hours=hours)
    return [job for job in _with_files(Job.updated_at < cutoff) if _built_at(job) < cutoff]


def _built_at(job: Job) -> datetime:
    """When the file was built (files built before this was noted: when the job finished)."""
    noted = job.subject.get("built_at")
    return datetime.fromisoformat(noted) if noted else job.finished_at or job.updated_at


def _old_built(folder: Path, before: float) -> list[Path]:
    """Built and partial files in `folder` last written before `before` (a timestamp)."""
    found = []
    for path in folder.iterdir():
        if not path.name.startswith((PREFIX, files.PARTIAL)):
            continue
        try:
            if path.is_file() and path.stat().st_mtime < before:
                found.append(path)
        except FileNotFoundError:
            continue
    return found


def sweep(now: datetime | None = None) -> Swept:
    """Beat: remove built files past BUILT_FILES_KEEP_HOURS (their jobs say so), then the
    files left by workers killed mid-build. Commits; safe to run twice or concurrently."""
    started = time.time()
    keys = _unlink(_expired(now or utcnow()), EXPIRED)
    db.session.commit()
    erase(keys)
    folder = Path(current_app.config["FILES_FOLDER"])
    if not folder.is_dir():
        return Swept(len(keys), 0)
    listed = _old_built(folder, started - ORPHAN_AFTER_SECONDS)  # before reading the jobs
    referenced = {job.subject["file"] for job in _with_files()}
    orphans = [path for path in listed if path.name not in referenced]
    for path in orphans:
        path.unlink(missing_ok=True)
    if keys or orphans:
        log.info("built files removed: %d expired, %d orphaned", len(keys), len(orphans))
    return Swept(len(keys), len(orphans))
