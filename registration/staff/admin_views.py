"""The administrators' staff page: the two-factor rule for every staff account."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from registration.staff import policy
from registration.staff.access import protect
from registration.staff.forms import StaffPolicyForm
from registration.staff.roles import Permission

bp = protect(Blueprint("staff_admin", __name__, url_prefix="/manage/staff"), Permission.ADMINISTER)


@bp.route("/", methods=["GET", "POST"])
def index() -> ResponseReturnValue:
    current = policy.current()
    form = StaffPolicyForm(obj=current)
    if form.validate_on_submit():
        policy.require_two_factor(bool(form.two_factor_required.data))
        flash("Saved.", "success")
        return redirect(url_for(".index"))
    return render_template("staff/admin.html", form=form, staff=policy.staff_accounts())


@bp.post("/<int:user_id>/deactivate")
def deactivate(user_id: int) -> ResponseReturnValue:
    email = policy.deactivate(user_id)
    if email is None:
        abort(404)
    flash(f"{email} can no longer sign in; its sign-ins have ended.", "success")
    return redirect(url_for(".index"))
