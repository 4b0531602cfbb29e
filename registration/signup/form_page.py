"""The public registration page: rendered once per worker and conference state, then
reused with each visitor's CSRF token.

Rendering the ~45 member options, radios and checkboxes through WTForms and the page around
them through Jinja is most of a GET's cost, and for an anonymous visitor with nothing
flashed the page is the same for everyone but the token.
"""

from __future__ import annotations

from flask import current_app, render_template, request, session
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from registration.conferences.models import Conference, Panel
from registration.signup import offer, question_fields
from registration.signup.forms import RegistrationForm
from registration.signup.models import RegistrationSettings

CACHE = "signup.register_pages"
CACHE_SIZE = 64
CSRF_PLACEHOLDER = "\x00csrf\x00"


def build_form(context: offer.SignupContext) -> RegistrationForm:
    """The registration form offering exactly what this conference allows."""
    form: RegistrationForm = question_fields.form_class(RegistrationForm, context.questions)()
    form.offer(offer.modes_offered(context.conference), context.panels)
    form.offer_members(offer.member_choices(fingerprint=context.member_fingerprint))
    form.offer_languages(offer.language_choices(context.conference, context.host_country))
    question_fields.offer_choices(form, context.questions)
    return form


def form_page(
    context: offer.SignupContext, form: RegistrationForm | None = None, status: int = 200
) -> ResponseReturnValue:
    """The page with `form` as submitted, or with a pristine form (GET). A refused page
    (429, expired form) leaves out the seat notice."""
    if form is not None:
        return _render(context, form, context.availability if status == 200 else None), status
    if not _cacheable():
        return _with_token(_render(context, None, context.availability)), status
    cache: dict[tuple[object, ...], str] = current_app.extensions.setdefault(CACHE, {})
    key = _page_key(context)
    page = cache.get(key)
    if page is None:
        page = _render(context, None, context.availability)
        if len(cache) >= CACHE_SIZE:
            cache.clear()
        cache[key] = page
    return _with_token(page), status


def _render(
    context: offer.SignupContext, form: RegistrationForm | None, availability: object
) -> str:
    """The page; a pristine form carries CSRF_PLACEHOLDER where the token goes."""
    pristine = form is None
    if pristine:
        form = build_form(context)
    form_html = render_template(
        "signup/_register_form.html",
        form=form,
        conference=context.conference,
        questions=question_fields.question_fields(form, context.questions),
    )
    if pristine and _csrf_on():
        form_html = form_html.replace(generate_csrf(), CSRF_PLACEHOLDER)
    return render_template(
        "signup/register.html",
        conference=context.conference,
        form_html=Markup(form_html),  # noqa: S704 (an autoescaping template's output)
        form=None if pristine else form,  # its errors, if any, title the page
        availability=availability,
    )


def _with_token(page: str) -> str:
    return page.replace(CSRF_PLACEHOLDER, generate_csrf()) if _csrf_on() else page


def _csrf_on() -> bool:
    return bool(current_app.config.get("WTF_CSRF_ENABLED", True))


def _cacheable() -> bool:
    """The page is the same for everyone: nobody signed in, nothing flashed, no query
    string but a language choice (the language switch links to this URL)."""
    return (
        not current_user.is_authenticated
        and not session.get("_flashes")
        and set(request.args) <= {"lang"}
    )


def _version(row: Conference | Panel | RegistrationSettings | None) -> tuple[object, ...]:
    """A row's version: its id and `updated_at`, which moves on every change of the row."""
    return (None,) if row is None else (row.id, row.updated_at)


def _page_key(context: offer.SignupContext) -> tuple[object, ...]:
    """The version of everything the pristine page is rendered from, not a list of the
    fields it happens to show: the conference's, its settings' and each offered panel's
    row version, the members table's, the host country (the languages offered) and whether
    the in-person seats are taken (the notice); then the request's path and language.
    A template that starts showing another field of these rows needs no change here."""
    return (
        request.script_root,
        request.path,
        request.args.get("lang"),
        str(get_locale()),
        _csrf_on(),
        _version(context.conference),
        _version(context.settings),
        tuple(_version(panel) for panel in context.panels),
        context.member_fingerprint,
        context.host_country,
        context.availability.in_person_full,
        tuple(question_fields.version(q) for q in context.questions),
    )
