"""Public pages: the registration form, the person's own registration, the participant list."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_wtf.csrf import CSRFError

from registration import web
from registration.accounts.views import choose_password_page
from registration.conferences.models import Conference, ConferenceStatus
from registration.conferences.services import conference_by_slug
from registration.database import utcnow
from registration.downloads import download
from registration.extensions import limiter
from registration.i18n import N_, language_name, page_language
from registration.signup import (
    answers,
    errors,
    links,
    lists,
    mailing,
    offer,
    photos,
    question_fields,
    services,
)
from registration.signup.badges import badges_pdf, qr_svg
from registration.signup.form_page import build_form, form_page
from registration.signup.forms import (
    MailLanguageForm,
    ManageForm,
    ResendLinkForm,
    WithdrawForm,
)
from registration.signup.invited import invited
from registration.signup.mail_language import change_mail_language
from registration.signup.models import AttendanceMode, Registration, RegistrationSettings
from registration.signup.own_erasure import EraseOwnDataForm, erase_own_data

bp = Blueprint("signup", __name__)


def _published(slug: str) -> Conference:
    conference = conference_by_slug(slug)
    if conference is None or conference.status is not ConferenceStatus.PUBLISHED:
        abort(404)
    return conference


def _closed_page(conference: Conference, settings: RegistrationSettings | None) -> str:
    return render_template(
        "signup/closed.html", conference=conference, settings=settings, now=utcnow()
    )


def _own(conference: Conference, token: str) -> Registration | None:
    """The registration a mailed link names in this conference; None, with the reason
    flashed, when the link is expired or invalid."""
    try:
        registration = links.registration_for_token(token)
    except errors.LinkInvalidError as error:
        flash(error.translated(), "error")
        return None
    if registration.conference_id != conference.id:
        abort(404)
    return registration


def _context(slug: str) -> offer.SignupContext:
    context = offer.signup_context(slug)
    if context is None:
        abort(404)
    return context


@bp.errorhandler(429)
def _too_many(error: Exception) -> ResponseReturnValue:
    """A rate-limited sender sees the form again with a message, not an error page."""
    message = gettext(
        "You have sent this form too many times in a short while. "
        "Please wait a minute and send it again."
    )
    slug = (request.view_args or {}).get("slug", "")
    conference = _published(slug)
    if request.endpoint == "signup.resend":
        form = ResendLinkForm()
        form.form_errors.append(message)
        return render_template("signup/resend.html", conference=conference, form=form), 429
    context = _context(slug)
    if context.settings is None:
        return _closed_page(conference, None), 429
    registration_form = build_form(context)
    registration_form.form_errors.append(message)
    return form_page(context, registration_form, 429)


@bp.errorhandler(CSRFError)
def _expired(error: CSRFError) -> ResponseReturnValue:
    """The public form sent after its token expired comes back with what was typed."""
    slug = (request.view_args or {}).get("slug", "")
    context = offer.signup_context(slug) if request.endpoint == "signup.register" else None
    if context is None or context.settings is None:
        return web.csrf_error(error)
    form = build_form(context)
    form.form_errors.append(
        gettext(
            "The form expired or was sent from another page. Your answers are kept: please "
            "check them and send the form again."
        )
    )
    return form_page(context, form, 400)


@bp.route("/conferences/<slug>/register", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["SIGNUP_RATE_LIMIT"],
    methods=["POST"],
)
def register(slug: str) -> ResponseReturnValue:
    context = _context(slug)
    conference, settings = context.conference, context.settings
    if settings is None or not settings.is_open(utcnow()):
        return _closed_page(conference, settings)
    invitee = invited(conference.id, request.args.get("invitation", ""))
    if request.method != "POST" and invitee is None:
        return form_page(context)
    form = build_form(context)
    if invitee is not None:
        form.bind_to_invitation(
            email=invitee.email,
            name=invitee.name,
            member_id=invitee.member_id,
            role=invitee.role,
            panel_ids=invitee.panel_ids,
            submitted=request.method == "POST",
        )
    if form.validate_on_submit():
        try:
            registration = services.register(
                conference.id, services.applicant_from(form, context.questions)
            )
        except errors.DuplicateRegistrationError as error:
            form.email.errors = [error.translated()]
        except errors.RegistrationClosedError:
            return _closed_page(conference, settings)
        except errors.SignupError as error:
            form.form_errors.append(error.translated())
        else:
            session["signup_result"] = {
                "id": registration.id,
                "token": links.manage_token(registration),
            }
            return redirect(url_for("signup.submitted", slug=slug))
    question_fields.keep_uploads(form, context.questions)
    return form_page(context, form)


@bp.route("/conferences/<slug>/register/submitted")
def submitted(slug: str) -> ResponseReturnValue:
    conference = _published(slug)
    result = session.get("signup_result") or {}
    registration = offer.registration_by_id(result.get("id", 0))
    if registration is None or registration.conference_id != conference.id:
        return redirect(url_for("signup.register", slug=slug))
    online_form = ManageForm(
        formdata=None, mode=AttendanceMode.ONLINE.value, panels=registration.panel_ids
    )
    return render_template(
        "signup/submitted.html",
        conference=conference,
        registration=registration,
        token=result["token"],
        online_form=online_form,
        online_possible=offer.online_possible(registration),
    )


@bp.route("/conferences/<slug>/register/link", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGNUP_RATE_LIMIT"], methods=["POST"])
def resend(slug: str) -> ResponseReturnValue:
    conference = _published(slug)
    form = ResendLinkForm()
    if form.validate_on_submit():
        mailing.resend_link_for(conference.id, form.email.data or "")
        flash(
            gettext(
                "If that address is registered for this conference, a link to your "
                "registration is on its way."
            ),
            "success",
        )
        return redirect(url_for("signup.resend", slug=slug))
    return render_template("signup/resend.html", conference=conference, form=form)


@bp.route("/conferences/<slug>/confirm/<token>")
def confirm(slug: str, token: str) -> ResponseReturnValue:
    """The mailed link: confirms the address, then shows the registration."""
    try:
        registration = links.registration_for_token(token)
    except errors.LinkInvalidError as error:
        flash(error.translated(), "error")
        return redirect(url_for("signup.resend", slug=slug))
    if services.confirm_email(registration):
        flash(gettext("Thank you: your e-mail address is confirmed."), "success")
    return redirect(url_for("signup.manage", slug=slug, token=token))


@bp.route("/conferences/<slug>/registration/<token>", methods=["GET", "POST"])
def manage(slug: str, token: str) -> ResponseReturnValue:
    """The person's own registration: view it, change mode and panels, withdraw."""
    context = _context(slug)
    conference = context.conference
    registration = _own(conference, token)
    if registration is None:
        return redirect(url_for("signup.resend", slug=slug))
    form = ManageForm(mode=registration.mode.value, panels=registration.panel_ids)
    form.offer(offer.modes_offered(conference), context.panels)
    if registration.is_active and form.validate_on_submit():
        try:
            services.change(
                registration, AttendanceMode(form.mode.data), list(form.panels.data or [])
            )
        except errors.SignupError as error:
            form.form_errors.append(error.translated())
        else:
            flash(gettext("Your registration is updated."), "success")
            return redirect(url_for("signup.manage", slug=slug, token=token))
    return _manage_page(registration, token, form, WithdrawForm(formdata=None))


