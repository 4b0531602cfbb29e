"""The secretariat's pages of the register: schemes, the numbers given, cancelling one."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Regexp

from registration.correspondence import register
from registration.correspondence.models import NumberingScheme, RegisterEntry
from registration.database import db
from registration.i18n import said, translate
from registration.input_policy import PolicyForm
from registration.staff.access import protect
from registration.staff.roles import Permission

# The Secretariat's register of outgoing correspondence: administrators only.
bp = protect(Blueprint("register", __name__, url_prefix="/manage/register"), Permission.ADMINISTER)
# How the register keeps a note verbale's subject: these English words, then the note's.
NOTE_VERBALE = "Note verbale: "


@bp.context_processor
def _subject_words() -> dict[str, object]:
    return {"subject_words": subject_words}


def subject_words(entry: RegisterEntry) -> str:
    """A register entry's subject in the page's language: a note verbale's kind translated
    and its subject in the page's language where the note has one; a subject typed for a
    letter as it was typed."""
    if entry.note is not None:
        return _("Note verbale: %(subject)s", subject=said(entry.note.subjects()))
    if entry.subject.startswith(NOTE_VERBALE):  # its note deleted since
        return _("Note verbale: %(subject)s", subject=entry.subject.removeprefix(NOTE_VERBALE))
    return entry.subject


class SchemeForm(PolicyForm):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(_l("Give the scheme a code.")),
            Length(max=20),
            Regexp(r"^[A-Z0-9-]+$", message=_l("Use capital Latin letters, digits and hyphens.")),
        ],
    )
    name = StringField(
        _l("Name of the scheme"), validators=[DataRequired(_l("Name the scheme.")), Length(max=200)]
    )
    prefix = StringField(
        _l("Prefix"), validators=[DataRequired(_l("Give the prefix.")), Length(max=20)]
    )
    prefix_cyrillic = StringField(
        _l("Prefix in Russian and Kazakh versions"),
        validators=[DataRequired(_l("Give the prefix in Cyrillic.")), Length(max=20)],
    )
    first_number = IntegerField(
        _l("First number"), default=1, validators=[NumberRange(min=1, message=_l("At least 1."))]
    )


class LetterForm(PolicyForm):
    subject = StringField(
        _l("Subject"),
        validators=[DataRequired(_l("Say what the letter is about.")), Length(max=300)],
    )


class CancelForm(PolicyForm):
    reason = TextAreaField(
        _l("Why is it cancelled?"),
        validators=[DataRequired(_l("Say why the number is cancelled."))],
    )


@bp.route("/", methods=["GET", "POST"])
def schemes() -> ResponseReturnValue:
    form = SchemeForm()
    if form.validate_on_submit():
        try:
            scheme = register.create_scheme(
                form.code.data,
                form.name.data,
                form.prefix.data,
                form.prefix_cyrillic.data,
                form.first_number.data or 1,
            )
        except register.RegisterError as error:
            form.code.errors = [*form.code.errors, translate(str(error))]
        else:
            flash(_("Scheme %(code)s created.", code=scheme.code), "success")
            return redirect(url_for(".scheme", scheme_id=scheme.id))
    return render_template("correspondence/schemes.html", schemes=register.schemes(), form=form)


def _scheme_or_404(scheme_id: int) -> NumberingScheme:
    scheme = db.session.get(NumberingScheme, scheme_id)
    if scheme is None:
        abort(404)
    return scheme


@bp.route("/<int:scheme_id>", methods=["GET", "POST"])
def scheme(scheme_id: int) -> ResponseReturnValue:
    """The numbers given, newest first; a letter written elsewhere can take the next one."""
    found = _scheme_or_404(scheme_id)
    form = LetterForm()
    if form.validate_on_submit():
        entry = register.take_number_by_hand(found.id, form.subject.data, current_user.id)
        flash(
            _(
                "No. %(number)s is yours: %(subject)s.",
                number=entry.reference(),
                subject=entry.subject,
            ),
            "success",
        )
        return redirect(url_for(".scheme", scheme_id=found.id))
    entries = db.session.scalars(
        db.select(RegisterEntry)
        .where(RegisterEntry.scheme_id == found.id)
        .order_by(RegisterEntry.number.desc())
        .options(selectinload(RegisterEntry.note))
    ).all()
    return render_template("correspondence/scheme.html", scheme=found, entries=entries, form=form)


@bp.route("/entries/<int:entry_id>/cancel", methods=["GET", "POST"])
def cancel(entry_id: int) -> ResponseReturnValue:
    entry = db.session.get(RegisterEntry, entry_id)
    if entry is None:
        abort(404)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            register.cancel_by_hand(entry, form.reason.data)
        except register.RegisterError as error:
            form.reason.errors = [*form.reason.errors, translate(str(error))]
        else:
            flash(
                _(
                    "No. %(number)s is cancelled; it stays in the register.",
                    number=entry.reference(),
                ),
                "success",
            )
            return redirect(url_for(".scheme", scheme_id=entry.scheme_id))
    return render_template("correspondence/cancel.html", entry=entry, form=form)
