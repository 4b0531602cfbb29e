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


def choice_texts(question: Question, values: list[str], language: str | None = None) -> Shown:
    """Stored choices (an answer's lines) as a person reads them in `language`, joined by
    "; ", with the language they are in: all choices are in one (`choice_labels`), unless a
    value is unknown (not a choice any more): then all show as stored, in the main language."""
    labels = dict(choice_labels(question, language))
    if not values or any(value not in labels for value in values):
        return Shown("; ".join(values), question.text_language)
    return Shown("; ".join(labels[value].text for value in values), labels[values[0]].lang)
