"""The note verbale composer's forms (management pages, in English)."""

from __future__ import annotations

from typing import Any

from wtforms import (
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from registration.correspondence.formulae import NOTE_LANGUAGES
from registration.correspondence.models import NoteVerbale
from registration.correspondence.notes import TEXT_FIELDS, NoteData, default_texts
from registration.documents.forms import LANGUAGE_LABELS
from registration.documents.models import Visibility
from registration.input_policy import PolicyForm

FIELD_LABELS = {
    "addressee": "Addressee in the formulae",
    "body": "Body",
    "place": "Place",
    "addressee_block": "Addressee block",
}
FIELD_HINTS = {
    "addressee": "As the formulae need it: to the CICA Member States (Russian and Kazakh: dative).",
    "body": "Continues the opening formula (English: after “has the honour to”; Kazakh: before "
    "“өзіне мәртебе санайды”). An empty line starts a new paragraph.",
    "place": "As written before the date, e.g. “город Астана”.",
    "addressee_block": "Printed at the foot of the note, one line per line.",
}


class NoteForm(PolicyForm):
    scheme = SelectField("Numbering scheme", coerce=int)
    languages = SelectMultipleField(
        "Languages",
        choices=[SelectChoice(c, LANGUAGE_LABELS[c]) for c in NOTE_LANGUAGES],
        default=list(NOTE_LANGUAGES),
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )
    enclosure = SelectField("Enclosure", coerce=str)
    enclosure_pages = IntegerField(
        "Pages of the enclosure",
        validators=[Optional(), NumberRange(min=1, max=9999, message="Between 1 and 9999.")],
    )

    def __init__(self, *args: Any, note: NoteVerbale | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_submitted():
            return
        for code in NOTE_LANGUAGES:
            texts = note.text(code) if note and code in note.languages else default_texts(code)
            for name in TEXT_FIELDS:
                getattr(self, f"{code}_{name}").data = texts.get(name, "")
        if note is not None:
            self.scheme.data = note.scheme_id
            self.languages.data = list(note.languages)
            self.enclosure.data = str(note.enclosure_id or "")
            self.enclosure_pages.data = note.enclosure_pages

    def to_data(self) -> NoteData:
        texts = {
            code: {name: getattr(self, f"{code}_{name}").data or "" for name in TEXT_FIELDS}
            for code in NOTE_LANGUAGES
        }
        enclosure = self.enclosure.data
        return NoteData(
            scheme_id=self.scheme.data,
            languages=list(self.languages.data or []),
            texts=texts,
            enclosure_id=int(enclosure) if enclosure and enclosure.isdigit() else None,
            enclosure_pages=self.enclosure_pages.data,
        )


for _code in NOTE_LANGUAGES:
    for _name in TEXT_FIELDS:
        _label = f"{FIELD_LABELS[_name]} ({LANGUAGE_LABELS[_code]})"
        if _name in {"body", "addressee_block"}:
            _field: Any = TextAreaField(_label, description=FIELD_HINTS[_name])
        else:
            _field = StringField(
                _label, validators=[Length(max=300)], description=FIELD_HINTS[_name]
            )
        setattr(NoteForm, f"{_code}_{_name}", _field)


class IssueForm(PolicyForm):
    visibility = RadioField(
        "Who may read the issued note",
        choices=[SelectChoice(v.value, v.label) for v in Visibility],
        default=Visibility.FOCAL_POINTS.value,
        validators=[DataRequired("Choose who may read it.")],
    )


class CancelNoteForm(PolicyForm):
    reason = TextAreaField(
        "Why is the note cancelled?",
        validators=[DataRequired("Say why the note is cancelled.")],
    )
