"""Approving or rejecting one registration: the same page for the secretariat and focal points."""

from __future__ import annotations

from flask import flash, redirect, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from registration.audit.describe import action_words
from registration.audit.queries import registration_history
from registration.i18n import translate
from registration.signup import answers, errors, services
from registration.signup.affiliation_form import InstitutionLinkForm
from registration.signup.forms import DecisionForm
from registration.signup.models import Answer, Question, Registration
from registration.stored_text import Shown


def review_page(
    registration: Registration, back: str, *, organiser: bool = False
) -> ResponseReturnValue:
    """Show the decision form; on a valid decision apply it and go back to the list.

    Sensitive answers (passport data) and files are shown to organisers only, never to a
    focal point."""
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            services.decide(
                registration, approve=form.decision.data == "approve", reason=form.reason.data or ""
            )
        except errors.SignupError as error:
            form.form_errors.append(error.translated())
        else:
            status = translate(registration.status.label).lower()
            flash(
                gettext("%(name)s: %(status)s.", name=registration.name, status=status), "success"
            )
            return redirect(back)
    return render_template(
        "signup/review.html",
        conference=registration.conference,
        registration=registration,
        form=form,
        back=back,
        history=registration_history(registration.id),
        action_words=action_words,
        organiser=organiser,
        answers=answer_rows(registration, sensitive=organiser),
        institution_form=InstitutionLinkForm(registration) if organiser else None,
        typed_institution=Shown(registration.institution, registration.institution_language),
    )


def answer_rows(
    registration: Registration, *, sensitive: bool
) -> list[tuple[Question, Shown, Answer | None]]:
    """(question, the answer in the page's language, the answer) for each question the viewer
    may see."""
    given = answers.answers_of(registration.id)
    asked = [
        q for q in answers.questions_of(registration.conference_id) if q.asked_of(registration.mode)
    ]
    return [
        (q, answers.shown(given.get(q.id), q), given.get(q.id))
        for q in answers.visible(asked, sensitive=sensitive)
    ]
