"""The person's answers to the conference's own questions, from their mailed link: the
questions of the form, and once approved the follow-up questions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from registration.conferences.models import ConferenceStatus
from registration.conferences.services import conference_by_slug
from registration.signup import answers, errors, links, question_fields
from registration.signup.models import Registration
from registration.signup.question_forms import AnswersForm

bp = Blueprint("signup_answers", __name__)


def _registration(slug: str, token: str) -> Registration | None:
    conference = conference_by_slug(slug)
    if conference is None or conference.status is not ConferenceStatus.PUBLISHED:
        abort(404)
    try:
        registration = links.registration_for_token(token)
    except errors.LinkInvalidError as error:
        flash(error.translated(), "error")
        return None
    if registration.conference_id != conference.id:
        abort(404)
    return registration


@bp.route("/conferences/<slug>/registration/<token>/answers", methods=["GET", "POST"])
def answers_page(slug: str, token: str) -> ResponseReturnValue:
    registration = _registration(slug, token)
    if registration is None:
        return redirect(url_for("signup.resend", slug=slug))
    questions = answers.questions_for(registration) if registration.is_active else []
    if not questions:
        return redirect(url_for("signup.manage", slug=slug, token=token))
    stored = answers.answers_of(registration.id)
    on_record = answers.files_on_record(questions, stored)
    form = question_fields.form_class(AnswersForm, questions)(
        mode=registration.mode,
        files_on_record=set(on_record),
        data=question_fields.stored_values(questions, stored),
    )
    question_fields.offer_choices(form, questions)
    if form.validate_on_submit():
        given = question_fields.answers_from(form, questions, registration.mode)
        answers.record_answers(registration, given)
        flash(gettext("Thank you: your answers are saved."), "success")
        return redirect(url_for("signup.manage", slug=slug, token=token))
    question_fields.keep_uploads(form, questions)
    return render_template(
        "signup/answers.html",
        conference=registration.conference,
        registration=registration,
        token=token,
        form=form,
        questions=question_fields.question_fields(form, questions),
        on_record=on_record,
    ), 422 if form.errors else 200
