"""Writing audit entries: `record` for an event, a session hook for watched models.

Entries go through the session that carries the change, so they commit or roll back with
it. The actor is whoever is signed in, the participant on their own pages (anonymous), or
"system" outside a request (workers, commands) unless `acting_as` says otherwise.
"""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from flask import current_app, has_request_context
from flask_login import current_user
from sqlalchemy import CTE, bindparam, event, insert, inspect
from sqlalchemy.orm import Session

from registration.audit.lines import TIME
from registration.audit.models import AuditEntry
from registration.database import db, utcnow
from registration.i18n import N_


@dataclass(frozen=True)
class Actor:
    kind: str  # organiser, focal point, participant, system
    label: str
    user_id: int | None = None


SYSTEM = Actor("system", "System")
PARTICIPANT = Actor("participant", "The participant (own link)")
_acting: ContextVar[Actor | None] = ContextVar("audit_actor", default=None)
# The app extension under which the staff roles answer what the signed-in user may do here.
HELD_PERMISSIONS = "held_permissions"


@contextlib.contextmanager
def acting_as(actor: Actor) -> Iterator[None]:
    """Entries written inside the block name this actor."""
    token = _acting.set(actor)
    try:
        yield
    finally:
        _acting.reset(token)


def current_actor() -> Actor:
    chosen = _acting.get()
    if chosen is not None:
        return chosen
    if not has_request_context():
        return SYSTEM
    user = current_user
    if not user or not user.is_authenticated:
        return PARTICIPANT
    kind = "organiser" if _is_staff(user) else "focal point"
    return Actor(kind, user.name or user.email, user.id)


def _is_staff(user: Any) -> bool:
    """Secretariat staff: an administrator, or a role checked for this page (the staff roles
    register that check as the app's `held_permissions`). Kind "organiser" covers every staff
    role; the entry names the person."""
    held = current_app.extensions.get(HELD_PERMISSIONS)
    return bool(user.is_administrator or (held is not None and held()))


def shown(value: Any) -> str | None:
    """A stored value as the secretariat reads it (words translated where shown); a time as
    an ISO instant in UTC, written in the reader's language where shown (`lines`)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, enum.Enum):
        return getattr(value, "label", str(value.value))
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def change(
    label: str, before: Any, after: Any, *, personal: bool = False, language: str | None = None
) -> dict[str, Any]:
    """One line of an entry's changes: a field in words (a marked label), before -> after;
    `language` the code of a text in another language (the shape: `lines`)."""
    line: dict[str, Any] = {"field": label, "before": shown(before), "after": shown(after)}
    if language is not None:
        line["language"] = language
    if isinstance(before, datetime) or isinstance(after, datetime):
        line["kind"] = TIME
    if personal:
        line["personal"] = True
    return line


def record(
    action: str,
    *,
    subject_type: str,
    subject_id: int | None = None,
    subject: str = "",
    subject_values: Mapping[str, Any] | None = None,
    conference_id: int | None = None,
    registration_id: int | None = None,
    changes: list[dict[str, Any]] | None = None,
    note: str = "",
    note_values: Mapping[str, Any] | None = None,
    at_once: bool = False,
) -> None:
    """Add an entry to the session, to commit (or roll back) with the change. `subject` and
    `note` are each a marked message filled with its values where shown, in the reader's
    language (`i18n.worded`: numbers, texts in several languages, messages, languages), or
    (no values) text kept as given: a name, an address, what an organiser typed.
    `at_once` writes it now by one INSERT in the session's transaction, without the unit of
    work: for the public form's hot path, where flushing the entry cost more than the
    statement."""
    values = _values(
        action, subject_type, subject_id, subject, conference_id, registration_id, changes, note
    )
    values["subject_values"] = None if subject_values is None else dict(subject_values)
    values["note_values"] = None if note_values is None else dict(note_values)
    if at_once:
        db.session.execute(_INSERT, values)
    else:
        db.session.add(AuditEntry(**values))


# A subject that is a stored text alone (a title): no words of its own to translate, so not
# a marked message; its value is said in the reader's language.
TEXT_ALONE = "%(text)s"


def text_subject(texts: Mapping[str, Any]) -> dict[str, Any]:
    """`record`'s subject and values for a stored text alone, in its languages (a title:
    `Translated.in_languages`), shown in the reader's language."""
    return {"subject": TEXT_ALONE, "subject_values": {"text": dict(texts)}}


