"""The secretariat's management pages for series, conferences and panels."""

from __future__ import annotations

from typing import Literal

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm

from registration.conferences import institutions as institution_services
from registration.conferences import panels as panel_services
from registration.conferences import services
from registration.conferences import staff_roles as staff_services
from registration.conferences.form_input import timezone_names
from registration.conferences.forms import (
    ConferenceForm,
    ConfirmForm,
    InstitutionForm,
    SeriesForm,
)
from registration.conferences.models import Conference, ConferenceStatus, Panel, PanelStatus
from registration.conferences.panel_form import PanelForm
from registration.conferences.text_fields import field_name
from registration.database import db
from registration.directory.models import Institution
from registration.i18n import N_
from registration.jobs import services as jobs
from registration.staff.access import protect, requires
from registration.staff.roles import Permission

bp = protect(Blueprint("manage", __name__, url_prefix="/manage"), Permission.EDIT)


def _conference_or_404(slug: str) -> Conference:
    conference = services.conference_by_slug(slug)
    if conference is None:
        abort(404)
    return conference


def _panel_or_404(conference: Conference, panel_id: int) -> Panel:
    panel = db.session.get(Panel, panel_id)
    if panel is None or panel.conference_id != conference.id:
        abort(404)
    return panel


def _show_rejection(form: FlaskForm, error: services.ChangeError) -> None:
    target = getattr(form, error.field, None)
    if target is not None:
        target.errors = [*target.errors, error.translated()]
    else:
        form.form_errors.append(error.translated())


@bp.route("/")
@requires(Permission.ENTER)
def dashboard() -> ResponseReturnValue:
    visible = staff_services.visible_conferences(current_user._get_current_object())
    return render_template("manage/dashboard.html", conferences=visible)


# ---------------------------------------------------------------- series


@bp.route("/series/")
@requires(Permission.ADMINISTER)
def series_list() -> ResponseReturnValue:
    return render_template("manage/series_list.html", series_list=services.all_series())


@bp.route("/series/new", methods=["GET", "POST"])
@requires(Permission.ADMINISTER)
def series_new() -> ResponseReturnValue:
    form = SeriesForm()
    if form.validate_on_submit():
        try:
            series = services.create_series(form.to_data())
        except services.ChangeError as error:
            _show_rejection(form, error)
        else:
            flash(gettext("Series “%(name)s” created.", name=series.name), "success")
            return redirect(url_for(".series_list"))
    return render_template("manage/series_form.html", form=form, series=None)


@bp.route("/series/<slug>/edit", methods=["GET", "POST"])
@requires(Permission.ADMINISTER)
def series_edit(slug: str) -> ResponseReturnValue:
    series = services.series_by_slug(slug)
    if series is None:
        abort(404)
    form = SeriesForm(series=series)
    if form.validate_on_submit():
        try:
            services.update_series(series, form.to_data())
        except services.ChangeError as error:
            _show_rejection(form, error)
        else:
            flash(gettext("Series saved."), "success")
            return redirect(url_for(".series_list"))
    return render_template("manage/series_form.html", form=form, series=series)


# ---------------------------------------------------------------- institutions


@bp.route("/institutions/")
@requires(Permission.ADMINISTER)
def institutions() -> ResponseReturnValue:
    return render_template(
        "manage/institutions.html", institutions=institution_services.all_institutions()
    )


@bp.route("/institutions/<int:institution_id>/edit", methods=["GET", "POST"])
@requires(Permission.ADMINISTER)
def institution_edit(institution_id: int) -> ResponseReturnValue:
    institution = db.session.get(Institution, institution_id)
    if institution is None:
        abort(404)
    form = InstitutionForm(institution=institution)
    if form.validate_on_submit():
        try:
            institution_services.update_institution(institution, form.to_data())
        except services.ChangeError as error:
            error.field = field_name(error.field, form.language.data)
            _show_rejection(form, error)
        else:
            flash(gettext("Institution saved."), "success")
            return redirect(url_for(".institutions"))
    return render_template("manage/institution_form.html", form=form, institution=institution)


# ---------------------------------------------------------------- conferences


def _render_conference_form(form: ConferenceForm, conference: Conference | None) -> str:
    return render_template(
        "manage/conference_form.html",
        form=form,
        conference=conference,
        timezones=timezone_names(),
    )


@bp.route("/conferences/new", methods=["GET", "POST"])
@requires(Permission.ADMINISTER)
def conference_new() -> ResponseReturnValue:
    form = ConferenceForm()
    if form.validate_on_submit():
        try:
            conference = services.create_conference(form.to_data())
        except services.ChangeError as error:
            _show_rejection(form, error)
        else:
            flash(
                gettext("Conference created as a draft. Add its panels, then publish it."),
                "success",
            )
            return redirect(url_for(".conference", slug=conference.slug))
    return _render_conference_form(form, None)


@bp.route("/conferences/<slug>")
@requires(Permission.VIEW)
def conference(slug: str) -> ResponseReturnValue:
    found = _conference_or_404(slug)
    return render_template(
        "manage/conference.html",
        conference=found,
        days=services.programme_by_day(found),
        co_organizers=services.co_organizers(found),
        supporters=services.supporters(found),
        jobs=jobs.recent(found.id),
    )


@bp.route("/conferences/<slug>/edit", methods=["GET", "POST"])
def conference_edit(slug: str) -> ResponseReturnValue:
    found = _conference_or_404(slug)
    form = ConferenceForm(conference=found)
    if form.validate_on_submit():
        try:
            change = services.update_conference(found, form.to_data())
        except services.ChangeError as error:
            _show_rejection(form, error)
        else:
            flash(_saved(gettext("Saved."), change.changed, change.job_id), "success")
            return redirect(url_for(".conference", slug=found.slug))
    return _render_conference_form(form, found)


