"""Attendance pages for organisers: check-in page, dashboards, participants, exports,
certificates and badges (the check-in API is `checkin_api`, meeting reports `report_views`,
the public join link `join_views`)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from registration.attendance import (
    badge_sheets,
    certificates,
    documents,
    figures,
    participant_lists,
)
from registration.attendance.checkin import conference_days
from registration.attendance.checkin_desk import name_search
from registration.attendance.script_texts import checkin_texts, dashboard_texts
from registration.audit import recorder as audit
from registration.conferences.models import Conference, Panel
from registration.database import db, parse_id
from registration.directory.models import Member
from registration.directory.services import members_by_name
from registration.downloads import download
from registration.i18n import N_, chosen_language, page_language
from registration.signup import badges, photos
from registration.signup.models import Registration
from registration.staff.access import protect, requires
from registration.staff.roles import Permission

bp = protect(
    Blueprint("attendance", __name__, url_prefix="/manage/conferences/<slug>"), Permission.EXPORT
)
SVG_NS = "http://www.w3.org/2000/svg"
PAGE_SIZE = 200


def conference_or_404(slug: str) -> Conference:
    conference = db.session.scalar(db.select(Conference).filter_by(slug=slug))
    if conference is None:
        abort(404, N_("No such conference."))
    return conference


def panel_or_404(conference: Conference, panel_id: int) -> Panel:
    panel = db.session.get(Panel, panel_id)
    if panel is None or panel.conference_id != conference.id:
        abort(404, N_("No such panel in this conference."))
    return panel


def _registration(conference: Conference, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.conference_id != conference.id:
        abort(404, N_("No such registration in this conference."))
    return registration


# --- check-in page ----------------------------------------------------------


@bp.route("/checkin")
@requires(Permission.CHECK_IN)
def checkin(slug: str) -> ResponseReturnValue:
    conference = conference_or_404(slug)
    live_panels = [p for p in conference.panels if not p.is_cancelled]
    return render_template(
        "attendance/checkin.html",
        conference=conference,
        days=conference_days(conference),
        panels=live_panels,
        checkin_texts=checkin_texts(),
        search=name_search(conference, request.args),
    )


# --- dashboard ------------------------------------------------------------------------


@bp.route("/attendance")
@requires(Permission.FIGURES)
def dashboard(slug: str) -> ResponseReturnValue:
    conference = conference_or_404(slug)
    return render_template(
        "attendance/dashboard.html",
        conference=conference,
        panel=None,
        figures=figures.conference_figures(conference, page_language()),
        panels=figures.panel_overview(conference),
        certificates=certificates.certificate_progress(conference.id),
        dashboard_texts=dashboard_texts(),
    )


@bp.route("/attendance/panels/<int:panel_id>")
@requires(Permission.FIGURES)
def panel_dashboard(slug: str, panel_id: int) -> ResponseReturnValue:
    conference = conference_or_404(slug)
    panel = panel_or_404(conference, panel_id)
    return render_template(
        "attendance/dashboard.html",
        conference=conference,
        panel=panel,
        figures=figures.panel_figures(panel, page_language()),
        panels=[],
        certificates={},
        dashboard_texts=dashboard_texts(),
    )


@bp.route("/attendance/figures.json")
@requires(Permission.FIGURES)
def figures_json(slug: str) -> ResponseReturnValue:
    conference = conference_or_404(slug)
    panel_id = parse_id(request.args.get("panel", ""))
    if panel_id:
        result = figures.panel_figures(panel_or_404(conference, panel_id), page_language())
    else:
        result = figures.conference_figures(conference, page_language())
    response = jsonify(result.as_json())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/attendance/participants")
@requires(Permission.READ_REGISTRATIONS)
def participants(slug: str) -> ResponseReturnValue:
    """Attendance per participant, filtered by name or delegation, with badge and certificate."""
    conference = conference_or_404(slug)
    q = request.args.get("q", "").strip()[:100]
    code = request.args.get("member", "")
    lines = documents.participant_lines(conference, language=page_language())
    if q:
        needle = q.lower()
        lines = [
            line
            for line in lines
            if needle in line.registration.name.lower() or needle in line.registration.email.lower()
        ]
    if code:
        lines = [line for line in lines if line.registration.member.code == code]
    shown = lines[:PAGE_SIZE]
    delegations = {line.registration.member for line in lines}
    return render_template(
        "attendance/participants.html",
        conference=conference,
        request_key=uuid.uuid4().hex,  # one per page shown: a double click sends one mail
        lines=shown,
        total=len(lines),
        q=q,
        code=code,
        delegations=[] if code else members_by_name(delegations, page_language()),
    )


# --- exports and certificates -----------------------------------------------------------


@bp.route("/attendance/export.csv")
def export_csv(slug: str) -> ResponseReturnValue:
    conference = conference_or_404(slug)
    return download(
        documents.attendance_csv(conference, page_language()), "text/csv", f"attendance-{slug}.csv"
    )


@bp.route("/attendance/export.xlsx")
def export_xlsx(slug: str) -> ResponseReturnValue:
    conference = conference_or_404(slug)
    return download(
        documents.attendance_xlsx(conference, page_language()),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"attendance-{slug}.xlsx",
    )


@bp.route("/attendance/participants.pdf", methods=["POST"])
def participants_pdf(slug: str) -> ResponseReturnValue:
    """Start building the list; its job's page offers the file when it is ready."""
    conference = conference_or_404(slug)
    job = participant_lists.start(
        conference,
        consented_only=request.form.get("consented") == "1",
        language=chosen_language() or page_language(),
        user=current_user._get_current_object(),
    )
    return redirect(url_for("jobs.page", job_id=job.id))


