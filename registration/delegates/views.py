"""Public pages of visa support letters: the person's request and letter (by their mailed
link) and the verification page a consulate opens from the QR code."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from registration.conferences.models import ConferenceStatus
from registration.conferences.services import conference_by_slug
from registration.delegates import letters
from registration.delegates.forms import VisaRequestForm
from registration.delegates.letter_pdf import letter_pdf
from registration.delegates.models import LetterStatus, VisaLetter
from registration.downloads import download
from registration.signup import errors, links
from registration.signup.models import Registration

bp = Blueprint("delegates", __name__)


def verify_url(letter: VisaLetter) -> str:
    return links.external_url("delegates.verify", code=letter.code)


def _own(slug: str, token: str) -> Registration | None:
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


def _request_form(letter: VisaLetter | None, registration: Registration) -> VisaRequestForm:
    if letter is not None and letter.status is not LetterStatus.REVOKED:
        form = VisaRequestForm(obj=letter)
    else:
        form = VisaRequestForm(passport_name=registration.name)
    form.offer_countries()
    return form


@bp.route("/conferences/<slug>/registration/<token>/visa-letter", methods=["GET", "POST"])
def letter_page(slug: str, token: str) -> ResponseReturnValue:
    registration = _own(slug, token)
    if registration is None:
        return redirect(url_for("signup.resend", slug=slug))
    if not letters.may_ask(registration):
        abort(404, gettext("Visa support letters are for active in-person registrations."))
    letter = letters.current_letter(registration.id)
    form = _request_form(letter, registration)
    issued = letter is not None and letter.status is LetterStatus.ISSUED
    if not issued and form.validate_on_submit():
        given = letters.LetterRequest(
            passport_name=form.passport_name.data or "",
            passport_number=form.passport_number.data or "",
            nationality=form.nationality.data or "",
            arrival=form.arrival.data,  # type: ignore[arg-type]
            departure=form.departure.data,  # type: ignore[arg-type]
            consulate_city=form.consulate_city.data or "",
        )
        try:
            letters.request_letter(registration, given)
        except letters.LetterError as error:
            form.form_errors.append(gettext(str(error)))
        else:
            flash(
                gettext("Your request is sent. We will write to you when the letter is issued."),
                "success",
            )
            return redirect(url_for(".letter_page", slug=slug, token=token))
    return render_template(
        "delegates/letter.html",
        conference=registration.conference,
        registration=registration,
        token=token,
        letter=letter,
        form=form,
    ), 422 if form.errors else 200


@bp.route("/conferences/<slug>/registration/<token>/visa-letter.pdf")
def letter_download(slug: str, token: str) -> ResponseReturnValue:
    registration = _own(slug, token)
    letter = letters.current_letter(registration.id) if registration is not None else None
    if letter is None or letter.status is not LetterStatus.ISSUED:
        abort(404)
    return letter_file(letter)


def letter_file(letter: VisaLetter) -> ResponseReturnValue:
    """The issued letter as a PDF download that nobody caches (it holds passport data)."""
    pdf = letter_pdf(letter, verify_url(letter))
    response = download(
        pdf, "application/pdf", f"visa-letter-{letter.reference.replace('/', '-')}.pdf"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/letters/<code>")
def verify(code: str) -> ResponseReturnValue:
    """What a consulate sees from the QR code: valid or revoked, the name and the dates."""
    letter = letters.by_code(code)
    if letter is None:
        abort(404, gettext("There is no visa support letter with this code."))
    page = render_template("delegates/verify.html", letter=letter, conference=letter.conference)
    return page, 200, {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
