"""Organisers build a conference's own questions: add, change, remove.

A question's texts are in its main language with translations beside them; an answer to a
choice keeps the choice's main-language text. So a question with answers keeps its kind and
main language, and each answered choice keeps its main-language text (it may move, and its
translations may change): an edit never orphans an answer nor gives it another meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext
from sqlalchemy import func

from registration.database import db
from registration.i18n import N_, format_number
from registration.signup.answers import erase_personal_file
from registration.signup.errors import SignupError
from registration.signup.models import (
    Answer,
    Question,
    QuestionAudience,
    QuestionKind,
    QuestionStage,
)
from registration.stored_text import Translations

MAX_OPTIONS = 50
OPTION_MAX = 200


@dataclass(frozen=True)
class QuestionSpec:
    """What the organiser's form says about a question."""

    label: str
    kind: QuestionKind
    help_text: str = ""
    options: tuple[str, ...] = ()
    required: bool = False
    audience: QuestionAudience = QuestionAudience.ALL
    stage: QuestionStage = QuestionStage.REGISTRATION
    sensitive: bool = False
    language: str = "en"  # of label, help text and options
    translations: Translations = field(default_factory=dict)


class QuestionError(SignupError):
    """A change the question cannot take; `field` names the form field it concerns."""

    def __init__(self, field: str, message: str, **values: str) -> None:
        super().__init__(message, **values)
        self.field = field

    def translated(self) -> str:
        """The message in the page's language; its values (a choice) as typed."""
        return gettext(self.message, **self.values)


def too_long() -> SignupError:
    return SignupError(
        N_("Each choice must be at most %(num)s characters long."), num=format_number(OPTION_MAX)
    )


def option_problem(kind: QuestionKind, options: tuple[str, ...]) -> SignupError | None:
    """What is wrong with the list of choices for this kind of question, if anything."""
    if not kind.has_options:
        return None
    if len(options) < 2:
        return SignupError(N_("Give at least two choices, one per line."))
    if len(options) > MAX_OPTIONS:
        return SignupError(N_("Give at most %(num)s choices."), num=format_number(MAX_OPTIONS))
    if len(set(options)) != len(options):
        return SignupError(N_("Each choice must differ from the others."))
    if any(len(option) > OPTION_MAX for option in options):
        return too_long()
    return None


def answer_count(question_id: int) -> int:
    return (
        db.session.scalar(db.select(func.count(Answer.id)).filter_by(question_id=question_id)) or 0
    )


def answered_choices(question_id: int) -> set[str]:
    """The choices (main-language texts) that some answer to the question holds."""
    values = db.session.scalars(
        db.select(Answer.value).filter_by(question_id=question_id).distinct()
    )
    return {line for value in values for line in value.splitlines() if line}


def _refusal(question: Question, spec: QuestionSpec) -> QuestionError | None:
    """Why this change would orphan or change the meaning of given answers, if it would."""
    if not answer_count(question.id):
        return None
    if question.kind is not spec.kind:
        return QuestionError(
            "kind",
            N_("This question has answers, so its kind cannot change; add a new question instead."),
        )
    if question.language != spec.language:
        return QuestionError(
            "language",
            N_(
                "This question has answers, so its main language cannot change: the answers "
                "hold its choices in that language."
            ),
        )
    orphaned = sorted(answered_choices(question.id) - set(spec.options))
    if spec.kind.has_options and orphaned:
        return QuestionError(
            "options",
            N_(
                "The choice “%(choice)s” has answers: keep it as it is in the main language "
                "(it may move, and its translations may change), or add a new question."
            ),
            choice=orphaned[0],
        )
    return None


def save_question(
    conference_id: int, spec: QuestionSpec, question: Question | None = None
) -> Question:
    """Add a question at the end, or change one; commits. A question that has answers keeps
    its kind, main language and answered choices (`_refusal`), so no answer is orphaned; a
    refusal (QuestionError) comes before anything is changed, so the session stays clean."""
    problem = option_problem(spec.kind, spec.options)
    if problem:
        raise QuestionError("options", problem.message, **problem.values)
    if question is not None:
        refusal = _refusal(question, spec)
        if refusal is not None:
            raise refusal
    if question is None:
        last = db.session.scalar(
            db.select(func.max(Question.position)).filter_by(conference_id=conference_id)
        )
        question = Question(conference_id=conference_id, position=(last or 0) + 1)
        db.session.add(question)
    question.language = spec.language
    question.label = spec.label.strip()
    question.help_text = spec.help_text.strip()
    question.kind = spec.kind
    question.options = "\n".join(spec.options) if spec.kind.has_options else ""
    question.translations = _kept_translations(spec)
    question.required = spec.required
    question.audience = spec.audience
    question.stage = spec.stage
    question.sensitive = spec.sensitive
    db.session.commit()
    return question


def _kept_translations(spec: QuestionSpec) -> Translations:
    """The translations to store: no choices for a kind without them."""
    kept: Translations = {}
    for language, texts in spec.translations.items():
        texts = {k: v for k, v in texts.items() if k != "options" or spec.kind.has_options}
        if texts:
            kept[language] = texts
    return kept


def delete_question(question: Question) -> int:
    """Remove a question with its answers and their files; commits; how many answers went."""
    answers = list(db.session.scalars(db.select(Answer).filter_by(question_id=question.id)))
    for answer in answers:
        if answer.file is not None:
            erase_personal_file(answer.file)
        db.session.delete(answer)
    db.session.delete(question)
    db.session.commit()
    return len(answers)


def move_question(question: Question, offset: int) -> None:
    """Swap the question with its neighbour above (-1) or below (+1); commits."""
    siblings = list(
        db.session.scalars(
            db.select(Question)
            .filter_by(conference_id=question.conference_id)
            .order_by(Question.position, Question.id)
        )
    )
    index = siblings.index(question)
    other = index + offset
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position
    db.session.commit()
