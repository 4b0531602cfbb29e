"""The note verbale composer's forms (management pages)."""

from __future__ import annotations

from typing import Any

from flask_babel import LazyString, gettext
from flask_babel import lazy_gettext as _l
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
from registration.documents.models import Visibility
from registration.i18n import N_, language_name
from registration.input_policy import PolicyForm

FIELD_LABELS = {
    "addressee": N_("Addressee in the formulae"),
    "body": N_("Body"),
    "place": N_("Place"),
    "addressee_block": N_("Addressee block"),
}
FIELD_HINTS = {
    "addressee": _l(
        "As the formulae need it: to the CICA Member States (Russian and Kazakh: dative)."
    ),
    "body": _l(
        "Continues the opening formula (English: after “has the honour to”; Kazakh: before "
        "“өзіне мәртебе санайды”). An empty line starts a new paragraph."
    ),
    "place": _l("As written before the date, e.g. “город Астана”."),
    "addressee_block": _l("Printed at the foot of the note, one line per line."),
}


def _text_label(name: str, code: str) -> str:
    """A text field's label in the page's language, e.g. "Body (Kazakh)"."""
    return gettext(
        "%(field)s (%(language)s)", field=gettext(FIELD_LABELS[name]), language=language_name(code)
    )


class NoteForm(PolicyForm):
    scheme = SelectField(_l("Numbering scheme"), coerce=int)
    languages = SelectMultipleField(
        _l("Languages"),
        choices=[SelectChoice(c, LazyString(language_name, c)) for c in NOTE_LANGUAGES],
        default=list(NOTE_LANGUAGES),
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )
    enclosure = SelectField(_l("Enclosure"), coerce=str)
    enclosure_pages = IntegerField(
        _l("Pages of the enclosure"),
        validators=[Optional(), NumberRange(min=1, max=9999, message=_l("Between 1 and 9999."))],
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
        _label = LazyString(_text_label, _name, _code)
        if _name in {"body", "addressee_block"}:
            _field: Any = TextAreaField(_label, description=FIELD_HINTS[_name])
        else:
            _field = StringField(
                _label, validators=[Length(max=300)], description=FIELD_HINTS[_name]
            )
        setattr(NoteForm, f"{_code}_{_name}", _field)


class IssueForm(PolicyForm):
    visibility = RadioField(
        _l("Who may read the issued note"),
        choices=[SelectChoice(v.value, _l(v.label)) for v in Visibility],
        default=Visibility.FOCAL_POINTS.value,
        validators=[DataRequired(_l("Choose who may read it."))],
    )


class CancelNoteForm(PolicyForm):
    reason = TextAreaField(
        _l("Why is the note cancelled?"),
        validators=[DataRequired(_l("Say why the note is cancelled."))],
    )
