"""The form fields of a conference's own questions, added to the registration form and to
the person's answers page; validated on the server, each value kept when the form comes back.

A question is asked of some registrants only (in person, online): the `Asked` validator
checks a field only when its question applies to the attendance mode the form says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask import request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from markupsafe import Markup, escape
from werkzeug.datastructures import FileStorage
from wtforms import (
    DateField,
    Field,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.core import UnboundField
from wtforms.validators import Length, StopValidation, ValidationError

from registration import files, pending_uploads
from registration.directory.countries import country_choices
from registration.i18n import page_language
from registration.input_policy import problem_in_line
from registration.signup.answers import AnswerInput
from registration.signup.forms import CheckboxesField
from registration.signup.models import Answer, AttendanceMode, Question, QuestionKind
from registration.signup.question_texts import choice_labels

SHORT_MAX = 500
LONG_MAX = 5000
REQUIRED = _l("Answer this question.")
FILE_REQUIRED = _l("Choose a file to upload.")
AUDIENCE_HINTS = {
    "in_person": _l("For participants attending in person."),
    "online": _l("For participants attending online."),
}


def _is_empty(field: Field) -> bool:
    if isinstance(field, FileField):
        return not isinstance(field.data, FileStorage) or not field.data.filename
    if isinstance(field, CheckboxesField):
        return not field.data
    raw = field.raw_data or []
    return not raw or not str(raw[0]).strip()


class Asked:
    """Checks a question's field only when it is asked of this registrant; required or not.
    A file sent before, when the form came back for another mistake, answers it again."""

    def __init__(self, question: Question) -> None:
        self.audience = question.audience
        self.required = question.required
        self.is_file = question.kind is QuestionKind.FILE
        self.purpose = purpose(question)
        self.field_flags = {"required": question.required}

    def __call__(self, form: Any, field: Field) -> None:
        mode = form.answer_mode()
        asked = mode is not None and self.audience.includes(mode)
        if asked and self.is_file and _is_empty(field) and _take_kept(field, self.purpose):
            raise StopValidation()
        if asked and _is_empty(field):
            kept = self.is_file and field.name in getattr(form, "files_on_record", set())
            if self.required and not kept:
                field.errors[:] = []
                raise StopValidation(FILE_REQUIRED if self.is_file else REQUIRED)
            asked = False
        if not asked:
            field.errors[:] = []
            raise StopValidation()


def _checked_upload(form: Any, field: Field) -> None:
    """The file's content decides: an image (re-encoded) or a PDF, else a message."""
    upload: FileStorage = field.data
    content = upload.read()
    try:
        field.checked = files.checked_file(content)
    except files.FileRefusedError as error:
        raise ValidationError(gettext(str(error))) from None
    field.sent = (field.checked.content, upload.filename or "")  # what a retry may keep


def purpose(question: Question) -> str:
    """What a pending upload's token is good for: this question's answer only."""
    return f"question:{question.id}"


def kept_name(field: Field) -> str:
    """The name of the hidden field that carries a file question's pending upload."""
    return f"{field.name}-kept"


def _take_kept(field: Field, purpose: str) -> bool:
    """Answer the field with the upload kept for it last time, if its token is good."""
    found = pending_uploads.take(request.form.get(kept_name(field), ""), purpose)
    if found is None:
        return False
    content, kept = found
    try:
        field.checked = files.checked_file(content)
    except files.FileRefusedError:
        return False
    field.sent, field.kept = (content, kept.filename), kept
    return True


def keep_uploads(form: Any, questions: Sequence[Question]) -> None:
    """Before the form comes back with mistakes: keep each accepted file as a pending
    upload, so the page can carry it (`kept_name`) and the person need not send it again."""
    for question in questions:
        if question.kind is not QuestionKind.FILE:
            continue
        field = form[question.field_name]
        sent = getattr(field, "sent", None)
        if sent is not None and not field.errors and getattr(field, "kept", None) is None:
            field.kept = pending_uploads.keep(sent[0], sent[1], purpose(question))


def _filename_problem(form: Any, field: Field) -> None:
    name = field.data.filename if isinstance(field.data, FileStorage) else ""
    if name and problem_in_line(name):
        raise ValidationError(gettext("The file's name has a control character; rename it."))


