"""Which register scheme numbers a conference's visa letters: its own choice (a scheme, or
its own numbering), else its series', else none (the letters are then numbered per
conference)."""

from __future__ import annotations

from sqlalchemy import or_

from registration.conferences.models import Conference
from registration.correspondence.models import NumberingScheme
from registration.database import db
from registration.delegates.models import LetterNumbering
from registration.i18n import N_


def _choices(conference: Conference) -> list[LetterNumbering]:
    conditions = [LetterNumbering.conference_id == conference.id]
    if conference.series_id is not None:
        conditions.append(LetterNumbering.series_id == conference.series_id)
    return list(db.session.scalars(db.select(LetterNumbering).where(or_(*conditions))))


def in_force(conference: Conference) -> LetterNumbering | None:
    """The choice that numbers this conference's letters: its own, else its series' (a choice
    without a scheme: the conference numbers its letters itself)."""
    found = sorted(_choices(conference), key=lambda c: c.conference_id is None)
    return found[0] if found else None


def scheme_for(conference: Conference) -> NumberingScheme | None:
    """The scheme that gives this conference's letters their numbers, if one is chosen."""
    choice = in_force(conference)
    return choice.scheme if choice is not None else None


def choose(conference: Conference, scheme_id: int | None, *, whole_series: bool) -> None:
    """Number the letters of this conference (or of its whole series) from the scheme, or
    per conference when `scheme_id` is None; commits. Issued letters keep their numbers.

    A conference's own choice, a scheme or its own numbering, overrides its series' and
    leaves the series alone; a choice for the whole series drops the conference's own."""
    if scheme_id is not None and db.session.get(NumberingScheme, scheme_id) is None:
        raise ValueError(N_("There is no such numbering scheme."))
    whole_series = whole_series and conference.series_id is not None
    for choice in _choices(conference):
        if choice.conference_id is not None or whole_series:
            db.session.delete(choice)
    db.session.flush()
    if whole_series:
        if scheme_id is not None:
            db.session.add(LetterNumbering(series_id=conference.series_id, scheme_id=scheme_id))
    elif scheme_id is not None or conference.series_id is not None:
        db.session.add(LetterNumbering(conference_id=conference.id, scheme_id=scheme_id))
    db.session.commit()
