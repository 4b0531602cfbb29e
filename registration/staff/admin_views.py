"""The administrators' staff page: the two-factor rule, and every staff account
(deactivate, reactivate, send the invitation again)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from registration.i18n import N_
from registration.staff import account_admin, policy
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
        flash(gettext("Saved."), "success")
        return redirect(url_for(".index"))
    return render_template(
        "staff/admin.html",
        form=form,
        staff=account_admin.staff_accounts(),
        awaits_password=account_admin.awaits_password,
    )


DONE = {
    "deactivate": (
        account_admin.deactivate,
        N_("%(email)s can no longer sign in; its sign-ins have ended."),
    ),
    "reactivate": (account_admin.reactivate, N_("%(email)s can sign in again.")),
    "invite": (
        account_admin.invite_again,
        N_("A new link to choose a password is on its way to %(email)s."),
    ),
}


@bp.post("/<int:user_id>/<any(deactivate, reactivate, invite):action>")
def account_action(user_id: int, action: str) -> ResponseReturnValue:
    operation, done = DONE[action]
    try:
        email = operation(user_id)
    except account_admin.AccountAdminError as error:
        flash(str(error), "error")
        return redirect(url_for(".index"))
    if email is None:
        abort(404)
    flash(gettext(done, email=email), "success")
    return redirect(url_for(".index"))
