"""Renaming an institution (in any language) or a member changes the panels whose speakers
or moderators belong to it: their events and mail name the institution (and the member of a
person without one).

The calendar caches, feed versions (ETags) and mail bodies are keyed on the panels' and
conferences' `updated_at` (`calendars.versions`, `calendars.loading.PEOPLE`,
`calendars.itip_cache`), which the conference services move on every change they make. A
rename is made in the directory, which knows nothing of panels, so a session hook moves
those `updated_at` in the same flush as the rename, whoever makes it (a page, the catalogue
sync, a command): the next feed or mail is written with the new name, not up to the caches'
expiry later.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect, or_, select, update
from sqlalchemy.orm import Session

from registration.conferences.models import Conference, Panel, PanelPerson, Person
from registration.database import utcnow
from registration.directory.models import Institution, Member

# What the panels' events and mail show of each (`Person.affiliation`, `calendars.loading`):
# an institution's name in its main language and in the others (`name_in_languages`).
SHOWN = {Institution: ("name", "language", "translations"), Member: ("name",)}


def _renamed(session: Session, model: type[Any]) -> list[int]:
    names = SHOWN[model]
    return [
        row.id
        for row in session.dirty
        if isinstance(row, model)
        and any(inspect(row).attrs[name].history.has_changes() for name in names)
    ]


def _touch_renamed(session: Session, _context: object, _instances: object) -> None:
    institutions, members = _renamed(session, Institution), _renamed(session, Member)
    if not institutions and not members:
        return
    people = select(Person.id).where(
        or_(Person.institution_id.in_(institutions), Person.member_id.in_(members))
    )
    panel_ids = select(PanelPerson.panel_id).where(PanelPerson.person_id.in_(people))
    conference_ids = select(Panel.conference_id).where(Panel.id.in_(panel_ids))
    now = utcnow()
    # Core statements on the flush's connection: no autoflush, no audit entry (the rename
    # is recorded; these rows' contents did not change).
    connection = session.connection()
    connection.execute(
        update(Conference.__table__)
        .where(Conference.__table__.c.id.in_(conference_ids))
        .values(updated_at=now)
    )
    connection.execute(
        update(Panel.__table__).where(Panel.__table__.c.id.in_(panel_ids)).values(updated_at=now)
    )


def init_hook() -> None:
    """Listen on every ORM session (once)."""
    if not event.contains(Session, "before_flush", _touch_renamed):
        event.listen(Session, "before_flush", _touch_renamed)
