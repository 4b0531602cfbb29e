"""Exports: attendance CSV and XLSX, the final list of participants (PDF), certificates (PDF)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext, pgettext
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from registration.attendance.models import AttendanceEvent, AttendanceRecord, AttendanceSource
from registration.audit import recorder as audit
from registration.collation import sort_key
from registration.conferences.models import Conference
from registration.database import db
from registration.directory.services import member_key, member_name
from registration.downloads import spreadsheet_safe
from registration.i18n import (
    N_,
    day_range,
    format_number,
    in_language,
    ngettext,
    page_language,
    strftime,
)
from registration.pdf import fit_text, fonts
from registration.signup.export import yes_no
from registration.signup.models import AttendanceMode, Registration, RegistrationStatus


@dataclass
class ParticipantLine:
    """One registration with its attendance across the conference."""

    registration: Registration
    records: list[AttendanceRecord] = field(default_factory=list)
    sources: set[AttendanceSource] = field(default_factory=set)

    @property
    def attended(self) -> bool:
        return bool(self.records)

    @property
    def mode_used(self) -> AttendanceMode | None:
        if not self.records:
            return None
        if any(r.mode is AttendanceMode.IN_PERSON for r in self.records):
            return AttendanceMode.IN_PERSON
        return AttendanceMode.ONLINE

    @property
    def first_seen(self) -> datetime | None:
        return min((r.first_seen for r in self.records), default=None)

    @property
    def last_seen(self) -> datetime | None:
        return max((r.last_seen for r in self.records), default=None)

    @property
    def online_minutes(self) -> int:
        return sum(r.online_minutes for r in self.records)

    def scopes(self, conference: Conference) -> str:
        names = []
        for record in sorted(self.records, key=lambda r: r.first_seen):
            if record.panel is not None:
                names.append(record.panel.text_in("title", page_language()))
            elif record.day is not None:
                day = strftime(record.day, "%d %B %Y")  # as the participants page writes it
                names.append(gettext("Day %(date)s", date=day))
        return "; ".join(names)


def participant_lines(
    conference: Conference, attended_only: bool = False, language: str = "en"
) -> list[ParticipantLine]:
    """Every active or attending registration of the conference, by member (its name in
    `language`) then name, in that language's alphabetical order."""
    registrations = sorted(
        db.session.scalars(
            db.select(Registration).where(Registration.conference_id == conference.id)
        ),
        key=lambda r: (member_key(r.member, language), sort_key(r.name)),
    )
    records: dict[int, list[AttendanceRecord]] = defaultdict(list)
    for record in db.session.scalars(
        db.select(AttendanceRecord).filter_by(conference_id=conference.id)
    ):
        records[record.registration_id].append(record)
    sources: dict[int, set[AttendanceSource]] = defaultdict(set)
    for registration_id, source in db.session.execute(
        db.select(AttendanceEvent.registration_id, AttendanceEvent.source)
        .join(Registration, Registration.id == AttendanceEvent.registration_id)
        .where(Registration.conference_id == conference.id, AttendanceEvent.undone_at.is_(None))
        .distinct()
    ):
        sources[registration_id].add(source)
    lines = [
        ParticipantLine(r, records.get(r.id, []), sources.get(r.id, set())) for r in registrations
    ]
    if attended_only:
        return [line for line in lines if line.attended]
    return [
        line
        for line in lines
        if line.attended or line.registration.status is RegistrationStatus.APPROVED
    ]


# The columns' titles, written in the downloading person's language (`gettext` at writing).
HEADER = [
    N_("Registration"),
    N_("Name"),
    N_("E-mail"),
    N_("Member"),
    N_("Institution"),
    N_("Status"),
    N_("Registered mode"),
    N_("Attended"),
    N_("Mode used"),
    N_("Sessions and days"),
    N_("Sources"),
    N_("First seen"),
    N_("Last seen"),
    N_("Online minutes"),
]
# The columns whose times are in the conference's zone, named in their titles.
ZONED = {"First seen", "Last seen"}
# Titles whose words mean something else elsewhere (a count's "Attended"), with a context.
IN_CONTEXT = {"Attended": lambda: pgettext("export column: yes or no", "Attended")}


def _title(name: str) -> str:
    return IN_CONTEXT[name]() if name in IN_CONTEXT else gettext(name)


def _header(conference: Conference) -> list[str]:
    """HEADER in the current locale, the zone the times are in named in their columns'
    titles by its id in every language ("Первая отметка (Asia/Almaty)"): Babel's localised
    zone names are wrong for Kazakhstan (shared notes)."""
    zone = conference.timezone
    return [
        gettext("%(column)s (%(zone)s)", column=_title(name), zone=zone)
        if name in ZONED
        else _title(name)
        for name in HEADER
    ]


