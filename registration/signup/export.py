"""Registrations as CSV and XLSX files, with the columns the secretariat works with."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from registration.audit import recorder as audit
from registration.i18n import language_name
from registration.signup.models import Registration

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


def to_csv(registrations: list[Registration]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for registration in registrations:
        writer.writerow([spreadsheet_safe(cell) for cell in _row(registration)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(registrations: list[Registration]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Registrations"
    sheet.append(HEADERS)
    for registration in registrations:
        sheet.append([spreadsheet_safe(cell) for cell in _row(registration)])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def registrations_file(
    conference_id: int, found: list[Registration], kind: str
) -> tuple[bytes, str]:
    """The file and its type; the export is written in the audit log (and committed)."""
    if kind == "csv":
        body, mimetype = to_csv(found), "text/csv"
    else:
        body, mimetype = to_xlsx(found), XLSX_TYPE
    audit.exported(f"Registrations ({kind.upper()})", conference_id=conference_id, count=len(found))
    return body, mimetype