def _saved(done: str, changed: bool, job_id: str | None) -> str:
    if not changed:
        return gettext("Nothing changed.")
    if job_id:
        told = gettext("Attendees are told in the background (see “Mail sent in the background”).")
        return f"{done} {told}"
    return done


_STATUS_ACTIONS = {
    "publish": (
        services.publish_conference,
        N_("Publish"),
        N_("The conference page becomes public."),
        N_("Conference published."),
    ),
    "cancel": (
        services.cancel_conference,
        N_("Cancel the conference"),
        N_("The public page will show it as cancelled. This cannot be undone here."),
        N_("Conference cancelled."),
    ),
}


@bp.route("/conferences/<slug>/<any(publish, cancel):action>", methods=["GET", "POST"])
def conference_status(slug: str, action: str) -> ResponseReturnValue:
    found = _conference_or_404(slug)
    operation, label, consequence, done = _STATUS_ACTIONS[action]
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            operation(found)
        except services.ChangeError as error:
            flash(error.translated(), "error")
        else:
            flash(gettext(done), "success")
        return redirect(url_for(".conference", slug=slug))
    return render_template(
        "manage/confirm.html",
        form=form,
        heading=f"{gettext(label)}: {found.shown('title').text}",
        consequence=gettext(consequence),
        button=gettext(label),
        danger=action == "cancel",
        back=url_for(".conference", slug=slug),
    )


@bp.route("/conferences/<slug>/timetable")
@requires(Permission.VIEW)
def timetable(slug: str) -> ResponseReturnValue:
    found = _conference_or_404(slug)
    return render_template(
        "manage/timetable.html", conference=found, days=services.programme_by_day(found)
    )


# ---------------------------------------------------------------- panels


def _render_panel_form(form: PanelForm, conference: Conference, panel: Panel | None) -> str:
    return render_template("manage/panel_form.html", form=form, conference=conference, panel=panel)


@bp.route("/conferences/<slug>/panels/new", methods=["GET", "POST"])
def panel_new(slug: str) -> ResponseReturnValue:
    found = _conference_or_404(slug)
    form = PanelForm(conference=found)
    if form.validate_on_submit():
        try:
            panel = panel_services.add_panel(found, form.to_data())
        except services.ChangeError as error:
            _show_rejection(form, error)
        else:
            flash(gettext("Panel “%(title)s” added.", title=panel.title), "success")
            return redirect(url_for(".conference", slug=slug))
    return _render_panel_form(form, found, None)


@bp.route("/conferences/<slug>/panels/<int:panel_id>/edit", methods=["GET", "POST"])
def panel_edit(slug: str, panel_id: int) -> ResponseReturnValue:
    found = _conference_or_404(slug)
    panel = _panel_or_404(found, panel_id)
    form = PanelForm(conference=found, panel=panel)
    if form.validate_on_submit():
        try:
            change = panel_services.update_panel(panel, form.to_data())
        except services.ChangeError as error:
            _show_rejection(form, error)
        else:
            flash(_saved(gettext("Panel saved."), change.changed, change.job_id), "success")
            return redirect(url_for(".conference", slug=slug))
    return _render_panel_form(form, found, panel)


@bp.route(
    "/conferences/<slug>/panels/<int:panel_id>/move/<any(up, down):direction>", methods=["POST"]
)
def panel_move(slug: str, panel_id: int, direction: Literal["up", "down"]) -> ResponseReturnValue:
    found = _conference_or_404(slug)
    panel = _panel_or_404(found, panel_id)
    if ConfirmForm().validate_on_submit() and not panel_services.move_panel(panel, direction):
        flash(
            gettext(
                "Panels are ordered by start time: only panels starting at the same time "
                "can be moved past each other. Change the time to move it further."
            ),
            "info",
        )
    return redirect(url_for(".conference", slug=slug, _anchor=f"panel-{panel_id}"))


@bp.route(
    "/conferences/<slug>/panels/<int:panel_id>/<any(cancel, remove):action>",
    methods=["GET", "POST"],
)
def panel_status(slug: str, panel_id: int, action: str) -> ResponseReturnValue:
    found = _conference_or_404(slug)
    panel = _panel_or_404(found, panel_id)
    form = ConfirmForm()
    if action == "cancel" and panel.status == PanelStatus.CANCELLED:
        flash(gettext("This panel is already cancelled."), "info")
        return redirect(url_for(".conference", slug=slug))
    if form.validate_on_submit():
        if action == "cancel":
            panel_services.cancel_panel(panel)
            flash(gettext("Panel “%(title)s” cancelled.", title=panel.title), "success")
        else:
            title = panel.title
            panel_services.remove_panel(panel)
            flash(gettext("Panel “%(title)s” removed.", title=title), "success")
        return redirect(url_for(".conference", slug=slug))
    published = found.status != ConferenceStatus.DRAFT
    if action == "cancel":
        consequence = gettext("It stays in the programme, marked as cancelled.")
    else:
        consequence = gettext(
            "It disappears from the programme with its speakers and moderators."
        ) + (
            " " + gettext("The conference is public: cancelling may be clearer for readers.")
            if published
            else ""
        )
    label = gettext("Cancel the panel") if action == "cancel" else gettext("Remove the panel")
    return render_template(
        "manage/confirm.html",
        form=form,
        heading=f"{label}: {panel.shown('title').text}",
        consequence=consequence,
        button=label,
        danger=True,
        back=url_for(".conference", slug=slug),
    )