def _cells(conference: Conference, line: ParticipantLine) -> list[object]:
    """A spreadsheet's row, for software as much as people: its times ISO 8601's date and time
    (sortable, read as times by spreadsheet programs) in the conference's zone, named in the
    header; words (status, modes, yes/no, sources) in the current locale."""
    r = line.registration

    def local(instant: datetime | None) -> str:
        return conference.local(instant).strftime("%Y-%m-%d %H:%M") if instant else ""

    return [
        r.id,
        spreadsheet_safe(r.name),
        spreadsheet_safe(r.email),
        member_name(r.member, page_language()),
        spreadsheet_safe(r.institution_in().text),
        gettext(r.status.label),
        gettext(r.mode.label),
        yes_no(line.attended),
        gettext(line.mode_used.label) if line.mode_used else "",
        spreadsheet_safe(line.scopes(conference)),
        "; ".join(sorted(gettext(source.label) for source in line.sources)),
        local(line.first_seen),
        local(line.last_seen),
        line.online_minutes,
    ]


def attendance_csv(conference: Conference, language: str = "en") -> str:
    """The attendance table as CSV, its words in `language`."""
    out = io.StringIO()
    writer = csv.writer(out)
    lines = participant_lines(conference, language=language)
    with in_language(language):
        writer.writerow(_header(conference))
        for line in lines:
            writer.writerow(_cells(conference, line))
    audit.exported(N_("Attendance (CSV)"), conference_id=conference.id, count=len(lines))
    return out.getvalue()


def attendance_xlsx(conference: Conference, language: str = "en") -> bytes:
    """The attendance table as a workbook, its words in `language`."""
    workbook = Workbook()
    sheet = workbook.active
    lines = participant_lines(conference, language=language)
    with in_language(language):
        sheet.title = pgettext("management", "Attendance")
        sheet.append(_header(conference))
        for line in lines:
            sheet.append(_cells(conference, line))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    audit.exported(N_("Attendance (XLSX)"), conference_id=conference.id, count=len(lines))
    sheet.freeze_panes = "A2"
    for column, width in zip(
        "ABCDEFGHIJKLMN", (8, 28, 30, 24, 30, 11, 12, 9, 11, 40, 24, 17, 17, 9), strict=True
    ):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _place(conference: Conference, language: str) -> str:
    """City and dates (what they share written once), in `language`."""
    dates = day_range(conference.starts_at, conference.ends_at, conference.timezone)
    return ", ".join(p for p in (conference.text_in("city", language), dates) if p)


def participants_pdf(
    conference: Conference, consented_only: bool = False, language: str = "en"
) -> tuple[bytes, list[int]]:
    """The final list of participants who attended, grouped by member state, in `language`
    (its words, dates, state names and the conference's texts), and the ids of the
    registrations it names."""
    lines = participant_lines(conference, attended_only=True, language=language)
    if consented_only:
        lines = [line for line in lines if line.registration.consent_to_list]
    what = (
        N_("Participant list (PDF, listed only)")
        if consented_only
        else N_("Participant list (PDF)")
    )
    audit.exported(what, conference_id=conference.id, count=len(lines))
    with in_language(language) as code:
        content = _participants_pdf(conference, lines, code)
    return content, [line.registration.id for line in lines]


def _participants_pdf(conference: Conference, lines: list[ParticipantLine], language: str) -> bytes:
    regular, bold = fonts()
    groups: dict[str, list[ParticipantLine]] = defaultdict(list)
    for line in lines:
        groups[member_name(line.registration.member, language)].append(line)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    title = conference.text_in("title", language)
    canvas.setTitle(gettext("List of participants — %(title)s", title=title))
    sheet = _Sheet(canvas, regular)
    left = sheet.left
    canvas.setFont(bold, fit_text(canvas, title, bold, 15, sheet.width - 2 * left))
    canvas.drawString(left, sheet.y, title)
    sheet.y -= 7 * mm
    canvas.setFont(regular, 10)
    heading = gettext("List of participants · %(place)s", place=_place(conference, language))
    canvas.drawString(left, sheet.y, heading)
    sheet.y -= 6 * mm
    online = sum(1 for line in lines if line.mode_used is AttendanceMode.ONLINE)
    canvas.drawString(
        left,
        sheet.y,
        ngettext("%(num)s participant", "%(num)s participants", len(lines))
        + ", "
        + ngettext("%(num)s delegation", "%(num)s delegations", len(groups))
        + ", "
        + gettext(
            "%(online)s online (○ marks online participation).", online=format_number(online)
        ),
    )
    sheet.y -= 10 * mm
    for delegation in groups:  # in the lines' order: by name in `language`
        sheet.make_room(20 * mm)
        canvas.setFont(bold, 12)
        canvas.drawString(left, sheet.y, f"{delegation} ({len(groups[delegation])})")
        sheet.y -= 6 * mm
        for line in groups[delegation]:
            sheet.make_room(0)
            _participant(canvas, regular, line, left, sheet.y)
            sheet.y -= 5.5 * mm
        sheet.y -= 3 * mm
    if not lines:
        canvas.setFont(regular, 11)
        canvas.drawString(left, sheet.y, gettext("No attendance has been recorded yet."))
    sheet.footer()
    canvas.save()
    return out.getvalue()


