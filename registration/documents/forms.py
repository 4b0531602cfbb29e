"""Forms for documents and their language versions (management pages, in English)."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from registration.documents.models import DOCUMENT_LANGUAGES, Document, DocumentKind, Visibility
from registration.documents.services import DocumentData
from registration.input_policy import PolicyForm

LANGUAGE_LABELS = {"en": "English", "ru": "Russian", "kk": "Kazakh"}
TITLE_MAX = 300


class DocumentForm(PolicyForm):
    kind = SelectField("Kind", choices=[SelectChoice(k.value, k.label) for k in DocumentKind])
    title_en = StringField(
        "Title in English",
        validators=[DataRequired("Give the document a title in English."), Length(max=TITLE_MAX)],
    )
    title_ru = StringField("Title in Russian", validators=[Length(max=TITLE_MAX)])
    title_kk = StringField("Title in Kazakh", validators=[Length(max=TITLE_MAX)])
    visibility = RadioField(
        "Who may read it",
        choices=[SelectChoice(v.value, v.label) for v in Visibility],
        default=Visibility.PUBLIC.value,
    )

    def __init__(self, *args: object, document: Document | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if document is not None and not self.is_submitted():
            self.kind.data = document.kind.value
            self.visibility.data = document.visibility.value
            for code in DOCUMENT_LANGUAGES:
                getattr(self, f"title_{code}").data = document.titles.get(code, "")

    def to_data(self) -> DocumentData:
        return DocumentData(
            kind=DocumentKind(self.kind.data),
            titles={code: getattr(self, f"title_{code}").data or "" for code in DOCUMENT_LANGUAGES},
            visibility=Visibility(self.visibility.data),
        )


class FileForm(PolicyForm):
    language = SelectField(
        "Language of this version",
        choices=[SelectChoice(c, LANGUAGE_LABELS[c]) for c in DOCUMENT_LANGUAGES],
    )
    file = FileField(
        "File (PDF or Word .docx)", validators=[FileRequired("Choose the file to upload.")]
    )
