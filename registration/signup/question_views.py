"""The organiser's pages for a conference's own questions: the list, add, change, remove."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from registration.conferences import text_fields
from registration.conferences.models import Conference
from registration.conferences.services import conference_by_slug
from registration.conferences.text_fields import field_name, initial
from registration.database import db
from registration.i18n import ngettext, page_language
from registration.signup import questions
from registration.signup.answers import questions_of
from registration.signup.models import Question, QuestionAudience, QuestionKind, QuestionStage
from registration.signup.question_forms import QuestionForm, RemoveQuestionForm
from registration.signup.question_texts import choice_labels
from registration.staff.access import protect, requires
from registration.staff.roles import Permission

# Questions belong to the registration's setup: who edits the conference edits them.
bp = protect(
    Blueprint("questions_manage", __name__, url_prefix="/manage/conferences/<slug>/questions"),
    Permission.EDIT,
)


def _conference(slug: str) -> Conference:
    conference = conference_by_slug(slug)
    if conference is None:
        abort(404)
    return conference


def _question(conference: Conference, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.conference_id != conference.id:
        abort(404)
    return question


def _spec(form: QuestionForm) -> questions.QuestionSpec:
    return questions.QuestionSpec(
        label=form.main_text("label"),
        kind=QuestionKind(form.kind.data),
        help_text=form.main_text("help_text"),
        options=form.option_lines(),
        required=bool(form.required.data),
        audience=QuestionAudience(form.audience.data),
        stage=QuestionStage(form.stage.data),
        sensitive=bool(form.sensitive.data),
        language=form.main,
        translations=form.translations(),
    )


def _save(form: QuestionForm, conference: Conference, question: Question | None = None) -> bool:
    """Save what the form says; a refusal goes next to the field it concerns."""
    try:
        questions.save_question(conference.id, _spec(form), question)
    except questions.QuestionError as error:
        name = field_name(error.field, form.main) if error.field == "options" else error.field
        form[name].errors = [*form[name].errors, error.translated()]
        return False
    return True


def _label(form: QuestionForm) -> str:
    """The question as the organiser reads it: in the page's language if typed, else main."""
    return text_fields.main_text(form, "label", page_language()) or form.main_text("label")


@bp.route("/", methods=["GET", "POST"])
@requires(Permission.VIEW, change=Permission.EDIT)
def index(slug: str) -> ResponseReturnValue:
    """The conference's questions in order, and a form to add one."""
    conference = _conference(slug)
    form = QuestionForm(language=conference.language)
    if form.validate_on_submit() and _save(form, conference):
        flash(gettext("Question added: %(question)s", question=_label(form)), "success")
        return redirect(url_for(".index", slug=slug))
    return render_template(
        "signup/manage/questions.html",
        conference=conference,
        questions=questions_of(conference.id),
        choice_labels=choice_labels,
        form=form,
    ), 422 if form.errors else 200


@bp.route("/<int:question_id>", methods=["GET", "POST"])
@requires(Permission.VIEW, change=Permission.EDIT)
def edit(slug: str, question_id: int) -> ResponseReturnValue:
    conference = _conference(slug)
    question = _question(conference, question_id)
    form = QuestionForm(
        data={
            **initial(question, Question.TRANSLATED),
            "language": question.language,
            "kind": question.kind.value,
            "audience": question.audience.value,
            "stage": question.stage.value,
            "required": question.required,
            "sensitive": question.sensitive,
        }
    )
    if form.validate_on_submit() and _save(form, conference, question):
        flash(gettext("Question saved: %(question)s", question=_label(form)), "success")
        return redirect(url_for(".index", slug=slug))
    return render_template(
        "signup/manage/question_form.html",
        conference=conference,
        question=question,
        form=form,
        answers=questions.answer_count(question.id),
        delete_form=RemoveQuestionForm(formdata=None),
    ), 422 if form.errors else 200


@bp.post("/<int:question_id>/delete")
def delete(slug: str, question_id: int) -> ResponseReturnValue:
    conference = _conference(slug)
    question = _question(conference, question_id)
    form = RemoveQuestionForm()
    if not form.validate_on_submit():
        flash(gettext("Tick the box to confirm that the question and its answers go."), "error")
        return redirect(url_for(".edit", slug=slug, question_id=question.id))
    label = question.shown("label").text
    gone = questions.delete_question(question)
    flash(
        ngettext(
            "Question removed with its %(num)s answer: %(question)s",
            "Question removed with its %(num)s answers: %(question)s",
            gone,
            question=label,
        ),
        "success",
    )
    return redirect(url_for(".index", slug=slug))


@bp.post("/<int:question_id>/<any(up, down):direction>")
def move(slug: str, question_id: int, direction: str) -> ResponseReturnValue:
    conference = _conference(slug)
    questions.move_question(_question(conference, question_id), -1 if direction == "up" else 1)
    return redirect(url_for(".index", slug=slug) + f"#question-{question_id}")
