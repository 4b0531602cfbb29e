"""Organiser pages: a fan-out's progress bar, and its counts for the page's script."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue

from registration.accounts.access import organizers_only
from registration.database import db
from registration.jobs import services
from registration.jobs.models import Job

bp = organizers_only(Blueprint("jobs", __name__, url_prefix="/manage/mail/batches"))


@bp.route("/<job_id>")
def page(job_id: str) -> ResponseReturnValue:
    job = db.session.get(Job, job_id)
    progress = services.progress(job_id)
    if job is None and progress.total == 0:
        abort(404, "No such bulk send.")
    return render_template("jobs/progress.html", job_id=job_id, job=job, progress=progress)


@bp.route("/<job_id>/progress.json")
def progress(job_id: str) -> ResponseReturnValue:
    return services.progress(job_id).as_dict()
