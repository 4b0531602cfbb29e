"""Approving or rejecting one registration: the same page for the secretariat and focal points."""

from __future__ import annotations

from flask import flash, redirect, render_template
from flask.typing import ResponseReturnValue

from registration.audit.describe import action_words
from registration.audit.queries import registration_history
from registration.signup import errors, services
from registration.signup.forms import DecisionForm
from registration.signup.models import Registration


def review_page(registration: Registration, back: str) -> ResponseReturnValue:
    """Show the decision form; on a valid decision apply it and go back to the list."""
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            services.decide(
                registration, approve=form.decision.data == "approve", reason=form.reason.data or ""
            )
        except errors.SignupError as error:
            form.form_errors.append(str(error))
        else:
            flash(f"{registration.name}: {registration.status.label.lower()}.", "success")
            return redirect(back)
    return render_template(
        "signup/review.html",
        conference=registration.conference,
        registration=registration,
        form=form,
        back=back,
        history=registration_history(registration.id),
        action_words=action_words,
    )
