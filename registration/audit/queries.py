"""Reading the audit log: filtered lists per conference or registration, and its CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext, pgettext
from sqlalchemy import Select, Text, cast, or_

from registration.audit.describe import action_words, group_prefixes
from registration.audit.lines import worded_lines
from registration.audit.models import AuditEntry
from registration.database import db
from registration.downloads import spreadsheet_safe
from registration.i18n import N_, in_language

PAGE_SIZE = 500


@dataclass(frozen=True)
class AuditFilter:
    group: str = ""
    actor_kind: str = ""
    text: str = ""
    registration_id: int | None = None
    since: date | None = None
    until: date | None = None


def _select(conference_id: int | None, wanted: AuditFilter, zone: ZoneInfo) -> Select:
    query = db.select(AuditEntry)
    if conference_id is not None:
        query = query.where(AuditEntry.conference_id == conference_id)
    if wanted.registration_id is not None:
        query = query.where(AuditEntry.registration_id == wanted.registration_id)
    if wanted.group:
        query = query.where(
            or_(*(AuditEntry.action.startswith(p) for p in group_prefixes(wanted.group)))
        )
    if wanted.actor_kind:
        query = query.where(AuditEntry.actor_kind == wanted.actor_kind)
    if wanted.text:
        pattern = f"%{wanted.text}%"
        # A subject kept as a message is found by its values too (a number, a title).
        said = cast(AuditEntry.subject_values, Text)
        query = query.where(
            or_(
                AuditEntry.subject.ilike(pattern),
                said.ilike(pattern),
                AuditEntry.actor.ilike(pattern),
            )
        )
    if wanted.since is not None:
        query = query.where(AuditEntry.at >= datetime.combine(wanted.since, time(), zone))
    if wanted.until is not None:
        end = datetime.combine(wanted.until + timedelta(days=1), time(), zone)
        query = query.where(AuditEntry.at < end)
    return query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def entries(
    conference_id: int | None, wanted: AuditFilter, zone: ZoneInfo, limit: int | None = PAGE_SIZE
) -> list[AuditEntry]:
    """The newest entries first; `limit` None for all of them."""
    query = _select(conference_id, wanted, zone)
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def registration_history(registration_id: int) -> list[AuditEntry]:
    query = db.select(AuditEntry).where(AuditEntry.registration_id == registration_id)
    return list(db.session.scalars(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())))


def _words(stored: str | None) -> str:
    """A stored English word in the current locale ('' stays '': gettext('') is the
    catalogue's header)."""
    return gettext(stored) if stored else ""


def changes_text(entry: AuditEntry, zone: str) -> str:
    """'Field: before -> after' lines, as one cell, in the current locale as the log's page
    shows them (`lines`: the stored English words translated, times in `zone`; names and
    values as stored)."""
    return "\n".join(
        f"{line.field}: {line.before or '—'} -> {line.after or '—'}"
        for line in worded_lines(entry.changes, zone)
    )


# The columns' titles, written in the downloading person's language (`gettext` at writing).
HEADER = (
    N_("When"),
    N_("Time zone"),
    N_("Who"),
    N_("Role"),
    N_("What"),
    N_("Subject"),
    N_("Changes"),
    N_("Note"),
    N_("Entry"),
)


def _title(name: str) -> str:
    """A column's title in the current locale ("Subject": what the entry is about)."""
    if name == "Subject":
        return pgettext("audit column: what the entry is about", "Subject")
    return gettext(name)


def to_csv(found: list[AuditEntry], zone: ZoneInfo, language: str = "en") -> bytes:
    """The entries as CSV: titles, who acted, what, about what, the changes and the notes in
    `language` (as the log's page shows them); times, the zone id and ids as stored."""
    out = io.StringIO()
    writer = csv.writer(out)
    with in_language(language):
        writer.writerow([_title(title) for title in HEADER])
        for entry in found:
            writer.writerow(
                [
                    spreadsheet_safe(value)
                    for value in (
                        entry.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
                        str(zone),
                        _words(entry.actor),
                        _words(entry.actor_kind),
                        action_words(entry.action),
                        entry.subject_words(),
                        changes_text(entry, str(zone)),
                        entry.note_words(),
                        str(entry.id),
                    )
                ]
            )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
