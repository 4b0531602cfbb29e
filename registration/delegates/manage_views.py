"""The organiser's pages of visa support letters: the list, a request's review (issue or
decline), revocation and the PDF."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from registration.conferences.models import Conference
from registration.conferences.services import conference_by_slug
from registration.correspondence import register
from registration.database import db
from registration.delegates import letters, numbering
from registration.delegates.forms import LetterDecisionForm, NumberingForm, RevokeForm
from registration.delegates.models import VisaLetter
from registration.delegates.views import letter_file, verify_url
from registration.directory.countries import country_name
from registration.i18n import N_, page_language, translate
from registration.staff.access import protect, requires
from registration.staff.roles import Permission

# Passport data: those who read registrations; issuing and revoking is a decision.
bp = protect(
    Blueprint("letters_manage", __name__, url_prefix="/manage/conferences/<slug>/visa-letters"),
    Permission.DECIDE,
)


def _conference(slug: str) -> Conference:
    conference = conference_by_slug(slug)
    if conference is None:
        abort(404)
    return conference


def _letter(conference: Conference, letter_id: int) -> VisaLetter:
    letter = db.session.get(VisaLetter, letter_id)
    if letter is None or letter.conference_id != conference.id:
        abort(404)
    return letter


@bp.route("/")
@requires(Permission.READ_REGISTRATIONS)
def index(slug: str) -> ResponseReturnValue:
    conference = _conference(slug)
    return _letters_page(conference, _numbering_form(formdata=None))


def _numbering_form(**options: object) -> NumberingForm:
    form = NumberingForm(**options)
    form.offer_schemes([(s.id, f"{s.code}: {s.name}") for s in register.schemes()])
    return form


def _letters_page(conference: Conference, form: NumberingForm) -> ResponseReturnValue:
    choice = numbering.in_force(conference)
    if not form.is_submitted():
        form.scheme.data = str(choice.scheme_id) if choice and choice.scheme_id else ""
        form.whole_series.data = choice is not None and choice.series_id is not None
    return render_template(
        "delegates/manage/letters.html",
        conference=conference,
        letters=letters.letters_of(conference.id),
        numbering=choice,
        form=form,
    ), 422 if form.errors else 200


@bp.post("/numbering")
@requires(Permission.EDIT)
def choose_numbering(slug: str) -> ResponseReturnValue:
    """The register scheme that numbers the letters, for this conference or its series."""
    conference = _conference(slug)
    form = _numbering_form()
    if form.validate_on_submit():
        try:
            numbering.choose(
                conference,
                int(form.scheme.data) if form.scheme.data else None,
                whole_series=bool(form.whole_series.data) and conference.series_id is not None,
            )
        except ValueError as error:
            form.scheme.errors = [translate(str(error))]
        else:
            flash(gettext("Numbering of visa letters saved."), "success")
            return redirect(url_for(".index", slug=slug))
    return _letters_page(conference, form)


@bp.route("/<int:letter_id>", methods=["GET", "POST"])
@requires(Permission.READ_REGISTRATIONS, change=Permission.DECIDE)
def review(slug: str, letter_id: int) -> ResponseReturnValue:
    conference = _conference(slug)
    letter = _letter(conference, letter_id)
    form = LetterDecisionForm()
    if form.validate_on_submit():
        try:
            if form.decision.data == "issue":
                letters.issue(letter, current_user._get_current_object())
            else:
                letters.decline(letter, form.reason.data or "")
        except letters.LetterError as error:
            form.form_errors.append(translate(str(error)))
        else:
            flash(
                gettext(
                    "%(name)s: letter %(status)s.",
                    name=letter.passport_name,
                    status=translate(letter.status.label).lower(),
                ),
                "success",
            )
            return redirect(url_for(".review", slug=slug, letter_id=letter.id))
    return _review_page(letter, form, RevokeForm(formdata=None))


def _review_page(
    letter: VisaLetter, form: LetterDecisionForm, revoke_form: RevokeForm
) -> ResponseReturnValue:
    status = 422 if form.errors or revoke_form.errors else 200
    return render_template(
        "delegates/manage/letter.html",
        conference=letter.conference,
        letter=letter,
        nationality=country_name(letter.nationality, page_language()),
        form=form,
        revoke_form=revoke_form,
        verify_url=verify_url(letter),
    ), status


@bp.post("/<int:letter_id>/revoke")
def revoke(slug: str, letter_id: int) -> ResponseReturnValue:
    conference = _conference(slug)
    letter = _letter(conference, letter_id)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            letters.revoke(letter, form.reason.data or "")
        except letters.LetterError as error:
            form.form_errors.append(translate(str(error)))
        else:
            flash(gettext("Letter %(number)s is revoked.", number=letter.reference), "success")
            return redirect(url_for(".review", slug=slug, letter_id=letter.id))
    return _review_page(letter, LetterDecisionForm(formdata=None), form)


@bp.route("/<int:letter_id>/letter.pdf")
@requires(Permission.EXPORT)
def pdf(slug: str, letter_id: int) -> ResponseReturnValue:
    letter = _letter(_conference(slug), letter_id)
    if not letter.reference:
        abort(404, N_("This letter is not issued."))
    return letter_file(letter)
