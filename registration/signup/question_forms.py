"""Forms of a conference's own questions: the organiser's question, its removal, and the
person's answers (whose fields question_fields adds per conference)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired

from registration.conferences import text_fields
from registration.conferences.text_fields import field_name, in_languages, language_field
from registration.i18n import format_number, language_name
from registration.input_policy import PolicyForm, column_length, problem_in_line
from registration.signup.models import (
    AttendanceMode,
    Question,
    QuestionAudience,
    QuestionKind,
    QuestionStage,
)
from registration.signup.question_texts import option_lines
from registration.signup.questions import OPTION_MAX, option_problem, too_long
from registration.stored_text import TEXT_LANGUAGES, Translations


class AnswersForm(PolicyForm):
    """A person's answers to the conference's own questions (question_fields adds them)."""

    def __init__(self, mode: AttendanceMode, files_on_record: set[str], **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.mode_asked = mode
        self.files_on_record = files_on_record

    def answer_mode(self) -> AttendanceMode | None:
        return self.mode_asked


class QuestionForm(PolicyForm):
    """An organiser's question for the registration, its texts side by side in English,
    Russian and Kazakh (conferences/text_fields.py); those in the main language required."""

    language = language_field()
    label, label_ru, label_kk = in_languages(
        StringField, _l("Question"), column_length(Question.label)
    )
    help_text, help_text_ru, help_text_kk = in_languages(
        StringField, _l("Help text (optional)"), column_length(Question.help_text)
    )
    kind = SelectField(
        _l("Kind of answer"),
        choices=[SelectChoice(k.value, _l(k.label)) for k in QuestionKind],
        validators=[InputRequired(_l("Choose the kind of answer."))],
    )
    options, options_ru, options_kk = in_languages(
        TextAreaField, _l("Choices, one per line (for a choice from a list)"), 10_000
    )
    required = BooleanField(_l("An answer is required"))
    audience = RadioField(
        _l("Asked of"),
        choices=[SelectChoice(a.value, _l(a.label)) for a in QuestionAudience],
        default=QuestionAudience.ALL.value,
        validators=[InputRequired(_l("Choose whom the question is for."))],
    )
    stage = RadioField(
        _l("When"),
        choices=[SelectChoice(s.value, _l(s.label)) for s in QuestionStage],
        default=QuestionStage.REGISTRATION.value,
        validators=[InputRequired(_l("Choose when the question is asked."))],
    )
    sensitive = BooleanField(
        _l(
            "Sensitive (e.g. passport data): organisers only, never focal points; "
            "exported only when asked for; erased with the person's data"
        )
    )

    @property
    def main(self) -> str:
        return self.language.data if self.language.data in TEXT_LANGUAGES else "en"

    def main_text(self, name: str) -> str:
        return text_fields.main_text(self, name, self.main)

    def option_lines(self, language: str | None = None) -> tuple[str, ...]:
        """The choices typed in `language` (the main one by default)."""
        return tuple(option_lines(self[field_name("options", language or self.main)].data or ""))

    def translations(self) -> Translations:
        """Label, help text and choices in the other languages, as the question stores them
        (choices one per line, aligned with the main language's)."""
        return text_fields.translations(self, Question.TRANSLATED, self.main)

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        text_fields.require_main(self, "label", self.main)
        self._check_options()
        return valid and not any(f.errors for f in self)

    def _check_options(self) -> None:
        """The main language's choices fit the kind; each other language gives none (its
        readers see the main ones) or one per choice, in the same order."""
        try:
            kind = QuestionKind(self.kind.data)
        except ValueError:
            return
        main = self.option_lines()
        for language in TEXT_LANGUAGES:
            lines, field = self.option_lines(language), self[field_name("options", language)]
            if any(problem_in_line(line) for line in lines):
                field.errors.append(gettext("A choice holds a control character."))
            elif language == self.main:
                problem = option_problem(kind, lines)
                if problem is not None:
                    field.errors.append(problem.translated())
            elif lines and kind.has_options and len(lines) != len(main):
                field.errors.append(_mismatch(len(main), self.main))
            elif any(len(line) > OPTION_MAX for line in lines):
                field.errors.append(too_long().translated())


def _mismatch(count: int, main: str) -> str:
    return gettext(
        "Give one line per choice, in the order of the %(language)s ones (%(num)s), or none.",
        language=language_name(main),
        num=format_number(count),
    )


class RemoveQuestionForm(PolicyForm):
    confirm = BooleanField(
        _l("Yes, remove this question and every answer to it"),
        validators=[DataRequired(_l("Tick the box to confirm the removal."))],
    )
