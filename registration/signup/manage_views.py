"""The secretariat's registration pages: settings, the list with review and export, focal points."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from registration.conferences.models import Conference
from registration.conferences.services import conference_by_slug
from registration.database import db
from registration.directory.countries import country_choices
from registration.directory.models import Member
from registration.directory.services import member_name, members_by_name
from registration.downloads import download
from registration.i18n import ngettext, page_language
from registration.signup import (
    affiliation,
    answers,
    bulk_pages,
    errors,
    export,
    focal_points,
    lists,
    offer,
    services,
)
from registration.signup.affiliation_form import InstitutionLinkForm
from registration.signup.forms import BulkForm, FocalPointForm, SettingsForm, panel_choices
from registration.signup.models import (
    AttendanceMode,
    Question,
    QuestionKind,
    Registration,
    RegistrationStatus,
)
from registration.signup.question_texts import choice_labels
from registration.signup.review import review_page
from registration.staff.access import protect, requires
from registration.staff.roles import Permission
from registration.web import personal_file_response

bp = protect(
    Blueprint("signup_manage", __name__, url_prefix="/manage/conferences"), Permission.EDIT
)


def _conference(slug: str) -> Conference:
    conference = conference_by_slug(slug)
    if conference is None:
        abort(404)
    return conference


def _local_naive(conference: Conference, instant: datetime) -> datetime:
    return instant.astimezone(conference.zone).replace(tzinfo=None)


@bp.route("/<slug>/registration/settings", methods=["GET", "POST"])
def settings(slug: str) -> ResponseReturnValue:
    conference = _conference(slug)
    current = offer.settings_for(conference.id)
    if current is None:
        defaults = {"approval_required": True, "panels": []}
    else:
        defaults = {
            "opens_at": _local_naive(conference, current.opens_at),
            "closes_at": _local_naive(conference, current.closes_at),
            "approval_required": current.approval_required,
            "in_person_capacity": current.in_person_capacity,
            "delegation_in_person_quota": current.delegation_in_person_quota,
            "delegation_total_quota": current.delegation_total_quota,
            "panels": sorted(current.panel_ids),
        }
    form = SettingsForm(**defaults)
    form.panels.choices = panel_choices(conference.panels)
    if form.validate_on_submit():
        opens_at, closes_at = form.opens_at.data, form.closes_at.data
        if opens_at is None or closes_at is None:
            abort(400)
        promoting = services.save_settings(
            conference,
            opens_at=opens_at.replace(tzinfo=conference.zone),
            closes_at=closes_at.replace(tzinfo=conference.zone),
            approval_required=bool(form.approval_required.data),
            in_person_capacity=form.in_person_capacity.data,
            delegation_in_person_quota=form.delegation_in_person_quota.data,
            delegation_total_quota=form.delegation_total_quota.data,
            panel_ids=list(form.panels.data or []),
        )
        flash(gettext("Registration settings saved."), "success")
        if promoting is not None:
            waiting = promoting.subject["waiting"]
            flash(
                ngettext(
                    "Promoting who fits from the %(num)s person on the waiting list.",
                    "Promoting who fits from the %(num)s people on the waiting list.",
                    waiting,
                ),
                "info",
            )
            return redirect(url_for("jobs.page", job_id=promoting.id))
        return redirect(url_for("signup_manage.settings", slug=slug))
    return render_template("signup/manage/settings.html", conference=conference, form=form)


def current_filter(questions: list[Question] | None = None) -> lists.RegistrationFilter:
    """The filter in the query string (`lists.filter_from`)."""
    return lists.filter_from(request.args, questions or [])


def answer_filters(questions: list[Question]) -> list[tuple[Question, list[tuple[str, Any]]]]:
    """The questions the list filters by, each with its (value, label) choices in the page's
    language (a choice's label, a `Shown`, says which it is in)."""
    found = []
    for question in questions:
        if question.kind is QuestionKind.COUNTRY:
            found.append((question, list(country_choices(page_language()))))
        elif question.kind is QuestionKind.YES_NO:
            found.append((question, [("yes", gettext("Yes")), ("no", gettext("No"))]))
        elif question.kind.has_options:
            found.append((question, choice_labels(question)))
    return found


def filter_choices(conference: Conference, questions: list[Question]) -> dict[str, object]:
    members = db.session.scalars(
        db.select(Member)
        .join(Registration, Registration.member_id == Member.id)
        .where(Registration.conference_id == conference.id)
        .distinct()
    ).all()
    return {
        "members": members_by_name(members, page_language()),
        "statuses": list(RegistrationStatus),
        "modes": list(AttendanceMode),
        "panels": conference.panels,
        "questions": answer_filters(questions),
        # The filter as the export links repeat it; names the links set themselves left out.
        "args": {k: v for k, v in request.args.items() if k not in {"kind", "slug", "sensitive"}},
    }


@bp.route("/<slug>/registrations", methods=["GET", "POST"])
@requires(Permission.READ_REGISTRATIONS, change=Permission.DECIDE)
def registrations(slug: str) -> ResponseReturnValue:
    """The filtered list; its bulk form (POST) starts a job and goes to its progress."""
    conference = _conference(slug)
    form = BulkForm()
    if form.validate_on_submit():
        job = bulk_pages.submit(form, conference, member_ids=None)
        if job is not None:
            return redirect(url_for(".bulk_result", slug=slug, job_id=job.id), 303)
    questions = answers.questions_of(conference.id)
    found = lists.filtered_registrations(conference.id, current_filter(questions))
    return render_template(
        "signup/manage/registrations.html",
        conference=conference,
        registrations=found,
        counts=lists.counts_by_member(found, page_language()),
        choices=filter_choices(conference, questions),
        settings=offer.settings_for(conference.id),
        has_sensitive=any(q.sensitive for q in questions),
        form=form,
        ticked=set(bulk_pages.ticked()) if form.is_submitted() else set(),
    ), 422 if form.errors else 200


@bp.route("/<slug>/registrations/bulk/<job_id>")
@requires(Permission.READ_REGISTRATIONS)
def bulk_result(slug: str, job_id: str) -> ResponseReturnValue:
    conference = _conference(slug)
    job = bulk_pages.job_of(conference, job_id)
    return bulk_pages.result_page(
        job,
        conference,
        url_for(".bulk_progress", slug=slug, job_id=job_id),
        back=url_for(".registrations", slug=slug),
    )


@bp.route("/<slug>/registrations/bulk/<job_id>/progress.json")
@requires(Permission.READ_REGISTRATIONS)
def bulk_progress(slug: str, job_id: str) -> ResponseReturnValue:
    return bulk_pages.progress_json(bulk_pages.job_of(_conference(slug), job_id))


@bp.route("/<slug>/registrations.<any(csv, xlsx):kind>")
@requires(Permission.EXPORT)
def export_registrations(slug: str, kind: str) -> ResponseReturnValue:
    conference = _conference(slug)
    questions = answers.questions_of(conference.id)
    found = lists.filtered_registrations(conference.id, current_filter(questions))
    # Sensitive answers (passport data) only by the link that asks for them.
    columns = answers.visible(questions, sensitive=request.args.get("sensitive") == "1")
    body, mimetype = export.registrations_file(conference.id, found, kind, columns, page_language())
    return download(body, mimetype, f"{conference.slug}-registrations.{kind}")


@bp.route("/<slug>/registrations/<int:registration_id>", methods=["GET", "POST"])
@requires(Permission.READ_REGISTRATIONS, change=Permission.DECIDE)
def review(slug: str, registration_id: int) -> ResponseReturnValue:
    conference = _conference(slug)
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.conference_id != conference.id:
        abort(404)
    return review_page(
        registration, back=url_for("signup_manage.registrations", slug=slug), organiser=True
    )


@bp.route("/<slug>/registrations/<int:registration_id>/institution", methods=["POST"])
def link_institution(slug: str, registration_id: int) -> ResponseReturnValue:
    """Link the registration to a known institution, none, or a new one of the typed name."""
    conference = _conference(slug)
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.conference_id != conference.id:
        abort(404)
    form = InstitutionLinkForm(registration)
    if request.form.get("add") and registration.institution.strip():
        institution = affiliation.add_as_institution(registration)
        flash(gettext("Linked to %(name)s.", name=institution.shown("name").text), "success")
    elif form.validate_on_submit():
        affiliation.link(registration, form.chosen_id)
        flash(gettext("The institution is saved."), "success")
    else:
        flash(gettext("Choose one of the known institutions."), "error")
    return redirect(url_for("signup_manage.review", slug=slug, registration_id=registration_id))


@bp.route("/<slug>/registrations/<int:registration_id>/answers/<int:question_id>/file")
@requires(Permission.READ_REGISTRATIONS)
def answer_file(slug: str, registration_id: int, question_id: int) -> ResponseReturnValue:
    """A file a registrant gave as an answer, for organisers only; always a download."""
    conference = _conference(slug)
    answer = answers.answers_of(registration_id).get(question_id)
    if answer is None or answer.file is None or answer.question.conference_id != conference.id:
        abort(404)
    return personal_file_response(answer.file)


@bp.route("/<slug>/registration/focal-points", methods=["GET", "POST"])
@requires(Permission.VIEW, change=Permission.EDIT)
def focal_points_page(slug: str) -> ResponseReturnValue:
    conference = _conference(slug)
    form = FocalPointForm()
    form.offer_members(offer.member_choices())
    if form.validate_on_submit():
        member = db.session.get(Member, int(form.member.data))
        if member is None:
            abort(400)
        try:
            point = focal_points.assign(
                conference,
                email=form.email.data or "",
                name=form.name.data or "",
                member=member,
                language=form.language.data or "en",
            )
        except errors.SignupError as error:
            form.email.errors = [error.translated()]
        else:
            flash(
                gettext(
                    "%(email)s is now a focal point of %(member)s.",
                    email=point.user.email,
                    member=member_name(member, page_language()),
                ),
                "success",
            )
            return redirect(url_for("signup_manage.focal_points_page", slug=slug))
    return render_template(
        "signup/manage/focal_points.html",
        conference=conference,
        form=form,
        points=focal_points.focal_points(conference.id, page_language()),
    )


@bp.route("/<slug>/registration/focal-points/<int:point_id>/remove", methods=["POST"])
def remove_focal_point(slug: str, point_id: int) -> ResponseReturnValue:
    conference = _conference(slug)
    focal_points.remove(conference.id, point_id)
    flash(gettext("Focal point removed."), "success")
    return redirect(url_for("signup_manage.focal_points_page", slug=slug))
