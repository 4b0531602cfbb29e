"""The audit log pages: per conference (filterable, CSV) and the whole service's."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue

from registration.audit import lines, queries, recorder
from registration.audit.describe import action_words
from registration.audit_pages.forms import AuditFilterForm
from registration.conferences.models import Conference
from registration.conferences.services import conference_by_slug
from registration.database import parse_id
from registration.downloads import download
from registration.i18n import N_, page_language
from registration.staff.access import protect, requires
from registration.staff.roles import Permission

bp = protect(Blueprint("audit", __name__, url_prefix="/manage"), Permission.EDIT)
UTC_ZONE = ZoneInfo("UTC")
# An entry's changes in the page's language, times in the zone given (the review page's
# history shows them too).
bp.add_app_template_filter(lines.worded_lines, "change_lines")


def _conference(slug: str) -> Conference:
    conference = conference_by_slug(slug)
    if conference is None:
        abort(404)
    return conference


def _filter() -> tuple[AuditFilterForm, queries.AuditFilter]:
    form = AuditFilterForm(request.args)
    if request.args:
        form.validate()
    registration = request.args.get("registration")
    registration_id = parse_id(registration) if registration else None
    if registration and registration_id is None:
        abort(404)
    return form, form.wanted(registration_id)


def _page(conference: Conference | None) -> str:
    form, wanted = _filter()
    zone = conference.zone if conference else UTC_ZONE
    found = queries.entries(conference.id if conference else None, wanted, zone)
    return render_template(
        "audit/log.html",
        conference=conference,
        form=form,
        wanted=wanted,
        entries=found,
        limit=queries.PAGE_SIZE,
        zone=zone,
        action_words=action_words,
        args={k: v for k, v in request.args.items() if v},
    )


@bp.route("/audit")
@requires(Permission.ADMINISTER)
def log() -> ResponseReturnValue:
    return _page(None)


@bp.route("/conferences/<slug>/audit")
def conference_log(slug: str) -> ResponseReturnValue:
    return _page(_conference(slug))


@bp.route("/conferences/<slug>/audit.csv")
def conference_csv(slug: str) -> ResponseReturnValue:
    conference = _conference(slug)
    _form, wanted = _filter()
    found = queries.entries(conference.id, wanted, conference.zone, limit=None)
    body = queries.to_csv(found, conference.zone, page_language())
    recorder.exported(
        N_("Audit log (CSV)"),
        conference_id=conference.id,
        count=len(found),
        counted=recorder.ENTRIES,
    )
    return download(body, "text/csv", f"audit-{conference.slug}.csv")