_INSERT = AuditEntry.__table__.insert()
# `entry_with`'s parameters: an entry's columns under this prefix, beside its subject's.
_PREFIX = "entry_"


def entry_with(new: CTE, *ids: str) -> CTE:
    """An INSERT of one entry as a CTE of the statement that inserts its subject (`new`, an
    INSERT ... RETURNING id as a CTE; PostgreSQL): the columns named in `ids` take the new
    row's id, the others the parameters `entry_parameters` gives. For hot paths: the entry
    travels in its subject's statement, in its transaction."""
    table = AuditEntry.__table__
    bound = [name for name in _COLUMNS if name not in ids]
    source = db.select(
        *(bindparam(_PREFIX + name, type_=table.c[name].type) for name in bound),
        *(new.c.id.label(name) for name in ids),
    )
    return insert(table).from_select([*bound, *ids], source).cte(f"{new.name}_entry")


def entry_parameters(
    action: str,
    *,
    subject_type: str,
    subject: str = "",
    conference_id: int | None = None,
    changes: list[dict[str, Any]] | None = None,
    note: str = "",
) -> dict[str, Any]:
    """The parameters of `entry_with`'s entry: the same values as `record` writes."""
    values = _values(action, subject_type, None, subject, conference_id, None, changes, note)
    return {_PREFIX + name: value for name, value in values.items()}


_COLUMNS = (
    "at", "actor_kind", "actor_id", "actor", "action", "conference_id", "registration_id",
    "subject_type", "subject_id", "subject", "changes", "note",
)  # fmt: skip


def _values(
    action: str,
    subject_type: str,
    subject_id: int | None,
    subject: str,
    conference_id: int | None,
    registration_id: int | None,
    changes: list[dict[str, Any]] | None,
    note: str,
) -> dict[str, Any]:
    actor = current_actor()
    return {
        "at": utcnow(),
        "actor_kind": actor.kind,
        "actor_id": actor.user_id,
        "actor": actor.label[:300],
        "action": action,
        "conference_id": conference_id,
        "registration_id": registration_id,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "subject": subject[:300],
        "changes": changes or [],
        "note": note,
    }


# --- watched models ---------------------------------------------------------------------


@dataclass(frozen=True)
class Watch:
    """How a model's changes become entries.

    `fields`: attribute -> words; `personal`: those erased by retention; `action(obj, verb,
    changed)` names the entry ("created", "updated", "deleted" and the changed attributes
    with (before, after)), or None to leave it out; `subject(values)` text as stored (a
    name), or a marked message and its values (as `record` takes them).
    """

    subject_type: str
    fields: Mapping[str, str]
    action: Callable[[Any, str, dict[str, tuple[Any, Any]]], str | None]
    subject: Callable[[dict[str, Any]], str | tuple[str, dict[str, Any]]]
    conference_id: Callable[[dict[str, Any]], int | None]
    registration_id: Callable[[dict[str, Any]], int | None] = lambda values: None
    personal: frozenset[str] = field(default_factory=frozenset)


_watches: dict[type, Watch] = {}
# The JSON column of a record's texts in other languages ({"ru": {"title": ...}}).
TRANSLATIONS = "translations"


def watch(model: type, spec: Watch) -> None:
    _watches[model] = spec


