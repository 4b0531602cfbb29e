"""Staff pages of a conference: who holds which role, granting and removing roles."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from registration.conferences import staff_roles as services
from registration.conferences.models import Conference
from registration.database import db
from registration.i18n import translate
from registration.staff.access import protect
from registration.staff.forms import GrantRoleForm
from registration.staff.roles import Permission, Role

bp = protect(
    Blueprint("staff", __name__, url_prefix="/manage/conferences/<slug>/staff"),
    Permission.MANAGE_STAFF,
)


def _conference(slug: str) -> Conference:
    conference = db.session.scalar(db.select(Conference).filter_by(slug=slug))
    if conference is None:
        abort(404)
    return conference


@bp.route("/", methods=["GET", "POST"])
def index(slug: str) -> ResponseReturnValue:
    conference = _conference(slug)
    form = GrantRoleForm()
    if form.validate_on_submit():
        try:
            held = services.grant(
                conference,
                email=form.email.data or "",
                name=form.name.data or "",
                role=Role(form.role.data),
                granted_by=current_user.id,
                language=form.language.data or "en",
            )
        except services.StaffError as error:
            form.email.errors = [str(error)]
        else:
            flash(
                gettext(
                    "%(email)s is now %(role)s.",
                    email=held.user.email,
                    role=translate(held.role.label).lower(),
                ),
                "success",
            )
            return redirect(url_for(".index", slug=slug))
    status = 422 if form.errors else 200
    return render_template(
        "staff/index.html",
        conference=conference,
        form=form,
        roles=services.staff_of(conference.id),
        roles_offered=list(Role),
    ), status


@bp.post("/<int:role_id>/remove")
def remove(slug: str, role_id: int) -> ResponseReturnValue:
    conference = _conference(slug)
    email = services.remove(conference.id, role_id)
    if email is None:
        abort(404)
    flash(gettext("%(email)s no longer holds a role here.", email=email), "success")
    return redirect(url_for(".index", slug=slug))
