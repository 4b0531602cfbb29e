"""Forms for documents and their language versions (management pages)."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from registration.documents.models import DOCUMENT_LANGUAGES, Document, DocumentKind, Visibility
from registration.documents.services import DocumentData
from registration.i18n import language_name
from registration.input_policy import PolicyForm

# English names of the languages (the correspondence pages, still English, use them).
LANGUAGE_LABELS = {"en": "English", "ru": "Russian", "kk": "Kazakh"}
TITLE_MAX = 300


class DocumentForm(PolicyForm):
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(k.value, _l(k.label)) for k in DocumentKind]
    )
    title_en = StringField(
        _l("Title in English"),
        validators=[
            DataRequired(_l("Give the document a title in English.")),
            Length(max=TITLE_MAX),
        ],
    )
    title_ru = StringField(_l("Title in Russian"), validators=[Length(max=TITLE_MAX)])
    title_kk = StringField(_l("Title in Kazakh"), validators=[Length(max=TITLE_MAX)])
    visibility = RadioField(
        _l("Who may read it"),
        choices=[SelectChoice(v.value, _l(v.label)) for v in Visibility],
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
        _l("Language of this version"),
        choices=[SelectChoice(c, LazyString(language_name, c)) for c in DOCUMENT_LANGUAGES],
    )
    file = FileField(
        _l("File (PDF or Word .docx)"), validators=[FileRequired(_l("Choose the file to upload."))]
    )
