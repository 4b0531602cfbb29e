"""Form fields for texts typed side by side in English, Russian and Kazakh.

`title` holds the English text, `title_ru` and `title_kk` the others (so a form sent with
`title` alone is an English one); the record's main language says which of them goes in its
own column and must be given (registration/stored_text.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from babel import Locale
from flask_babel import LazyString, gettext
from flask_babel import lazy_gettext as _l
from wtforms import Field, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from registration.collation import sort_key
from registration.i18n import N_, language_name, page_language
from registration.input_policy import PolicyForm
from registration.stored_text import TEXT_LANGUAGES, Translated, Translations, pack


def field_name(name: str, language: str) -> str:
    return name if language == "en" else f"{name}_{language}"


def _label_in(label: LazyString, language: str) -> str:
    """ "Title in English", "Название (английский)": Babel's name of the language as it
    reads inside a phrase (not capitalised in Russian or Kazakh)."""
    name = Locale.parse(page_language()).languages.get(language, language)
    return gettext("%(field)s in %(language)s", field=str(label), language=name)


def in_languages(
    kind: type[Field], label: LazyString, max_length: int | None = None
) -> tuple[Any, ...]:
    """One unbound field per language, labelled "<label> in <language>" in the page's
    language."""
    validators = [Optional()] + ([Length(max=max_length)] if max_length else [])
    return tuple(
        kind(LazyString(_label_in, label, language), validators=validators)
        for language in TEXT_LANGUAGES
    )


def language_field(label: LazyString | None = None) -> SelectField:
    """The record's main language, each choice named in the page's language."""
    return SelectField(
        label or _l("Main language"),
        choices=[SelectChoice(code, LazyString(language_name, code)) for code in TEXT_LANGUAGES],
        default="en",
    )


def named_choices(
    records: Iterable[Translated], field: str, value: Callable[[Any], object]
) -> list[SelectChoice]:
    """Options naming stored records by `field` in the page's language (the main one where no
    translation exists, with its `lang`), in the order of those names."""
    shown = [(value(record), record.shown(field)) for record in records]
    shown.sort(key=lambda option: sort_key(option[1].text))
    here = page_language()
    return [
        SelectChoice(key, name.text, render_kw={"lang": name.lang} if name.lang != here else {})
        for key, name in shown
    ]


def _text(form: PolicyForm, name: str, language: str) -> str:
    return (form[field_name(name, language)].data or "").strip()


def main_text(form: PolicyForm, name: str, main: str) -> str:
    return _text(form, name, main)


# What `require_main` says, by the text's name.
MISSING_MAIN = {
    "title": N_("Enter the title in %(language)s, the main language (or choose another one)."),
    "name": N_("Enter the name in %(language)s, the main language (or choose another one)."),
    "label": N_("Enter the question in %(language)s, the main language (or choose another one)."),
}


def require_main(form: PolicyForm, name: str, main: str) -> None:
    """The text in the main language must be given; the error goes next to that field."""
    if not main_text(form, name, main):
        form[field_name(name, main)].errors.append(
            gettext(MISSING_MAIN[name], language=language_name(main))
        )


def translations(form: PolicyForm, names: tuple[str, ...], main: str) -> Translations:
    """The texts in the languages other than the main one, as the record stores them."""
    typed = {
        name: {language: _text(form, name, language) for language in TEXT_LANGUAGES}
        for name in names
    }
    return pack(typed, main)


def initial(record: Translated, names: tuple[str, ...]) -> dict[str, str]:
    """Form data for a stored record: each field in each language, no fallback."""
    return {
        field_name(name, language): record.translation(name, language)
        for name in names
        for language in TEXT_LANGUAGES
    }