def _unbound(question: Question) -> UnboundField:
    """The field of one question (its texts in the page's language come later:
    `offer_choices`)."""
    asked = Asked(question)
    label, hint = question.label, question.help_text
    kind = question.kind
    if kind is QuestionKind.SHORT_TEXT:
        return StringField(label, description=hint, validators=[asked, Length(max=SHORT_MAX)])
    if kind is QuestionKind.LONG_TEXT:
        return TextAreaField(label, description=hint, validators=[asked, Length(max=LONG_MAX)])
    if kind is QuestionKind.SINGLE_CHOICE:
        options = [SelectChoice(c, c) for c in question.choices]
        return RadioField(label, description=hint, choices=options, validators=[asked])
    if kind is QuestionKind.MULTIPLE_CHOICE:
        options = [SelectChoice(c, c) for c in question.choices]
        return CheckboxesField(label, description=hint, choices=options, validators=[asked])
    if kind is QuestionKind.DATE:
        return DateField(label, description=hint, validators=[asked])
    if kind is QuestionKind.COUNTRY:
        return SelectField(label, description=hint, choices=[], validators=[asked])
    if kind is QuestionKind.YES_NO:
        return RadioField(label, description=hint, choices=[], validators=[asked])
    return FileField(
        label,
        description=hint or _l("A JPEG or PNG image or a PDF document."),
        validators=[asked, _filename_problem, _checked_upload],
    )


def version(question: Question) -> tuple[object, ...]:
    """What a question's field depends on: a cached form or page is rebuilt when it moves."""
    return (question.id, question.updated_at, question.kind, question.options)


@lru_cache(maxsize=256)
def _form_class(base: type, keys: tuple[tuple[object, ...], ...], questions: Any) -> type:
    fields = {q.field_name: _unbound(q) for q in questions.value}
    names = tuple(fields)
    order = (*getattr(base, "field_order", ()), *names)
    return type(f"{base.__name__}WithQuestions", (base,), {**fields, "field_order": order})


class _Carried:
    """Questions carried into the cached builder without taking part in its key."""

    def __init__(self, value: Sequence[Question]) -> None:
        self.value = value

    def __hash__(self) -> int:
        return 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Carried)


def form_class(base: type, questions: Sequence[Question]) -> type:
    """`base` with a field per question, built once per set of questions as they stand."""
    if not questions:
        return base
    return _form_class(base, tuple(version(q) for q in questions), _Carried(tuple(questions)))


def offer_choices(form: Any, questions: Sequence[Question]) -> None:
    """Texts in the page's language (else the question's main one, marked with `lang`): the
    question, its choices (each keeping its stable value), countries, yes and no."""
    language = page_language()
    for question in questions:
        field = form[question.field_name]
        field.label.text = question.shown("label", language)
        if question.kind.has_options:
            field.choices = [SelectChoice(v, text) for v, text in choice_labels(question, language)]
        elif question.kind is QuestionKind.COUNTRY:
            countries = [SelectChoice(code, name) for code, name in country_choices(language)]
            field.choices = [SelectChoice("", gettext("Choose…")), *countries]
        elif question.kind is QuestionKind.YES_NO:
            field.choices = [SelectChoice("yes", gettext("Yes")), SelectChoice("no", gettext("No"))]


@dataclass(frozen=True)
class Shown:
    """A question's field as a page shows it, with its hint (the organiser's help text and
    who the question is for)."""

    question: Question
    field: Field
    hint: Markup

    @property
    def is_file(self) -> bool:
        return self.question.kind is QuestionKind.FILE


def question_fields(form: Any, questions: Sequence[Question]) -> list[Shown]:
    """Each question's field with its hint: the help text in the page's language (else the
    main one, marked with `lang`) or the field's own, and whom it is asked of."""
    shown = []
    for question in questions:
        field = form[question.field_name]
        audience = AUDIENCE_HINTS.get(question.audience.value)
        help_text = question.shown("help_text") or str(field.description or "")
        parts = [escape(help_text), escape(str(audience or ""))]
        shown.append(Shown(question, field, Markup(" ").join(p for p in parts if p)))
    return shown


def stored_values(questions: Sequence[Question], answers: dict[int, Answer]) -> dict[str, Any]:
    """Form data from stored answers, to fill the answers page."""
    from datetime import date

    data: dict[str, Any] = {}
    for question in questions:
        answer = answers.get(question.id)
        if answer is None or question.kind is QuestionKind.FILE:
            continue
        value: Any = answer.value
        if question.kind is QuestionKind.MULTIPLE_CHOICE:
            value = value.splitlines()
        elif question.kind is QuestionKind.DATE:
            try:
                value = date.fromisoformat(value)
            except ValueError:
                value = None
        data[question.field_name] = value
    return data


def answers_from(
    form: Any, questions: Sequence[Question], mode: AttendanceMode
) -> list[AnswerInput]:
    """What the form says for each question asked of a registrant in this mode."""
    found = []
    for question in questions:
        if not question.asked_of(mode):
            continue
        field = form[question.field_name]
        data = field.data
        upload = None
        if question.kind is QuestionKind.FILE:
            upload = getattr(field, "checked", None)
            sent = getattr(field, "sent", None)
            value = sent[1][:255] if upload is not None and sent is not None else ""
        elif question.kind is QuestionKind.MULTIPLE_CHOICE:
            value = "\n".join(c for c in question.choices if c in (data or []))
        elif question.kind is QuestionKind.DATE:
            value = data.isoformat() if data else ""
        else:
            value = (data or "").strip() if isinstance(data, str) else ""
        found.append(AnswerInput(question.id, value, upload))
    return found