@bp.route("/registrations/<int:registration_id>/certificate.pdf")
def certificate(slug: str, registration_id: int) -> ResponseReturnValue:
    conference = conference_or_404(slug)
    registration = _registration(conference, registration_id)
    line = next(
        (
            candidate
            for candidate in documents.participant_lines(conference, attended_only=True)
            if candidate.registration.id == registration.id
        ),
        None,
    )
    if line is None:
        abort(404, N_("No attendance is recorded for this participant."))
    content = documents.certificate_pdf(line, chosen_language())  # else the person's
    _exported_one(N_("Certificate (PDF)"), registration)
    return download(content, "application/pdf", f"certificate-{registration.id}.pdf")


def _exported_one(what: str, registration: Registration) -> None:
    """One person's document downloaded: an export of personal data, in their history."""
    audit.exported(
        what,
        conference_id=registration.conference_id,
        count=1,
        registration_id=registration.id,
    )


REQUEST_KEY = re.compile(r"[0-9a-f]{32}")


@bp.post("/registrations/<int:registration_id>/certificate")
@requires(Permission.EDIT)
def send_certificate(slug: str, registration_id: int) -> ResponseReturnValue:
    conference = conference_or_404(slug)
    registration = _registration(conference, registration_id)
    sent_key = request.form.get("request_key", "")
    key = sent_key if REQUEST_KEY.fullmatch(sent_key) else uuid.uuid4().hex
    certificates.start_certificates(conference, registration.id, key)
    flash(
        gettext("The certificate of %(name)s will be sent by e-mail.", name=registration.name),
        "success",
    )
    return redirect(url_for(".participants", slug=slug, q=registration.name))


@bp.post("/attendance/certificates")
@requires(Permission.EDIT)
def send_certificates(slug: str) -> ResponseReturnValue:
    conference = conference_or_404(slug)
    job_id = certificates.start_certificates(conference)
    flash(gettext("Certificates are being sent to every attendee (once each)."), "success")
    return redirect(url_for("jobs.page", job_id=job_id))


# --- badges ---------------------------------------------------------------------------


def _badge_registrations(conference: Conference) -> tuple[list[Registration], Member | None]:
    """Approved registrations to print: in person by default, one delegation if asked."""
    member = _badge_member()
    registrations = badge_sheets.to_print(
        conference.id,
        all_modes=request.values.get("mode") == "all",
        member_id=member and member.id,
        language=page_language(),
    )
    return registrations, member


def _badge_member() -> Member | None:
    """The delegation asked for (`member`, its code), None for all; 404 if unknown."""
    member = None
    if code := request.values.get("member"):
        member = db.session.scalar(db.select(Member).filter_by(code=code))
        if member is None:
            abort(404, N_("No such delegation."))
    return member


@bp.route("/badges")
def badge_sheet(slug: str) -> ResponseReturnValue:
    conference = conference_or_404(slug)
    registrations, member = _badge_registrations(conference)
    delegations = db.session.scalars(
        db.select(Member)
        .join(Registration, Registration.member_id == Member.id)
        .where(Registration.conference_id == conference.id)
        .distinct()
    )
    return render_template(
        "attendance/badges.html",
        conference=conference,
        registrations=registrations,
        member=member,
        delegations=members_by_name(delegations, page_language()),
        qr_svg=badges.qr_svg,
        photo_url=_photo_urls(conference, registrations),
    )


def _photo_urls(
    conference: Conference, registrations: list[Registration]
) -> Callable[[Registration], str | None]:
    """For the badge cards: the organisers' address of each one's photo, None without one."""
    having = photos.with_photos(r.id for r in registrations)

    def url(registration: Registration) -> str | None:
        if registration.id not in having:
            return None
        return url_for("photos_manage.photo", slug=conference.slug, registration_id=registration.id)

    return url


@bp.route("/badges.pdf", methods=["POST"])
def badge_pdf(slug: str) -> ResponseReturnValue:
    """Start building the badges PDF; its job's page offers the file when it is ready."""
    conference = conference_or_404(slug)
    all_modes = request.form.get("mode") == "all"
    job = badge_sheets.start(
        conference, all_modes=all_modes, member=_badge_member(), language=page_language()
    )
    return redirect(url_for("jobs.page", job_id=job.id))


@bp.route("/registrations/<int:registration_id>/badge")
def badge(slug: str, registration_id: int) -> ResponseReturnValue:
    conference = conference_or_404(slug)
    registration = _registration(conference, registration_id)
    _exported_one(N_("Badge (page to print)"), registration)
    return render_template(
        "attendance/badges.html",
        conference=conference,
        registrations=[registration],
        member=None,
        delegations=[],
        qr_svg=badges.qr_svg,
        photo_url=_photo_urls(conference, [registration]),
        single=True,
    )


@bp.route("/registrations/<int:registration_id>/badge.png")
def badge_png(slug: str, registration_id: int) -> ResponseReturnValue:
    registration = _registration(conference_or_404(slug), registration_id)
    image = badges.qr_png(registration)
    _exported_one(N_("Badge image (PNG)"), registration)
    return Response(image, mimetype="image/png")


@bp.route("/registrations/<int:registration_id>/badge.svg")
def badge_svg(slug: str, registration_id: int) -> ResponseReturnValue:
    registration = _registration(conference_or_404(slug), registration_id)
    svg = badges.qr_svg(registration).replace(
        "<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1
    )
    _exported_one(N_("Badge image (SVG)"), registration)
    return Response(svg, mimetype="image/svg+xml")
