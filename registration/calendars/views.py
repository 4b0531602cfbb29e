"""Feed endpoints (text/calendar with ETag, Last-Modified and 304s) and token rotation."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request
from flask.typing import ResponseReturnValue

from registration.calendars import links, services
from registration.calendars.services import Feed
from registration.conferences.models import Conference, Panel, Series
from registration.signup.models import Registration

bp = Blueprint("calendars", __name__)


def _answer(feed: Feed | None) -> Response:
    """The feed, or a 304 when the client's copy is current (Werkzeug's conditional GET:
    If-None-Match decides when present, else If-Modified-Since)."""
    if feed is None:
        abort(404)
    response = Response(feed.body, mimetype="text/calendar", headers=feed.headers)
    if request.args.get("download"):
        response.headers.set("Content-Disposition", "attachment", filename=feed.filename)
    return response.make_conditional(request)


def _language() -> str | None:
    """The feed's language from ?lang= (one of ours); None: the stored texts as entered, with
    English labels. Another value is a 404: no feed lives at that address."""
    language = request.args.get("lang")
    if language is None:
        return None
    if language not in current_app.config["LANGUAGES"]:
        abort(404)
    return language


@bp.get("/calendar.ics")
def all_conferences() -> ResponseReturnValue:
    return _answer(services.all_conferences_feed(_language()))


@bp.get("/conferences/<slug>/calendar.ics")
def conference(slug: str) -> ResponseReturnValue:
    return _answer(services.conference_feed(slug, _language()))


@bp.get("/conferences/<slug>/panels/<int:panel_id>/calendar.ics")
def panel(slug: str, panel_id: int) -> ResponseReturnValue:
    return _answer(services.panel_feed(slug, panel_id, _language()))


@bp.get("/series/<slug>/calendar.ics")
def series(slug: str) -> ResponseReturnValue:
    return _answer(services.series_feed(slug, _language()))


@bp.get("/calendar/personal/<key>.ics")
def personal(key: str) -> ResponseReturnValue:
    return _answer(services.personal_feed(key))


def _safe_next(target: str | None) -> str | None:
    """A local path to go back to, never another site."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


@bp.post("/calendar/personal/<key>/rotate")
def rotate(key: str) -> ResponseReturnValue:
    """Whoever holds the current private URL may replace it (the form carries a CSRF token)."""
    registration = services.registration_by_feed_key(key)
    if registration is None:
        abort(404)
    services.rotate_feed_token(registration)
    back = _safe_next(request.form.get("next"))
    if back:
        return redirect(back, code=303)
    return render_template(
        "calendars/rotated.html",
        links=links.personal_links(registration),
        registration=registration,
    )


@bp.app_template_global()
def calendar_links(target: Conference | Panel | Series | None = None) -> links.SubscribeLinks:
    """Subscription links for a conference, a panel, a series, or (no argument) everything."""
    if isinstance(target, Conference):
        return links.conference_links(target)
    if isinstance(target, Panel):
        return links.panel_links(target)
    if isinstance(target, Series):
        return links.series_links(target)
    return links.all_conferences_links()


@bp.app_template_global()
def personal_calendar_links(registration: Registration) -> links.SubscribeLinks:
    """A participant's private feed links, for their registration page."""
    return links.personal_links(registration)
