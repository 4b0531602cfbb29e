"""Organiser pages: a fan-out's progress bar, and its counts for the page's script."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from flask.typing import ResponseReturnValue

from registration import files
from registration.database import db
from registration.downloads import download
from registration.jobs import services
from registration.jobs.models import Job
from registration.staff.access import protect
from registration.staff.roles import Permission


def _job_conference(view_args: dict[str, object]) -> int | None:
    """A fan-out belongs to the conference it was made for (None: site-wide)."""
    return db.session.scalar(db.select(Job.conference_id).filter_by(id=view_args.get("job_id")))


# A conference's organisers follow its bulk sends; site-wide ones are the administrators'.
bp = protect(
    Blueprint("jobs", __name__, url_prefix="/manage/mail/batches"),
    Permission.EDIT,
    conference_of=_job_conference,
)


@bp.route("/<job_id>")
def page(job_id: str) -> ResponseReturnValue:
    job = db.session.get(Job, job_id)
    progress = services.progress(job_id)
    if job is None and progress.total == 0:
        abort(404, "No such bulk send.")
    return render_template("jobs/progress.html", job_id=job_id, job=job, progress=progress)


@bp.route("/<job_id>/progress.json")
def progress(job_id: str) -> ResponseReturnValue:
    counts: dict[str, object] = {**services.progress(job_id).as_dict()}
    job = db.session.get(Job, job_id)
    if job is not None and job.subject.get("file"):
        counts["download"] = url_for("jobs.download_file", job_id=job_id)
    return counts


@bp.route("/<job_id>/download")
def download_file(job_id: str) -> ResponseReturnValue:
    """The file a job built (the badges PDF...), once it is there."""
    job = db.session.get(Job, job_id)
    if job is None or not job.subject.get("file"):
        abort(404, "No file for this job (yet).")
    subject = job.subject
    try:
        content = files.read(subject["file"])
    except FileNotFoundError:
        abort(404, "The file is gone.")
    return download(content, subject["mimetype"], subject["filename"])
