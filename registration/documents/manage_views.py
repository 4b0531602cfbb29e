"""The secretariat's pages for the documents of a conference or series."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_wtf import FlaskForm

from registration.conferences import services as conferences
from registration.conferences.models import Conference, Series
from registration.database import db
from registration.documents import services
from registration.documents.forms import DocumentForm, FileForm
from registration.documents.models import Document, DocumentStatus
from registration.i18n import language_name, translate
from registration.staff.access import conference_in_url, protect, requires
from registration.staff.roles import Permission


def _conference_of(view_args: dict[str, object]) -> int | None:
    """The conference a document belongs to (None for a series' document: administrators')."""
    if "document_id" in view_args:
        return db.session.scalar(
            db.select(Document.conference_id).filter_by(id=view_args["document_id"])
        )
    return conference_in_url(view_args)


bp = protect(
    Blueprint("documents_manage", __name__, url_prefix="/manage"),
    Permission.EDIT,
    conference_of=_conference_of,
)


def _show(form: FlaskForm, error: services.DocumentError) -> None:
    target = getattr(form, error.field, None)
    if target is not None:
        target.errors = [*target.errors, error.translated()]
    else:
        form.form_errors.append(error.translated())


def _owner_list(owner: Conference | Series) -> ResponseReturnValue:
    form = DocumentForm()
    if form.validate_on_submit():
        kwargs = {"conference": owner} if isinstance(owner, Conference) else {"series": owner}
        try:
            document = services.create_document(form.to_data(), **kwargs)  # type: ignore[arg-type]
        except services.DocumentError as error:
            _show(form, error)
        else:
            flash(gettext("Document created as a draft. Upload its language versions."), "success")
            return redirect(url_for(".document", document_id=document.id))
    return render_template(
        "documents/manage_list.html",
        owner=owner,
        is_conference=isinstance(owner, Conference),
        documents=services.documents_of(owner),
        form=form,
    )


@bp.route("/conferences/<slug>/documents", methods=["GET", "POST"])
def conference_documents(slug: str) -> ResponseReturnValue:
    conference = conferences.conference_by_slug(slug)
    if conference is None:
        abort(404)
    return _owner_list(conference)


@bp.route("/series/<slug>/documents", methods=["GET", "POST"])
@requires(Permission.ADMINISTER)
def series_documents(slug: str) -> ResponseReturnValue:
    series = conferences.series_by_slug(slug)
    if series is None:
        abort(404)
    return _owner_list(series)


def _document_or_404(document_id: int) -> Document:
    document = db.session.get(Document, document_id)
    if document is None:
        abort(404)
    return document


def _document_page(document: Document, form: DocumentForm, upload: FileForm) -> str:
    return render_template(
        "documents/manage_document.html",
        document=document,
        form=form,
        upload=upload,
    )


@bp.route("/documents/<int:document_id>", methods=["GET", "POST"])
def document(document_id: int) -> ResponseReturnValue:
    found = _document_or_404(document_id)
    form = DocumentForm(document=found)
    if form.validate_on_submit():
        try:
            services.update_document(found, form.to_data())
        except services.DocumentError as error:
            _show(form, error)
        else:
            flash(gettext("Document saved."), "success")
            return redirect(url_for(".document", document_id=found.id))
    return _document_page(found, form, FileForm(formdata=None))


@bp.route("/documents/<int:document_id>/files", methods=["POST"])
def upload(document_id: int) -> ResponseReturnValue:
    found = _document_or_404(document_id)
    form = FileForm()
    if form.validate_on_submit():
        sent = form.file.data
        try:
            services.add_file(found, form.language.data, sent.filename or "", sent.read())
        except services.DocumentError as error:
            _show(form, error)
        else:
            flash(
                gettext(
                    "The version in %(language)s is uploaded.",
                    language=language_name(form.language.data),
                ),
                "success",
            )
            return redirect(url_for(".document", document_id=found.id))
    return _document_page(found, DocumentForm(document=found, formdata=None), form), 422


@bp.route("/documents/<int:document_id>/files/<language>/remove", methods=["POST"])
def remove_file(document_id: int, language: str) -> ResponseReturnValue:
    found = _document_or_404(document_id)
    try:
        services.remove_file(found, language)
    except services.DocumentError as error:
        flash(error.translated(), "error")
    return redirect(url_for(".document", document_id=found.id))


@bp.route("/documents/<int:document_id>/status", methods=["POST"])
def status(document_id: int) -> ResponseReturnValue:
    found = _document_or_404(document_id)
    try:
        chosen = DocumentStatus(request.form.get("status", ""))
    except ValueError:
        abort(400)
    try:
        services.set_status(found, chosen)
    except services.DocumentError as error:
        flash(error.translated(), "error")
    else:
        flash(
            gettext("The document is now %(status)s.", status=translate(chosen.label).lower()),
            "success",
        )
    return redirect(url_for(".document", document_id=found.id))
