"""The registration form's questions, read once per process and version of the questions.

The public form runs on every GET and POST; most conferences ask no questions of their own
and the others change theirs rarely. `signup_context` reads the questions' version in the
statement it runs anyway (`version_columns`): their count, highest id and latest
`updated_at`. Adding a question raises the count and the highest id, removing one lowers
the count, changing one moves its `updated_at` (the column's `onupdate`) to the latest, so
the version moves on every change whatever process made it, and each gunicorn worker reads
the questions again only then. With no question the form reads nothing.

The cache holds detached rows; each request gets them merged into its own session without
a statement (`Session.merge(load=False)`, SQLAlchemy's pattern for cached objects), so they
behave as if read in the request.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from datetime import datetime
from typing import Any

from cachetools import LRUCache
from sqlalchemy import ColumnElement, ScalarSelect, func

from registration.database import db
from registration.signup.answers import questions_of
from registration.signup.models import Question, QuestionStage

Version = tuple[int, int | None, datetime | None]

_cache: LRUCache[Hashable, tuple[Question, ...]] = LRUCache(maxsize=256)
_lock = threading.Lock()


def version_columns(conference_id: ColumnElement[Any]) -> list[ScalarSelect[Any]]:
    """Count, highest id and latest change of the conference's registration questions,
    as scalar subqueries for a statement that names the conference."""
    of_form = (
        Question.conference_id == conference_id,
        Question.stage == QuestionStage.REGISTRATION,
    )
    aggregates = (func.count(Question.id), func.max(Question.id), func.max(Question.updated_at))
    return [db.select(each).where(*of_form).scalar_subquery() for each in aggregates]


def form_questions(conference_id: int, version: Version) -> list[Question]:
    """The questions of the conference's registration form, in order, as of `version`."""
    if not version[0]:
        return []
    key = (str(db.engine.url), conference_id, version)
    with _lock:
        cached = _cache.get(key)
    if cached is None:
        loaded = questions_of(conference_id, QuestionStage.REGISTRATION)
        for question in loaded:
            db.session.expunge(question)
        cached = tuple(loaded)
        with _lock:
            _cache[key] = cached
    return [db.session.merge(question, load=False) for question in cached]