def _manage_page(
    registration: Registration,
    token: str,
    form: ManageForm,
    withdraw_form: WithdrawForm,
    erase_form: EraseOwnDataForm | None = None,
) -> str:
    language_form = MailLanguageForm(formdata=None, mail_language=registration.mail_language)
    language_form.offer(current_app.config["LANGUAGES"])
    return render_template(
        "signup/manage.html",
        conference=registration.conference,
        registration=registration,
        form=form,
        withdraw_form=withdraw_form,
        erase_form=erase_form or EraseOwnDataForm(formdata=None),
        language_form=language_form,
        token=token,
        has_badge=mailing.gets_badge(registration),
        has_photo=photos.photo_of(registration.id) is not None,
        **answers.questions_status(registration),
    )


@bp.route("/conferences/<slug>/registration/<token>/language", methods=["POST"])
def mail_language(slug: str, token: str) -> ResponseReturnValue:
    """The person chooses the language of our later messages."""
    registration = _own(_published(slug), token)
    if registration is None:
        return redirect(url_for("signup.resend", slug=slug))
    form = MailLanguageForm()
    form.offer(current_app.config["LANGUAGES"])
    if not form.validate_on_submit():
        flash(gettext("Choose one of the languages offered."), "error")
    else:
        change_mail_language(registration, form.mail_language.data or "")
        name = language_name(registration.mail_language)
        flash(gettext("From now on we write to you in %(language)s.", language=name), "success")
    return redirect(url_for("signup.manage", slug=slug, token=token))


