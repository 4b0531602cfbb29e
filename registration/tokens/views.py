"""Each signed-in account's page of personal access tokens: create (shown once), revoke."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user, login_required

from registration.conferences.models import Conference
from registration.database import db
from registration.signup.models import FocalPoint
from registration.staff.models import StaffRole
from registration.tokens import services
from registration.tokens.forms import TokenForm
from registration.tokens.models import TokenScope

bp = Blueprint("tokens", __name__, url_prefix="/account/tokens")
bp.before_request(login_required(lambda: None))


def reachable_conferences() -> list[Conference]:
    """The conferences the signed-in account works on: all for an administrator, else those
    it is a focal point of or holds a staff role in."""
    query = db.select(Conference).order_by(Conference.starts_at.desc())
    if not current_user.is_administrator:
        focal = db.select(FocalPoint.conference_id).filter_by(user_id=current_user.id)
        staff = db.select(StaffRole.conference_id).filter_by(user_id=current_user.id)
        query = query.where(Conference.id.in_(focal.union(staff)))
    return list(db.session.scalars(query))


@bp.route("/", methods=["GET", "POST"])
def index() -> ResponseReturnValue:
    conferences = reachable_conferences()
    form = TokenForm()
    form.offer(conferences)
    created = None
    if form.validate_on_submit():
        chosen = None
        if form.reach.data == "some":
            wanted = set(form.conferences.data or [])
            chosen = [c for c in conferences if c.id in wanted]
        try:
            created = services.create(
                current_user._get_current_object(),
                name=form.name.data or "",
                scope=TokenScope(form.scope.data),
                days=form.days.data or 0,
                conferences=chosen,
            )
        except services.TokenError as error:
            form.form_errors.append(str(error))
        else:
            form = TokenForm(formdata=None)
            form.offer(conferences)
    page = render_template(
        "tokens/index.html",
        form=form,
        created=created,
        tokens=services.tokens_of(current_user.id),
    )
    return page, 200, {"Cache-Control": "no-store"}


@bp.post("/<int:token_id>/revoke")
def revoke(token_id: int) -> ResponseReturnValue:
    token = services.revoke(current_user.id, token_id)
    if token is None:
        abort(404)
    flash(
        gettext("The token “%(name)s” is revoked: it no longer works.", name=token.name),
        "success",
    )
    return redirect(url_for("tokens.index"))
