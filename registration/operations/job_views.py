"""Organiser pages: a fan-out's progress bar, and its counts for the page's script."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from registration import files
from registration.database import db
from registration.downloads import download
from registration.i18n import N_
from registration.jobs import services
from registration.jobs.models import Job
from registration.operations import job_wording
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
        abort(404, N_("No such bulk send."))
    return render_template(
        "jobs/progress.html",
        job_id=job_id,
        job=job,
        progress=progress,
        family=job_wording.family(job),
        words=job_wording.wording(job, progress),
    )


@bp.route("/<job_id>/progress.json")
def progress(job_id: str) -> ResponseReturnValue:
    found = services.progress(job_id)
    job = db.session.get(Job, job_id)
    words = job_wording.wording(job, found)
    counts: dict[str, object] = {
        **found.as_dict(),
        "summary": words.summary,
        "state": words.state,
        "job_failed": words.failed,
    }
    if words.failed:
        counts["finished"] = True  # it stopped: the page says why
    if job is not None and job.subject.get("file"):
        counts["download"] = url_for("jobs.download_file", job_id=job_id)
    return counts


@bp.route("/<job_id>/again", methods=["POST"])
def run_again(job_id: str) -> ResponseReturnValue:
    """Run a failed job again (its handler skips what it did)."""
    job = db.session.get(Job, job_id)
    if job is None:
        abort(404, N_("No such job."))
    if services.again_after_failure(job_id):
        flash(gettext("The job runs again."), "success")
    return redirect(url_for("jobs.page", job_id=job_id))


@bp.route("/<job_id>/download")
def download_file(job_id: str) -> ResponseReturnValue:
    """The file a job built (the badges PDF...), once it is there."""
    job = db.session.get(Job, job_id)
    if job is None or not job.subject.get("file"):
        abort(404, N_("No file for this job (yet)."))
    subject = job.subject
    try:
        content = files.read(subject["file"])
    except FileNotFoundError:
        abort(404, N_("The file is gone."))
    return download(content, subject["mimetype"], subject["filename"])