@bp.route("/conferences/<slug>/registration/<token>/withdraw", methods=["POST"])
def withdraw(slug: str, token: str) -> ResponseReturnValue:
    registration = _own(_published(slug), token)
    if registration is None:
        return redirect(url_for("signup.resend", slug=slug))
    form = WithdrawForm()
    if form.validate_on_submit():
        services.withdraw(registration)
        flash(gettext("Your registration is withdrawn. We are sorry you cannot come."), "success")
        return redirect(url_for("signup.manage", slug=slug, token=token))
    if not registration.is_active:  # nothing to withdraw, and no form to show the error in
        return redirect(url_for("signup.manage", slug=slug, token=token))
    change_form = ManageForm(
        formdata=None, mode=registration.mode.value, panels=registration.panel_ids
    )
    change_form.offer(offer.modes_offered(registration.conference), _context(slug).panels)
    return _manage_page(registration, token, change_form, form)


@bp.route("/conferences/<slug>/registration/<token>/erase", methods=["POST"])
def erase(slug: str, token: str) -> ResponseReturnValue:
    """The person withdraws and erases their personal data; the link dies with it."""
    context = _context(slug)
    conference = context.conference
    registration = _own(conference, token)
    if registration is None:
        return redirect(url_for("signup.resend", slug=slug))
    form = EraseOwnDataForm()
    if form.validate_on_submit():
        erase_own_data(registration)
        return redirect(url_for("signup.erased", slug=slug))
    change_form = ManageForm(
        formdata=None, mode=registration.mode.value, panels=registration.panel_ids
    )
    change_form.offer(offer.modes_offered(conference), context.panels)
    return _manage_page(registration, token, change_form, WithdrawForm(formdata=None), form)


@bp.route("/conferences/<slug>/registration-erased")
def erased(slug: str) -> ResponseReturnValue:
    return render_template("signup/erased.html", conference=_published(slug))


def _badge_holder(slug: str, token: str) -> Registration | None:
    """The registration behind a link, if it has a badge (approved, in person); else 404."""
    registration = _own(_published(slug), token)
    if registration is not None and not mailing.gets_badge(registration):
        abort(404, N_("There is a badge only for approved in-person registrations."))
    return registration


@bp.route("/conferences/<slug>/registration/<token>/badge")
def badge(slug: str, token: str) -> ResponseReturnValue:
    """The participant's own badge, to show on a phone or print."""
    registration = _badge_holder(slug, token)
    if registration is None:
        return redirect(url_for("signup.resend", slug=slug))
    return render_template(
        "signup/badge.html",
        conference=registration.conference,
        registration=registration,
        token=token,
        qr_svg=qr_svg,
        photo_url=lambda _: photo_url(slug, token, registration),
    )


def photo_url(slug: str, token: str, registration: Registration) -> str | None:
    """The person's own photo by their link, None without one."""
    if photos.photo_of(registration.id) is None:
        return None
    return url_for("signup_photos.own_photo", slug=slug, token=token)


@bp.route("/conferences/<slug>/registration/<token>/badge.pdf")
def badge_pdf(slug: str, token: str) -> ResponseReturnValue:
    registration = _badge_holder(slug, token)
    if registration is None:
        return redirect(url_for("signup.resend", slug=slug))
    pdf = badges_pdf([registration], f"Badge — {registration.conference.title}")
    response = download(pdf, "application/pdf", f"badge-{registration.id}.pdf")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/conferences/<slug>/participants")
def participants(slug: str) -> ResponseReturnValue:
    conference = _published(slug)
    return render_template(
        "signup/participants.html",
        conference=conference,
        groups=lists.participants_by_member(conference.id, page_language()),
    )


@bp.route("/focal-point/password/<token>", methods=["GET", "POST"])
def focal_point_password(token: str) -> ResponseReturnValue:
    """The mailed link a new focal point uses to choose a password (one use): the address
    mailed links carry; the page is the staff's."""
    return choose_password_page(token)
