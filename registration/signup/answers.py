"""Answers to a conference's own questions: reading, saving, showing, erasing.

Who sees what: organisers see every answer; focal points and exports see sensitive answers
never, resp. only when the organiser asks for them (`visible`). The retention rule erases
answers and their files with `erase_answers` (issue 12 calls it with the other personal data).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext

from registration import files
from registration.database import db
from registration.directory.countries import country_name
from registration.i18n import page_language, strftime
from registration.signup.models import (
    Answer,
    AttendanceMode,
    PersonalFile,
    Question,
    QuestionKind,
    QuestionStage,
    Registration,
    RegistrationStatus,
)
from registration.signup.question_texts import choice_texts
from registration.stored_text import Shown


@dataclass(frozen=True)
class AnswerInput:
    """What a form said for one question; `upload` is a checked file to store."""

    question_id: int
    value: str
    upload: files.CheckedFile | None = None


def questions_of(conference_id: int, stage: QuestionStage | None = None) -> list[Question]:
    query = db.select(Question).filter_by(conference_id=conference_id)
    if stage is not None:
        query = query.filter_by(stage=stage)
    return list(db.session.scalars(query.order_by(Question.position, Question.id)))


def questions_for(registration: Registration) -> list[Question]:
    """The questions this person is asked now: the form's, and once approved the follow-up's."""
    stages = {QuestionStage.REGISTRATION}
    if registration.status is RegistrationStatus.APPROVED:
        stages.add(QuestionStage.FOLLOW_UP)
    return [
        question
        for question in questions_of(registration.conference_id)
        if question.stage in stages and question.asked_of(registration.mode)
    ]


def has_follow_up(conference_id: int, mode: AttendanceMode) -> bool:
    return any(q.asked_of(mode) for q in questions_of(conference_id, QuestionStage.FOLLOW_UP))


def answers_of(registration_id: int) -> dict[int, Answer]:
    rows = db.session.scalars(db.select(Answer).filter_by(registration_id=registration_id))
    return {answer.question_id: answer for answer in rows}


def answers_for(registration_ids: Iterable[int]) -> dict[int, dict[int, Answer]]:
    """Per registration, its answers by question id, in one query."""
    ids = list(registration_ids)
    found: dict[int, dict[int, Answer]] = {rid: {} for rid in ids}
    if not ids:
        return found
    rows = db.session.scalars(db.select(Answer).where(Answer.registration_id.in_(ids)))
    for answer in rows:
        found[answer.registration_id][answer.question_id] = answer
    return found


def save_answers(registration: Registration, inputs: Iterable[AnswerInput]) -> list[str]:
    """Write the answers (no commit); returns the keys of files stored on disk, which the
    caller erases if its transaction fails. An empty answer removes the stored one, except
    a file answer sent without a new file, which keeps the file it had."""
    given_answers = list(inputs)
    if not given_answers:  # a form without questions: nothing to read or write
        return []
    current = answers_of(registration.id) if registration.id is not None else {}
    stored: list[str] = []
    for given in given_answers:
        answer = current.get(given.question_id)
        if given.upload is None and answer is not None and answer.file_id and not given.value:
            continue
        if not given.value and given.upload is None:
            if answer is not None:
                _drop(answer)
            continue
        if answer is None:
            answer = Answer(registration_id=registration.id, question_id=given.question_id)
            db.session.add(answer)
        answer.value = given.value
        if given.upload is not None:
            old = answer.file
            key = files.store(given.upload.content, given.upload.extension)
            stored.append(key)
            answer.file = PersonalFile(
                registration_id=registration.id,
                key=key,
                filename=given.value,
                content_type=given.upload.content_type,
                size=len(given.upload.content),
            )
            if old is not None:
                erase_personal_file(old)
    db.session.flush()
    return stored


def _drop(answer: Answer) -> None:
    if answer.file is not None:
        erase_personal_file(answer.file)
    db.session.delete(answer)


def erase_personal_file(personal_file: PersonalFile) -> None:
    """Remove the row now and the file on disk once the transaction commits."""
    key = personal_file.key
    db.session.delete(personal_file)
    _erase_after_commit(key)


def _erase_after_commit(key: str) -> None:
    from sqlalchemy import event

    session = db.session()

    def erase(_: object) -> None:
        files.erase(key)

    event.listen(session, "after_commit", erase, once=True)


def forget_files(keys: Iterable[str]) -> None:
    """Erase files written by a transaction that did not commit."""
    for key in keys:
        files.erase(key)


def erase_answers(registration_ids: Iterable[int], *, sensitive_only: bool = False) -> int:
    """The retention hook: delete these registrations' answers and their files (no commit);
    returns how many answers went."""
    ids = list(registration_ids)
    if not ids:
        return 0
    query = db.select(Answer).where(Answer.registration_id.in_(ids))
    if sensitive_only:
        query = query.join(Answer.question).where(Question.sensitive.is_(True))
    answers = list(db.session.scalars(query))
    for answer in answers:
        _drop(answer)
    return len(answers)


def shown(answer: Answer | None, question: Question, language: str | None = None) -> Shown:
    """An answer as a person reads it, in the page's language (or `language`), with the
    language it is really in: a choice in the question's main language when it has no
    translation (a page marks it with `lang`); a typed text as the page's, unknown."""
    language = language or page_language()
    value = answer.value if answer is not None else ""
    if not value:
        return Shown("", language)
    if question.kind.has_options:  # each choice in `language`, else the main one
        return choice_texts(question, value.splitlines(), language)
    if question.kind is QuestionKind.COUNTRY:
        return Shown(country_name(value, language), language)
    if question.kind is QuestionKind.YES_NO:
        return Shown(gettext("Yes") if value == "yes" else gettext("No"), language)
    if question.kind is QuestionKind.DATE:
        try:
            return Shown(strftime(date.fromisoformat(value), "%d %B %Y"), language)
        except ValueError:
            pass
    return Shown(value, language)


def visible(questions: Iterable[Question], *, sensitive: bool) -> list[Question]:
    """The questions a viewer may see: all for organisers (sensitive=True), else the others."""
    return [q for q in questions if sensitive or not q.sensitive]


def record_answers(registration: Registration, inputs: Iterable[AnswerInput]) -> None:
    """The person's answers from their answers page, saved in one transaction; commits."""
    stored: list[str] = []
    try:
        stored = save_answers(registration, inputs)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        forget_files(stored)
        raise


def files_on_record(questions: Iterable[Question], answers: dict[int, Answer]) -> dict[str, str]:
    """Field name -> file name, for file questions answered already."""
    return {
        q.field_name: answers[q.id].value
        for q in questions
        if q.kind is QuestionKind.FILE and q.id in answers and answers[q.id].file_id
    }


def questions_status(registration: Registration) -> dict[str, int]:
    """For the person's page: how many questions they are asked, and how many required ones
    are still unanswered."""
    if not registration.is_active:
        return {"questions_asked": 0, "questions_unanswered": 0}
    asked = questions_for(registration)
    given = answers_of(registration.id) if asked else {}
    missing = [q for q in asked if q.required and not (q.id in given and given[q.id].value)]
    return {"questions_asked": len(asked), "questions_unanswered": len(missing)}
