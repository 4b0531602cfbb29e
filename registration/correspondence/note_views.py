"""The note verbale composer: drafts edited per language, previews, issuing, corrections."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from registration.conferences import services as conferences
from registration.conferences.models import Conference, Series
from registration.correspondence import notes, register
from registration.correspondence.models import NoteVerbale
from registration.correspondence.note_forms import CancelNoteForm, IssueForm, NoteForm
from registration.correspondence.note_pdf import note_lines, note_pdf
from registration.database import db
from registration.documents import services as documents
from registration.documents.models import DocumentKind, Visibility
from registration.i18n import language_name, page_language, translate
from registration.staff.access import protect
from registration.staff.roles import Permission

# Notes verbales go out under the Secretariat's register: administrators only.
bp = protect(Blueprint("notes", __name__, url_prefix="/manage"), Permission.ADMINISTER)


def _show(form: FlaskForm, error: notes.NoteError) -> None:
    target = getattr(form, error.field, None)
    if target is not None:
        target.errors = [*target.errors, translate(error.message)]
    else:
        form.form_errors.append(translate(error.message))


def _choices(form: NoteForm, owner: Conference | Series) -> NoteForm:
    form.scheme.choices = [(s.id, f"{s.code}: {s.name}") for s in register.schemes()]
    enclosures = [
        d for d in documents.documents_of(owner) if d.kind is not DocumentKind.NOTE_VERBALE
    ]
    form.enclosure.choices = [("", _("No enclosure"))] + [
        (str(d.id), d.text_in("title", page_language()) or d.text_in("title", "en"))
        for d in enclosures
    ]
    return form


def _compose(owner: Conference | Series) -> ResponseReturnValue:
    form = _choices(NoteForm(), owner)
    if not form.scheme.choices:
        flash(_("Create a numbering scheme first."), "error")
        return redirect(url_for("register.schemes"))
    if form.validate_on_submit():
        try:
            note = notes.create_note(form.to_data(), owner)
        except notes.NoteError as error:
            _show(form, error)
        else:
            flash(_("The draft is saved. Check the previews, then issue it."), "success")
            return redirect(url_for(".note", note_id=note.id))
    return render_template("correspondence/note_form.html", form=form, owner=owner, note=None)


@bp.route("/conferences/<slug>/notes/new", methods=["GET", "POST"])
def conference_note(slug: str) -> ResponseReturnValue:
    conference = conferences.conference_by_slug(slug)
    if conference is None:
        abort(404)
    return _compose(conference)


@bp.route("/series/<slug>/notes/new", methods=["GET", "POST"])
def series_note(slug: str) -> ResponseReturnValue:
    series = conferences.series_by_slug(slug)
    if series is None:
        abort(404)
    return _compose(series)


@bp.route("/notes/")
def index() -> ResponseReturnValue:
    return render_template("correspondence/notes.html", notes=notes.notes())


def _note_or_404(note_id: int) -> NoteVerbale:
    note = db.session.get(NoteVerbale, note_id)
    if note is None:
        abort(404)
    return note


@bp.route("/notes/<int:note_id>", methods=["GET", "POST"])
def note(note_id: int) -> ResponseReturnValue:
    """A draft's editor and previews; an issued note's versions (read only)."""
    found = _note_or_404(note_id)
    owner = found.owner
    assert owner is not None
    form = _choices(NoteForm(note=found), owner)
    if not found.is_issued and form.validate_on_submit():
        try:
            notes.update_note(found, form.to_data())
        except notes.NoteError as error:
            _show(form, error)
        else:
            flash(_("The draft is saved."), "success")
            return redirect(url_for(".note", note_id=found.id))
    previews = {code: note_lines(notes.layout(found, code)) for code in found.languages}
    return render_template(
        "correspondence/note.html",
        note=found,
        owner=owner,
        form=form,
        issue_form=IssueForm(formdata=None),
        previews=previews,
        language_name=language_name,
    )


@bp.route("/notes/<int:note_id>/<any(en, ru, kk):language>.pdf")
def preview(note_id: int, language: str) -> ResponseReturnValue:
    """A language version as PDF: the issued file, or a draft's preview."""
    found = _note_or_404(note_id)
    if language not in found.languages:
        abort(404)
    if found.document is not None and found.document.file(language) is not None:
        return redirect(url_for("documents.download", file_id=found.document.file(language).id))
    pdf = note_pdf(notes.layout(found, language))
    return Response(pdf, mimetype="application/pdf")


@bp.route("/notes/<int:note_id>/issue", methods=["POST"])
def issue(note_id: int) -> ResponseReturnValue:
    found = _note_or_404(note_id)
    form = IssueForm()
    if not form.validate_on_submit():
        flash(_("Choose who may read the issued note."), "error")
        return redirect(url_for(".note", note_id=found.id))
    try:
        notes.issue(found, current_user.id, Visibility(form.visibility.data))
    except notes.NoteError as error:
        flash(translate(error.message), "error")
    else:
        assert found.entry is not None
        flash(_("Note No. %(number)s is issued.", number=found.entry.reference()), "success")
    return redirect(url_for(".note", note_id=found.id))


@bp.route("/notes/<int:note_id>/correct", methods=["POST"])
def correct(note_id: int) -> ResponseReturnValue:
    found = _note_or_404(note_id)
    try:
        copy = notes.correct(found)
    except notes.NoteError as error:
        flash(translate(error.message), "error")
        return redirect(url_for(".note", note_id=found.id))
    flash(_("A new draft with the same texts: it will take a new number when issued."), "success")
    return redirect(url_for(".note", note_id=copy.id))


@bp.route("/notes/<int:note_id>/cancel", methods=["GET", "POST"])
def cancel(note_id: int) -> ResponseReturnValue:
    found = _note_or_404(note_id)
    form = CancelNoteForm()
    if found.entry is not None and form.validate_on_submit():
        try:
            notes.cancel(found, form.reason.data)
        except notes.NoteError as error:
            _show(form, error)
        else:
            flash(
                _(
                    "No. %(number)s is cancelled and its PDFs withdrawn.",
                    number=found.entry.reference(),
                ),
                "success",
            )
            return redirect(url_for(".note", note_id=found.id))
    return render_template("correspondence/note_cancel.html", note=found, form=form)
