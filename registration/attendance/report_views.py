"""Meeting reports (Zoom, Teams) for a panel: upload, preview of the matches, confirm."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from registration.attendance.forms import ReportConfirmForm, ReportUploadForm, pack
from registration.attendance.models import AttendanceSource
from registration.attendance.report_imports import import_report as record_report
from registration.attendance.report_imports import preview_report
from registration.attendance.reports import ReportError, read_teams, read_zoom
from registration.attendance.views import conference_or_404, panel_or_404
from registration.conferences.models import Panel
from registration.i18n import N_, format_number, translate
from registration.staff.access import protect
from registration.staff.roles import Permission

bp = protect(
    Blueprint("attendance_reports", __name__, url_prefix="/manage/conferences/<slug>"),
    Permission.EDIT,
)


def _read_report(source: AttendanceSource, zone: Any, content: bytes, panel: Panel) -> list[Any]:
    reader = read_zoom if source is AttendanceSource.ZOOM_REPORT else read_teams
    return reader(content, zone, near=panel.starts_at)


@bp.route("/attendance/panels/<int:panel_id>/import", methods=["GET", "POST"])
def import_report(slug: str, panel_id: int) -> ResponseReturnValue:
    conference = conference_or_404(slug)
    panel = panel_or_404(conference, panel_id)
    form = ReportUploadForm()
    if request.method == "GET":
        form.timezone.data = conference.timezone
    if form.validate_on_submit():
        content = form.report.data.read()
        source = AttendanceSource(form.platform.data)
        try:
            rows = _read_report(source, ZoneInfo(form.timezone.data), content, panel)
        except ReportError as error:
            form.report.errors = [error.translated()]
        else:
            confirm = ReportConfirmForm(
                formdata=None,
                platform=source.value,
                timezone=form.timezone.data,
                content=pack(content),
            )
            preview = preview_report(panel, source, rows)
            return render_template(
                "attendance/import_preview.html",
                conference=conference,
                panel=panel,
                preview=preview,
                source=source,
                form=confirm,
            )
    status = 422 if form.errors else 200
    return render_template(
        "attendance/import.html", conference=conference, panel=panel, form=form
    ), status


@bp.post("/attendance/panels/<int:panel_id>/import/confirm")
def confirm_import(slug: str, panel_id: int) -> ResponseReturnValue:
    conference = conference_or_404(slug)
    panel = panel_or_404(conference, panel_id)
    form = ReportConfirmForm()
    try:
        if not form.validate_on_submit():
            raise ValueError(N_("The form expired; upload the report again."))
        source, zone, content = form.decoded(current_app.config["UPLOAD_MAX_BYTES"])
        rows = _read_report(source, zone, content, panel)
    except ReportError as error:
        flash(error.translated(), "error")
        return redirect(url_for(".import_report", slug=slug, panel_id=panel.id))
    except ValueError as error:
        flash(translate(str(error)), "error")
        return redirect(url_for(".import_report", slug=slug, panel_id=panel.id))
    added = record_report(panel, source, rows, current_user.id)
    if added:
        flash(
            gettext(
                "%(source)s: %(num)s attendance rows recorded.",
                source=translate(source.label),
                num=format_number(added),
            ),
            "success",
        )
    else:
        flash(
            gettext(
                "%(source)s: nothing new — this report was already imported.",
                source=translate(source.label),
            ),
            "info",
        )
    return redirect(url_for("attendance.panel_dashboard", slug=slug, panel_id=panel.id))
