"""The secretariat's "Personal data" page of a conference: when it goes, and what."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from registration.conferences.services import conference_by_slug
from registration.retention import erasure, services
from registration.retention.forms import RetentionForm
from registration.staff.access import protect
from registration.staff.roles import Permission

bp = protect(Blueprint("retention", __name__, url_prefix="/manage/conferences"), Permission.EDIT)


@bp.route("/<slug>/personal-data", methods=["GET", "POST"])
def personal_data(slug: str) -> ResponseReturnValue:
    conference = conference_by_slug(slug)
    if conference is None:
        abort(404)
    form = RetentionForm(months=conference.erase_personal_data_months)
    if form.validate_on_submit():
        services.set_months(conference, form.months.data)
        flash(gettext("Retention period saved."), "success")
        return redirect(url_for("retention.personal_data", slug=slug))
    return render_template(
        "retention/personal_data.html",
        conference=conference,
        form=form,
        default_months=services.default_months(),
        due_at=services.due_at(conference),
        held=erasure.held(conference.id),
    )