class _Sheet:
    """Where the next line of an A4 list goes, and its page breaks with numbered footers."""

    width, height = A4
    left, top, bottom = 20 * mm, A4[1] - 20 * mm, 20 * mm

    def __init__(self, canvas: Canvas, font: str) -> None:
        self.canvas, self.font = canvas, font
        self.y, self.page = self.top, 1

    def footer(self) -> None:
        self.canvas.setFont(self.font, 8)
        page = gettext("Page %(number)s", number=format_number(self.page))
        self.canvas.drawRightString(self.width - self.left, 10 * mm, page)

    def make_room(self, space: float) -> None:
        """A new page when less than `space` is left above the bottom margin."""
        if self.y < self.bottom + space:
            self.footer()
            self.canvas.showPage()
            self.page += 1
            self.y = self.top


def _participant(canvas: Canvas, font: str, line: ParticipantLine, left: float, y: float) -> None:
    """One participant's line: a mark if online, the name, then position and institution."""
    r = line.registration
    marker = "○ " if line.mode_used is AttendanceMode.ONLINE else ""
    canvas.setFont(font, 10)
    canvas.drawString(left + 4 * mm, y, f"{marker}{r.name}")
    detail = ", ".join(p for p in (r.position, r.institution_in().text) if p)
    if detail:
        canvas.setFont(font, fit_text(canvas, detail, font, 9, 95 * mm))
        canvas.drawString(left + 75 * mm, y, detail)


def certificate_pdf(line: ParticipantLine, language: str | None = None) -> bytes:
    """A one-page certificate of attendance (A4 landscape) in `language`, by default the
    participant's language of mail."""
    with in_language(language or line.registration.mail_language) as code:
        return _certificate_pdf(line, code)


def certificate_lines(line: ParticipantLine, language: str) -> list[tuple[str, bool, float]]:
    """What the certificate says, top to bottom, as (text, bold, size) in `language` (the
    current locale): drawn in the PDF and written out in the mail that carries it, since
    the PDF is not tagged (the mail's text is its accessible version)."""
    registration = line.registration
    conference = registration.conference
    member = member_name(registration.member, language)
    institution = registration.institution_in(language).text
    mode = gettext("online") if line.mode_used is AttendanceMode.ONLINE else gettext("in person")
    panels = [r.panel.text_in("title", language) for r in line.records if r.panel is not None]
    lines = [
        (gettext("Conference on Interaction and Confidence Building Measures in Asia"), False, 12),
        (gettext("Certificate of attendance"), True, 28),
        (gettext("This is to certify that"), False, 13),
        (registration.name, True, 24),
        (", ".join(p for p in (institution, member) if p), False, 13),
        (gettext("attended the"), False, 13),
        (conference.text_in("title", language), True, 16),
        (f"{_place(conference, language)} ({mode})", False, 13),
    ]
    if panels:
        lines.append((gettext("Sessions: %(list)s", list="; ".join(panels)), False, 10))
    return lines


# Where each line of `certificate_lines` sits, in mm below the top of the page.
CERTIFICATE_TOPS = (40, 62, 80, 95, 105, 118, 128, 138, 150)


def _certificate_pdf(line: ParticipantLine, language: str) -> bytes:
    regular, bold = fonts()
    registration = line.registration
    out = io.BytesIO()
    size = landscape(A4)
    width, height = size
    canvas = Canvas(out, pagesize=size, pageCompression=1)
    canvas.setTitle(gettext("Certificate of attendance — %(name)s", name=registration.name))
    canvas.setStrokeColorRGB(0.04, 0.36, 0.56)
    canvas.setLineWidth(3)
    canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    center, room = width / 2, width - 60 * mm
    for (text, strong, points), below_top in zip(
        certificate_lines(line, language), CERTIFICATE_TOPS, strict=False
    ):
        font = bold if strong else regular
        canvas.setFont(font, fit_text(canvas, text, font, points, room))
        canvas.drawCentredString(center, height - below_top * mm, text)
    canvas.setFont(regular, 11)
    canvas.line(center - 40 * mm, 40 * mm, center + 40 * mm, 40 * mm)
    canvas.drawCentredString(center, 34 * mm, gettext("CICA Secretariat"))
    canvas.save()
    return out.getvalue()
