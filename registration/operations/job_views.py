"""Organiser pages: a fan-out's progress bar, and its counts for the page's script."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue

from registration.database import db
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
    return services.progress(job_id).as_dict()