def _changed(obj: Any, spec: Watch, verb: str) -> dict[str, tuple[Any, Any]]:
    state = inspect(obj)
    changed: dict[str, tuple[Any, Any]] = {}
    for name in spec.fields:
        if verb == "updated":
            history = state.attrs[name].history
            if not history.has_changes():
                continue
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if _differ(before, after):
                changed[name] = (before, after)
        else:
            value = state.dict.get(name)
            if value is not None and value != "" and value != {}:
                changed[name] = (None, value) if verb == "created" else (value, None)
    return changed


def _differ(before: Any, after: Any) -> bool:
    """Changed as the secretariat reads it: to the minute; texts per language by content."""
    if isinstance(before, dict) or isinstance(after, dict):
        return (before or {}) != (after or {})
    return shown(before) != shown(after)


def _lines(spec: Watch, name: str, before: Any, after: Any) -> list[dict[str, Any]]:
    """A field's lines; the texts in other languages (`translations`) one per language and
    field, the field's label and the language's code: "Title" in "ru", before -> after."""
    if name != TRANSLATIONS:
        return [change(spec.fields[name], before, after, personal=name in spec.personal)]
    before, after = before or {}, after or {}
    lines = []
    for language in sorted(before.keys() | after.keys()):
        old, new = before.get(language) or {}, after.get(language) or {}
        for text in sorted(old.keys() | new.keys()):
            if (old.get(text) or None) != (new.get(text) or None):
                label = spec.fields.get(text, text.replace("_", " ").capitalize())
                lines.append(change(label, old.get(text), new.get(text), language=language))
    return lines


def _entry_values(obj: Any, spec: Watch, verb: str, actor: Actor) -> dict[str, Any] | None:
    changed = _changed(obj, spec, verb)
    if verb == "updated" and not changed:
        return None
    action = spec.action(obj, verb, changed)
    if action is None:
        return None
    values = dict(inspect(obj).dict)
    subject = spec.subject(values) or ""
    subject, subject_values = subject if isinstance(subject, tuple) else (subject, None)
    return {
        "at": utcnow(),
        "actor_kind": actor.kind,
        "actor_id": actor.user_id,
        "actor": actor.label[:300],
        "action": action,
        "conference_id": spec.conference_id(values),
        "registration_id": spec.registration_id(values),
        "subject_type": spec.subject_type,
        "subject_id": values.get("id"),
        "subject": subject[:300],
        "subject_values": subject_values,
        "changes": [line for name, pair in changed.items() for line in _lines(spec, name, *pair)],
        "note": "",
        "note_values": None,
        "personal_data_erased_at": None,
    }


def _after_flush(session: Session, _context: Any) -> None:
    """Entries for the watched objects this flush wrote, in the same transaction."""
    seen = [
        (obj, _watches[type(obj)], verb)
        for verb, objects in (
            ("created", session.new),
            ("updated", session.dirty),
            ("deleted", session.deleted),
        )
        for obj in objects
        if type(obj) in _watches
    ]
    if not seen:
        return
    actor = current_actor()
    rows = [
        values
        for obj, spec, verb in seen
        if (values := _entry_values(obj, spec, verb, actor)) is not None
    ]
    if rows:
        session.connection().execute(AuditEntry.__table__.insert(), rows)


def init_hook() -> None:
    """Listen on every ORM session (once)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


# An export's count, as a label and a number (no plural forms to store).
PEOPLE = N_("People: %(count)s")
ENTRIES = N_("Entries: %(count)s")


def exported(
    what: str,
    *,
    conference_id: int | None,
    count: int,
    counted: str = PEOPLE,
    registration_id: int | None = None,
    what_values: Mapping[str, Any] | None = None,
) -> None:
    """Note an export of personal data and commit the note (exports are GET requests);
    `what` a marked message (filled with `what_values`); `registration_id` for one person's
    document, so it shows in their history."""
    record(
        "export.personal_data",
        subject_type="export",
        subject=what,
        subject_values=what_values,
        conference_id=conference_id,
        registration_id=registration_id,
        note=counted,
        note_values={"count": count},
    )
    db.session.commit()
