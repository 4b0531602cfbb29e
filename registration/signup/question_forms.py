"""Forms of a conference's own questions: the organiser's question, its removal, and the
person's answers (whose fields question_fields adds per conference)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from registration.input_policy import PolicyForm, column_length, problem_in_line
from registration.signup.forms import STRIP
from registration.signup.models import (
    AttendanceMode,
    Question,
    QuestionAudience,
    QuestionKind,
    QuestionStage,
)
from registration.signup.questions import option_problem


class AnswersForm(PolicyForm):
    """A person's answers to the conference's own questions (question_fields adds them)."""

    def __init__(self, mode: AttendanceMode, files_on_record: set[str], **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.mode_asked = mode
        self.files_on_record = files_on_record

    def answer_mode(self) -> AttendanceMode | None:
        return self.mode_asked


class QuestionForm(PolicyForm):
    """An organiser's question for the registration ."""

    label = StringField(
        _l("Question"),
        filters=STRIP,
        validators=[
            DataRequired(_l("Write the question.")),
            Length(max=column_length(Question.label)),
        ],
    )
    help_text = StringField(
        _l("Help text (optional)"),
        filters=STRIP,
        validators=[Length(max=column_length(Question.help_text))],
    )
    kind = SelectField(
        _l("Kind of answer"),
        choices=[SelectChoice(k.value, _l(k.label)) for k in QuestionKind],
        validators=[InputRequired(_l("Choose the kind of answer."))],
    )
    options = TextAreaField(
        _l("Choices, one per line (for a choice from a list)"), validators=[Length(max=10_000)]
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

    def option_lines(self) -> tuple[str, ...]:
        return tuple(
            line.strip() for line in (self.options.data or "").splitlines() if line.strip()
        )

    def validate_options(self, field: TextAreaField) -> None:
        try:
            kind = QuestionKind(self.kind.data)
        except ValueError:
            return
        for line in self.option_lines():
            if problem_in_line(line):
                raise ValidationError(_l("A choice holds a control character."))
        problem = option_problem(kind, self.option_lines())
        if problem:
            raise ValidationError(problem)


class RemoveQuestionForm(PolicyForm):
    confirm = BooleanField(
        _l("Yes, remove this question and every answer to it"),
        validators=[DataRequired(_l("Tick the box to confirm the removal."))],
    )
