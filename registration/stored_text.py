"""Stored texts in several languages: the text in the record's main language lives in its own
column (title, theme, ...), the others in a JSON `translations` column, {"ru": {"title": ...}}.

A page asks for a field in its language and gets the text with the language it is really in
(the main one when no translation exists), so the template can mark a part in another
language with a `lang` attribute (WCAG 3.1.2, language of parts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from markupsafe import Markup, escape
from sqlalchemy import String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import JSON

from registration.i18n import in_languages, page_language

# The languages stored texts may be written in, in the order forms show them.
TEXT_LANGUAGES = ("en", "ru", "kk")
Translations = dict[str, dict[str, str]]


@dataclass(frozen=True, slots=True)
class Shown:
    """A stored text and the language it is in; in a template it carries `lang` when that
    differs from the page's (use `.text` inside attributes and <title>)."""

    text: str
    lang: str

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    def __html__(self) -> Markup:
        if not self.text or self.lang == page_language():
            return escape(self.text)
        return Markup('<span lang="{}">{}</span>').format(self.lang, self.text)


def translations_column() -> Mapped[Translations]:
    """The JSON column of a record's other-language texts (JSONB on PostgreSQL)."""
    return mapped_column(
        JSON().with_variant(JSONB(), "postgresql"), default=dict, server_default=text("'{}'")
    )


def language_column() -> Mapped[str]:
    """The main language of a record's texts (the one in its own columns)."""
    return mapped_column(String(8), default="en", server_default="en")


class Translated:
    """A record with texts in several languages; subclasses list TRANSLATED fields."""

    TRANSLATED: ClassVar[tuple[str, ...]] = ()
    if TYPE_CHECKING:
        translations: Translations

    @property
    def text_language(self) -> str:
        """The language of the texts in the record's own columns."""
        return "en"

    def shown(self, field: str, language: str | None = None) -> Shown:
        """`field` in `language` (the page's by default), else in the main language."""
        wanted = language or page_language()
        main = self.text_language
        if wanted != main:
            text = (self.translations or {}).get(wanted, {}).get(field)
            if text:
                return Shown(text, wanted)
        return Shown(getattr(self, field) or "", main)

    def text_in(self, field: str, language: str) -> str:
        """Plain text of `field` for mail, calendars and PDFs in `language`."""
        return self.shown(field, language).text

    def in_languages(self, field: str) -> dict[str, object]:
        """`field` in every language it is written in, as a value of a message kept as data
        (`i18n.worded`: an audit entry's subject), said in the reader's language."""
        texts = {code: words.get(field, "") for code, words in (self.translations or {}).items()}
        return in_languages(
            texts | {self.text_language: getattr(self, field) or ""}, self.text_language
        )

    def translation(self, field: str, language: str) -> str:
        """The stored text of `field` in `language` exactly (no fallback), for forms."""
        if language == self.text_language:
            return getattr(self, field) or ""
        return (self.translations or {}).get(language, {}).get(field, "")


def pack(fields: dict[str, dict[str, str]], main: str) -> Translations:
    """{field: {language: text}} from a form into the column's {language: {field: text}},
    leaving out the main language (its texts go in the record's columns) and empty texts."""
    packed: dict[str, dict[str, Any]] = {}
    for field, by_language in fields.items():
        for language, typed in by_language.items():
            if language != main and typed:
                packed.setdefault(language, {})[field] = typed
    return packed
