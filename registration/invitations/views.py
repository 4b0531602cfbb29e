"""Organiser pages for invitations, and the invitee's decline page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from markupsafe import escape
from wtforms import SelectChoice

from registration.conferences.models import Conference, Panel
from registration.database import db
from registration.directory.models import Member
from registration.directory.services import member_name, members_by_name
from registration.i18n import N_, format_number, ngettext, page_language
from registration.invitations import services
from registration.invitations.forms import InviteListForm, InviteOneForm
from registration.invitations.models import InvitationStatus
from registration.staff.access import protect
from registration.staff.roles import Permission
from registration.uploads import UploadError, read_text

bp = protect(
    Blueprint("invitations", __name__, url_prefix="/manage/conferences/<slug>/invitations"),
    Permission.EDIT,
)
public = Blueprint("invitation_answers", __name__, url_prefix="/invitations")


def _conference(slug: str) -> Conference:
    return db.first_or_404(db.select(Conference).filter_by(slug=slug))


def _forms(conference: Conference) -> tuple[InviteOneForm, InviteListForm]:
    one, many = InviteOneForm(prefix="one"), InviteListForm(prefix="list")
    # A title shown in another language than the page's carries its lang (WCAG 3.1.2).
    panel_choices = [SelectChoice(p.id, escape(p.shown("title"))) for p in conference.panels]  # type: ignore[arg-type]
    one.panels.choices = many.panels.choices = panel_choices
    language = page_language()
    members = members_by_name(db.session.scalars(db.select(Member)), language)
    one.member.choices = [SelectChoice("", "—")] + [
        SelectChoice(m.code, member_name(m, language)) for m in members
    ]
    return one, many


def _chosen_panels(conference: Conference, ids: list[int] | None) -> list[Panel]:
    return [p for p in conference.panels if p.id in set(ids or [])]


def _page(conference: Conference, one: InviteOneForm, many: InviteListForm, code: int = 200):
    return render_template(
        "invitations/index.html",
        conference=conference,
        one=one,
        many=many,
        counts=services.status_counts(conference.id),
        invitations=services.invitations_of(conference.id),
        statuses=list(InvitationStatus),
        role_words=services.role_words(),
    ), code


@bp.route("/")
def index(slug: str) -> ResponseReturnValue:
    conference = _conference(slug)
    return _page(conference, *_forms(conference))


@bp.post("/one")
def invite_one(slug: str) -> ResponseReturnValue:
    conference = _conference(slug)
    one, many = _forms(conference)
    if not one.validate_on_submit():
        return _page(conference, one, many, 422)
    try:
        invitee = services.read_invitee(
            one.name.data or "", one.email.data or "", one.member.data or "", one.role.data
        )
    except services.InviteeError as error:
        one.email.errors = [*one.email.errors, error.translated()]
        return _page(conference, one, many, 422)
    outcome = services.invite(conference, [invitee], _chosen_panels(conference, one.panels.data))
    if outcome.already_invited:
        one.email.errors = [
            *one.email.errors,
            _("%(email)s is already invited.", email=invitee.email),
        ]
        return _page(conference, one, many, 422)
    flash(_("Invitation to %(email)s is being sent.", email=invitee.email), "success")
    return redirect(url_for("invitations.index", slug=slug))


@bp.post("/list")
def invite_list(slug: str) -> ResponseReturnValue:
    conference = _conference(slug)
    one, many = _forms(conference)
    if not many.validate_on_submit():
        return _page(conference, one, many, 422)
    text, field, encoding = many.people.data or "", many.people, None
    if many.upload.data:
        try:
            upload = read_text(many.upload.data.read())
        except UploadError as error:
            many.upload.errors = [error.translated()]
            return _page(conference, one, many, 422)
        text, field, encoding = upload.content, many.upload, upload.encoding
    if not text.strip():
        many.people.errors = [_("Paste at least one line, or choose a CSV file.")]
        return _page(conference, one, many, 422)
    try:
        invitees = services.parse_invitees(text)
    except services.InviteeListError as error:
        field.errors = [problem.translated() for problem in error.problems[:20]]
        if len(error.problems) > 20:
            more = len(error.problems) - 20
            field.errors.append(
                ngettext("… and %(num)s more line", "… and %(num)s more lines", more)
            )
        return _page(conference, one, many, 422)
    outcome = services.invite(conference, invitees, _chosen_panels(conference, many.panels.data))
    if outcome.already_invited:
        flash(
            _(
                "%(count)s already invited, skipped.",
                count=format_number(len(outcome.already_invited)),
            ),
            "info",
        )
    if outcome.job is None:
        return redirect(url_for("invitations.index", slug=slug))
    sending = ngettext(
        "%(num)s invitation is being sent in the background.",
        "%(num)s invitations are being sent in the background.",
        outcome.created,
    )
    if encoding is not None:
        sending += " " + _("The file was read as %(encoding)s.", encoding=encoding)
    flash(sending, "success")
    return redirect(url_for("jobs.page", job_id=outcome.job.id))


@bp.post("/remind")
def remind(slug: str) -> ResponseReturnValue:
    conference = _conference(slug)
    job = services.remind_pending(conference)
    if job is None:
        flash(_("Nobody is pending: there is no one to remind."), "info")
        return redirect(url_for("invitations.index", slug=slug))
    flash(_("Reminders are being sent in the background."), "success")
    return redirect(url_for("jobs.page", job_id=job.id))


@public.route("/<token>/decline", methods=["GET", "POST"])
def decline(token: str) -> ResponseReturnValue:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        abort(404, N_("This invitation link is not valid."))
    if request.method == "POST":
        services.decline(invitation)
    return render_template("invitations/decline.html", invitation=invitation)
