"""A question's texts in the reader's language: label and help text as any stored text
(registration/stored_text.py), and its choices.

A choice's translations are the lines of `options` in that language, aligned by position
with the main-language lines; an answer keeps the choice's main-language text, its stable
value, so changing a translation never touches an answer. A language's lines count only
when there are as many as choices, else every choice shows in the main language.
"""

from __future__ import annotations

from registration.signup.models import Question
from registration.stored_text import Shown


def option_lines(options: str) -> list[str]:
    """The non-empty lines of a list of choices, stripped."""
    return [line.strip() for line in options.splitlines() if line.strip()]


def choice_labels(question: Question, language: str | None = None) -> list[tuple[str, Shown]]:
    """Each choice's stable value with its text in `language` (the page's by default), else
    in the question's main language."""
    values = question.choices
    shown = question.shown("options", language)
    texts = option_lines(shown.text)
    if len(texts) != len(values):
        return [(value, Shown(value, question.text_language)) for value in values]
    return [(value, Shown(text, shown.lang)) for value, text in zip(values, texts, strict=True)]


def choice_text(question: Question, value: str, language: str | None = None) -> str:
    """A stored choice as a person reads it in `language`; an unknown value as stored."""
    for stored, shown in choice_labels(question, language):
        if stored == value:
            return shown.text
    return value
