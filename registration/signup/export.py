"""Registrations as CSV and XLSX files, with the columns the secretariat works with."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

from registration.audit import recorder as audit
from registration.i18n import language_name
from registration.signup.answers import answers_for, shown
from registration.signup.models import Question, Registration

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADERS = [
    "Name",
    "Position",
    "Institution",
    "E-mail",
    "Member",
    "Member code",
    "Mode",
    "Role",
    "Interpretation language",
    "Language of e-mails",
    "Panels",
    "Status",
    "Reason",
    "E-mail confirmed",
    "Listed",
    "Registered (UTC)",
]


def _row(registration: Registration) -> list[str]:
    return [
        registration.name,
        registration.position,
        registration.institution,
        registration.email,
        registration.member.name,
        registration.member.code,
        registration.mode.label,
        registration.role.label,
        language_name(registration.language, "en"),
        language_name(registration.mail_language, "en"),
        "; ".join(panel.title for panel in registration.panels),
        registration.status.label,
        registration.status_reason,
        "yes" if registration.email_confirmed_at else "no",
        "yes" if registration.consent_to_list else "no",
        registration.created_at.strftime("%Y-%m-%d %H:%M"),
    ]


def spreadsheet_safe(value: str) -> str:
    """Keep spreadsheet programs from reading a cell as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _rows(registrations: list[Registration], questions: Sequence[Question]) -> list[list[str]]:
    """The header and a row per registration: the fixed columns, then one per question."""
    given = answers_for(r.id for r in registrations) if questions else {}
    rows = [[*HEADERS, *(spreadsheet_safe(q.label) for q in questions)]]
    for registration in registrations:
        mine = given.get(registration.id, {})
        extra = [
            shown(mine.get(q.id), q, "en") if q.asked_of(registration.mode) else ""
            for q in questions
        ]
        rows.append([spreadsheet_safe(cell) for cell in [*_row(registration), *extra]])
    return rows


def to_csv(registrations: list[Registration], questions: Sequence[Question] = ()) -> bytes:
    """CSV with the questions given (the caller leaves sensitive ones out unless asked)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(_rows(registrations, questions))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(registrations: list[Registration], questions: Sequence[Question] = ()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Registrations"
    for row in _rows(registrations, questions):
        sheet.append(row)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def registrations_file(
    conference_id: int, found: list[Registration], kind: str, questions: Sequence[Question] = ()
) -> tuple[bytes, str]:
    """The file and its type, with a column per question given; the export is written in
    the audit log (and committed), saying when sensitive answers were in it."""
    if kind == "csv":
        body, mimetype = to_csv(found, questions), "text/csv"
    else:
        body, mimetype = to_xlsx(found, questions), XLSX_TYPE
    sensitive = " with sensitive answers" if any(q.sensitive for q in questions) else ""
    what = f"Registrations ({kind.upper()}){sensitive}"
    audit.exported(what, conference_id=conference_id, count=len(found))
    return body, mimetype
