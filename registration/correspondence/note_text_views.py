"""A note verbale's text as a web page, beside its PDF in each language: the PDFs are not
tagged, so a screen reader may read them out of order; this page is their accessible
version. Whoever may read the PDF may read the page (`current_reader`), nobody else."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from registration.correspondence.models import NoteVerbale
from registration.correspondence.note_pdf import note_lines
from registration.correspondence.notes import layout
from registration.database import db
from registration.documents.models import DocumentFile
from registration.documents.public_views import current_reader
from registration.extensions import login_manager

bp = Blueprint("note_text", __name__)


@bp.route("/documents/files/<int:file_id>/text")
def text(file_id: int) -> ResponseReturnValue:
    """The language version's text, as the PDF and the note's own page show it."""
    version = db.session.get(DocumentFile, file_id)
    note = None
    if version is not None:
        note = db.session.scalar(db.select(NoteVerbale).filter_by(document_id=version.document_id))
    if version is None or note is None or version.language not in note.languages:
        abort(404)
    if not current_reader().may_read(version.document):
        if not current_user.is_authenticated and version.document.status.value == "issued":
            return login_manager.unauthorized()
        abort(404)
    return render_template(
        "correspondence/note_text.html",
        note=note,
        version=version,
        lines=note_lines(layout(note, version.language)),
        token=request.args.get("token"),
    )
