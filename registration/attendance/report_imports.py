"""Imported meeting reports (Zoom, Teams): rows matched to registrations by e-mail."""

from __future__ import annotations

from dataclasses import dataclass

from registration.attendance.models import AttendanceEvent, AttendanceSource
from registration.attendance.recording import Scope, record_fact
from registration.attendance.reports import ReportRow
from registration.audit import recorder as audit
from registration.conferences.models import Panel
from registration.database import db
from registration.i18n import N_
from registration.signup.models import Registration


@dataclass
class ImportPreview:
    matched: list[tuple[ReportRow, Registration, bool]]
    unmatched: list[ReportRow]

    @property
    def new_rows(self) -> int:
        return sum(1 for _, _, known in self.matched if not known)


def _row_key(source: AttendanceSource, panel: Panel, row: ReportRow) -> str:
    return f"{source.value}:{panel.id}:{row.digest()}"


def preview_report(panel: Panel, source: AttendanceSource, rows: list[ReportRow]) -> ImportPreview:
    """Match report rows to this conference's registrations by e-mail (case-insensitive)."""
    by_email = {
        r.email.strip().lower(): r
        for r in db.session.scalars(
            db.select(Registration).filter_by(conference_id=panel.conference_id)
        )
    }
    keys = [_row_key(source, panel, row) for row in rows]
    known = (
        set(
            db.session.scalars(
                db.select(AttendanceEvent.dedup_key).where(AttendanceEvent.dedup_key.in_(keys))
            )
        )
        if keys
        else set()
    )
    matched: list[tuple[ReportRow, Registration, bool]] = []
    unmatched: list[ReportRow] = []
    for row, key in zip(rows, keys, strict=True):
        registration = by_email.get(row.email.strip().lower()) if row.email else None
        if registration is None:
            unmatched.append(row)
        else:
            matched.append((row, registration, key in known))
    return ImportPreview(matched, unmatched)


def import_report(
    panel: Panel, source: AttendanceSource, rows: list[ReportRow], user_id: int | None
) -> int:
    """Record the matched rows of a meeting report; returns how many were new."""
    preview = preview_report(panel, source, rows)
    added = 0
    for row, registration, known in preview.matched:
        if known:
            continue
        recorded = record_fact(
            registration,
            Scope(panel=panel),
            source,
            occurred_at=row.joined_at,
            left_at=row.left_at,
            minutes=row.minutes,
            dedup_key=_row_key(source, panel, row),
            detail=f"{row.name} <{row.email}>",
            user_id=user_id,
        )
        added += recorded is not None
    audit.record(
        "attendance.report_imported",
        subject_type="panel",
        subject_id=panel.id,
        **audit.text_subject(panel.in_languages("title")),
        conference_id=panel.conference_id,
        note=N_("%(source)s: %(added)s new (rows matched: %(matched)s)"),
        note_values={"source": source.label, "added": added, "matched": len(preview.matched)},
    )
    db.session.commit()
    return added
