"""Organisers build a conference's own questions: add, change, remove."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import func

from registration.database import db
from registration.i18n import format_number
from registration.signup.answers import erase_personal_file
from registration.signup.errors import SignupError
from registration.signup.models import (
    Answer,
    Question,
    QuestionAudience,
    QuestionKind,
    QuestionStage,
)

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


def option_problem(kind: QuestionKind, options: tuple[str, ...]) -> str | None:
    """What is wrong with the list of choices for this kind of question, if anything."""
    if not kind.has_options:
        return None
    if len(options) < 2:
        return gettext("Give at least two choices, one per line.")
    if len(options) > MAX_OPTIONS:
        return gettext("Give at most %(num)s choices.", num=format_number(MAX_OPTIONS))
    if len(set(options)) != len(options):
        return gettext("Each choice must differ from the others.")
    if any(len(option) > OPTION_MAX for option in options):
        return gettext(
            "Each choice must be at most %(num)s characters long.", num=format_number(OPTION_MAX)
        )
    return None


def answer_count(question_id: int) -> int:
    return (
        db.session.scalar(db.select(func.count(Answer.id)).filter_by(question_id=question_id)) or 0
    )


def save_question(
    conference_id: int, spec: QuestionSpec, question: Question | None = None
) -> Question:
    """Add a question at the end, or change one; commits. A question that has answers keeps
    its kind (add a new question instead), so no answer becomes unreadable."""
    problem = option_problem(spec.kind, spec.options)
    if problem:
        raise SignupError(problem)
    if question is None:
        last = db.session.scalar(
            db.select(func.max(Question.position)).filter_by(conference_id=conference_id)
        )
        question = Question(conference_id=conference_id, position=(last or 0) + 1)
        db.session.add(question)
    elif question.kind is not spec.kind and answer_count(question.id):
        raise SignupError(
            "This question has answers, so its kind cannot change; add a new question instead."
        )
    question.label = spec.label.strip()
    question.help_text = spec.help_text.strip()
    question.kind = spec.kind
    question.options = "\n".join(spec.options) if spec.kind.has_options else ""
    question.required = spec.required
    question.audience = spec.audience
    question.stage = spec.stage
    question.sensitive = spec.sensitive
    db.session.commit()
    return question


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
