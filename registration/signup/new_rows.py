"""A new registration on the public form's hot path: its row, its panels and its audit
entry, written without the unit of work (which would build, order and flush the same rows
at several times the cost).

On PostgreSQL one statement writes the three (the row's INSERT ... RETURNING id and the
others as data-modifying CTEs that take its id): one round trip instead of three. Elsewhere
(SQLite) three statements write the same rows.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, insert
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import make_transient_to_detached

from registration.audit import recorder as audit
from registration.database import db, utcnow
from registration.signup.models import Registration, RegistrationPanel, new_token

_TABLE = Registration.__table__
_PANELS = RegistrationPanel.__table__
_INSERT_REGISTRATION = insert(_TABLE).returning(_TABLE.c.id)
_INSERT_PANEL = insert(_PANELS)
# The columns a new registration is written with (`insert_registration`'s `values`).
_COLUMNS = (
    "conference_id", "member_id", "email", "name", "position", "institution", "institution_id",
    "institution_language", "mode", "role", "language", "mail_language", "consent_to_list",
    "status", "status_reason",
    "registered_by_id", "feed_token", "email_confirmed_at", "created_at", "updated_at",
)  # fmt: skip


@cache
def _one_statement() -> Select[Any]:
    """The row, its panels (`panel_ids`, an array) and its audit entry in one statement."""
    new = (
        insert(_TABLE)
        .values({name: bindparam(name, type_=_TABLE.c[name].type) for name in _COLUMNS})
        .returning(_TABLE.c.id)
        .cte("new_registration")
    )
    chosen = func.unnest(bindparam("panel_ids", type_=ARRAY(Integer)))
    panels = (
        insert(_PANELS)
        .from_select(["registration_id", "panel_id"], db.select(new.c.id, chosen))
        .cte("new_registration_panels")
    )
    entry = audit.entry_with(new, "subject_id", "registration_id")
    return db.select(new.c.id).add_cte(panels, entry)


def insert_registration(
    conference_id: int, email: str, fields: dict[str, Any], panel_ids: list[int]
) -> Registration:
    """A new registration with its panels and its audit entry, returned as a persistent
    object holding what was written."""
    now = utcnow()
    values = {key: value for key, value in fields.items() if key != "registered_by"}
    by = fields.get("registered_by")
    values |= {
        "conference_id": conference_id,
        "email": email,
        "registered_by_id": by.id if by is not None else None,
        "feed_token": new_token(),
        "email_confirmed_at": None,
        "created_at": now,
        "updated_at": now,
    }
    entry = _entry(values)
    if db.session.get_bind().dialect.name == "postgresql":
        parameters = values | {"panel_ids": panel_ids} | audit.entry_parameters(**entry)
        registration_id = db.session.execute(_one_statement(), parameters).scalar_one()
    else:
        registration_id = db.session.execute(_INSERT_REGISTRATION, values).scalar_one()
        if panel_ids:
            db.session.execute(
                _INSERT_PANEL,
                [{"registration_id": registration_id, "panel_id": pid} for pid in panel_ids],
            )
        audit.record(
            **entry, subject_id=registration_id, registration_id=registration_id, at_once=True
        )
    registration = Registration(id=registration_id, **values)
    make_transient_to_detached(registration)  # as if loaded: its relationships load on access
    db.session.add(registration)
    return registration


def _entry(values: dict[str, Any]) -> dict[str, Any]:
    """The audit entry of a new registration (`audit.record`'s arguments, but its ids)."""
    return {
        "action": "registration.created",
        "subject_type": "registration",
        "subject": values["name"],
        "conference_id": values["conference_id"],
        "changes": [
            audit.change("Status", None, values["status"]),
            audit.change("Attendance", None, values["mode"]),
            audit.change("Role", None, values["role"]),
            audit.change("Reason", None, values["status_reason"], personal=True),
        ],
    }
