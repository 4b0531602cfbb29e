"""The bulk form under a list of registrations and the page that follows its job, shared by
the secretariat's list and a focal point's delegation page."""

from __future__ import annotations

from collections.abc import Mapping

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from registration.conferences.models import Conference
from registration.database import db, parse_id
from registration.jobs.models import Job
from registration.signup import bulk
from registration.signup.errors import SignupError
from registration.signup.forms import BulkForm

# The list's filter as a job keeps it (`lists.filter_from` reads these).
FILTER_NAMES = frozenset({"member", "status", "mode", "panel"})


def ticked() -> list[int]:
    """The registrations ticked in the list (ids; anything else is ignored)."""
    found = (parse_id(value) for value in request.form.getlist("registration")[:100_000])
    return sorted({i for i in found if i is not None})


def filter_args(args: Mapping[str, str]) -> dict[str, str]:
    return {
        name: value[:300]
        for name, value in args.items()
        if name in FILTER_NAMES or (name[:1] == "q" and name[1:].isdigit())
    }


def submit(form: BulkForm, conference: Conference, member_ids: set[int] | None) -> Job | None:
    """Start the job the valid form asks for; None (with the error on the form) if refused."""
    action = bulk.BulkAction(
        form.action.data or "",
        reason=form.reason.data or "",
        subject=form.message_subject.data or "",
        body=form.body.data or "",
    )
    ids = ticked() if form.scope.data == "selected" else None
    selection = bulk.Selection(ids, filter_args(request.args))
    try:
        return bulk.start(
            conference,
            action,
            selection,
            user=current_user._get_current_object(),
            member_ids=member_ids,
        )
    except SignupError as error:
        form.scope.errors = [error.translated()]
        return None


def job_of(conference: Conference, job_id: str, *, user_id: int | None = None) -> Job:
    """The conference's bulk job (a focal point's own only), else 404."""
    job = db.session.get(Job, job_id)
    if job is None or job.kind != bulk.BULK or job.conference_id != conference.id:
        abort(404)
    if user_id is not None and job.subject.get("user_id") != user_id:
        abort(404)
    return job


def result_page(job: Job, conference: Conference, progress_url: str, back: str) -> str:
    return render_template(
        "signup/bulk_result.html",
        job=job,
        conference=conference,
        progress=bulk.progress(job),
        progress_url=progress_url,
        back=back,
    )


def progress_json(job: Job) -> ResponseReturnValue:
    return bulk.progress(job).as_dict()
