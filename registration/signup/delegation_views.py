"""A focal point's pages: their delegation's registrations, review, nominating delegates."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from registration.database import db
from registration.i18n import N_, page_language, translate
from registration.signup import bulk_pages, errors, lists, offer, services
from registration.signup.access import Delegation, focal_points_only, own_delegation_registration
from registration.signup.forms import BulkForm, RegistrationForm
from registration.signup.models import FocalPoint, Registration
from registration.signup.review import review_page

bp = focal_points_only(Blueprint("delegation", __name__, url_prefix="/delegation"))


@bp.route("/")
def conferences() -> ResponseReturnValue:
    """The conferences this account is a focal point for."""
    points = db.session.scalars(db.select(FocalPoint).filter_by(user_id=current_user.id)).all()
    return render_template("signup/delegation/conferences.html", points=points)


@bp.route("/<slug>/", methods=["GET", "POST"])
def index(slug: str) -> ResponseReturnValue:
    """The delegation's registrations; the bulk form acts on these only."""
    delegation: Delegation = g.delegation
    form = BulkForm()
    if form.validate_on_submit():
        job = bulk_pages.submit(form, delegation.conference, delegation.member_ids)
        if job is not None:
            return redirect(url_for(".bulk_result", slug=slug, job_id=job.id), 303)
    found = lists.filtered_registrations(
        delegation.conference.id, lists.RegistrationFilter(), delegation.member_ids
    )
    return render_template(
        "signup/delegation/index.html",
        delegation=delegation,
        conference=delegation.conference,
        registrations=found,
        counts=lists.counts_by_member(found, page_language()),
        form=form,
        ticked=set(bulk_pages.ticked()) if form.is_submitted() else set(),
    ), 422 if form.errors else 200


@bp.route("/<slug>/bulk/<job_id>")
def bulk_result(slug: str, job_id: str) -> ResponseReturnValue:
    conference = g.delegation.conference
    job = bulk_pages.job_of(conference, job_id, user_id=current_user.id)
    return bulk_pages.result_page(
        job,
        conference,
        url_for(".bulk_progress", slug=slug, job_id=job_id),
        back=url_for(".index", slug=slug),
    )


@bp.route("/<slug>/bulk/<job_id>/progress.json")
def bulk_progress(slug: str, job_id: str) -> ResponseReturnValue:
    job = bulk_pages.job_of(g.delegation.conference, job_id, user_id=current_user.id)
    return bulk_pages.progress_json(job)


@bp.route("/<slug>/registrations/<int:registration_id>", methods=["GET", "POST"])
@own_delegation_registration
def review(slug: str, registration: Registration) -> ResponseReturnValue:
    return review_page(registration, back=url_for("delegation.index", slug=slug))


@bp.route("/<slug>/register", methods=["GET", "POST"])
def register(slug: str) -> ResponseReturnValue:
    """Register a delegate of one of the focal point's members (approved if a place is free)."""
    delegation: Delegation = g.delegation
    conference = delegation.conference
    context = offer.signup_context(slug)
    if context is None or context.settings is None:
        abort(404, N_("Registration for this conference has not been set up."))
    form = RegistrationForm()
    form.offer(offer.modes_offered(conference), context.panels)
    form.offer_members(offer.member_choices(delegation.members))
    form.offer_languages(offer.language_choices(conference, context.host_country))
    form.mail_language.label.text = gettext("Language of our messages to the delegate")
    if form.validate_on_submit():
        try:
            registration = services.register(
                conference.id,
                services.applicant_from(form),
                registered_by=current_user._get_current_object(),
            )
        except errors.DuplicateRegistrationError as error:
            form.email.errors = [error.translated()]
        except errors.SignupError as error:
            form.form_errors.append(error.translated())
        else:
            flash(
                gettext(
                    "%(name)s is registered (%(status)s).",
                    name=registration.name,
                    status=translate(registration.status.label).lower(),
                ),
                "success",
            )
            return redirect(url_for("delegation.index", slug=slug))
    return render_template(
        "signup/delegation/register.html", conference=conference, form=form, delegation=delegation
    )
