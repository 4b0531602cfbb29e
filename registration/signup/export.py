"""Registrations as CSV and XLSX files, with the columns the secretariat works with."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from flask_babel import gettext
from openpyxl import Workbook

from registration.audit import recorder as audit
from registration.directory.services import member_name
from registration.downloads import spreadsheet_safe
from registration.i18n import N_, in_language, language_name
from registration.signup.answers import answers_for, shown
from registration.signup.models import Question, Registration

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The columns' titles, written in the downloading person's language (`gettext` at writing).
HEADERS = [
    N_("Name"),
    N_("Position"),
    N_("Institution"),
    N_("E-mail"),
    N_("Member"),
    N_("Member code"),
    N_("Mode"),
    N_("Role"),
    N_("Interpretation language"),
    N_("Language of e-mails"),
    N_("Panels"),
    N_("Status"),
    N_("Reason"),
    N_("E-mail confirmed"),
    N_("Listed"),
    N_("Registered (UTC)"),
]


def yes_no(value: object) -> str:
    """'yes' or 'no' in the language being written."""
    return gettext("yes") if value else gettext("no")


def _row(registration: Registration, language: str) -> list[str]:
    """A registration's fixed cells: words in `language` (the current locale), e-mail,
    codes and the ISO time as they are."""
    return [
        registration.name,
        registration.position,
        registration.institution_in(language).text,
        registration.email,
        member_name(registration.member, language),
        registration.member.code,
        gettext(registration.mode.label),
        gettext(registration.role.label),
        language_name(registration.language, language),
        language_name(registration.mail_language, language),
        "; ".join(panel.text_in("title", language) for panel in registration.panels),
        gettext(registration.status.label),
        registration.status_reason,
        yes_no(registration.email_confirmed_at),
        yes_no(registration.consent_to_list),
        registration.created_at.strftime("%Y-%m-%d %H:%M"),
    ]


def _rows(
    registrations: list[Registration], questions: Sequence[Question], language: str
) -> list[list[str]]:
    """The header and a row per registration: the fixed columns, then one per question; the
    words in `language`, the columns and their order the same in every language."""
    given = answers_for(r.id for r in registrations) if questions else {}
    with in_language(language) as code:
        rows = [
            [
                *map(gettext, HEADERS),
                *(spreadsheet_safe(q.text_in("label", code)) for q in questions),
            ]
        ]
        for registration in registrations:
            mine = given.get(registration.id, {})
            extra = [
                shown(mine.get(q.id), q, code).text if q.asked_of(registration.mode) else ""
                for q in questions
            ]
            rows.append([spreadsheet_safe(cell) for cell in [*_row(registration, code), *extra]])
    return rows


def to_csv(
    registrations: list[Registration], questions: Sequence[Question] = (), language: str = "en"
) -> bytes:
    """CSV with the questions given (the caller leaves sensitive ones out unless asked), its
    words in `language` (English for the API's clients, who read it by column title)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(_rows(registrations, questions, language))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(
    registrations: list[Registration], questions: Sequence[Question] = (), language: str = "en"
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    rows = _rows(registrations, questions, language)
    with in_language(language):
        sheet.title = gettext("Registrations")
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def registrations_file(
    conference_id: int,
    found: list[Registration],
    kind: str,
    questions: Sequence[Question] = (),
    language: str = "en",
) -> tuple[bytes, str]:
    """The file and its type, with a column per question given, its words in `language`;
    the export is written in the audit log (and committed), saying when sensitive answers
    were in it."""
    if kind == "csv":
        body, mimetype = to_csv(found, questions, language), "text/csv"
    else:
        body, mimetype = to_xlsx(found, questions, language), XLSX_TYPE
    what = (
        N_("Registrations (%(format)s) with sensitive answers")
        if any(q.sensitive for q in questions)
        else N_("Registrations (%(format)s)")
    )
    audit.exported(
        what, conference_id=conference_id, count=len(found), what_values={"format": kind.upper()}
    )
    return body, mimetype
