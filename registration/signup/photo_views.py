"""Badge photos: the person's upload page (with the crop to the badge's frame) and the photo
itself, to the person by their link and to organisers; never to focal points or the public."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange, StopValidation
from wtforms.widgets import RangeInput

from registration import files, pending_uploads
from registration.conferences.models import ConferenceStatus
from registration.conferences.services import conference_by_slug
from registration.database import db
from registration.input_policy import PolicyForm
from registration.signup import errors, links, photos
from registration.signup.models import AttendanceMode, Registration
from registration.staff.access import protect
from registration.staff.roles import Permission
from registration.web import personal_file_response

bp = Blueprint("signup_photos", __name__)
# The photo is for the door: check-in staff compare faces (and organisers print badges).
manage = protect(
    Blueprint("photos_manage", __name__, url_prefix="/manage/conferences"), Permission.CHECK_IN
)


def _slider(label: object, default: int, low: int, high: int) -> IntegerField:
    return IntegerField(
        label,
        default=default,
        widget=RangeInput(step=1),
        render_kw={"min": low, "max": high},
        validators=[InputRequired(), NumberRange(min=low, max=high)],
    )


def _given_or_kept(form: PhotoForm, field: FileField) -> None:
    """A picture sent now, or the one kept when the form came back for another mistake."""
    if isinstance(field.data, FileStorage) and field.data.filename:
        field.sent = (field.data.read(), field.data.filename)
        return
    found = pending_uploads.take(request.form.get(KEPT, ""), form.purpose)
    if found is None:
        raise StopValidation(gettext("Choose a picture."))
    field.sent, field.kept = (found[0], found[1].filename), found[1]


KEPT = "photo-kept"


class PhotoForm(PolicyForm):
    photo = FileField(
        _l("Photo"),
        description=_l("A JPEG or PNG picture of your face, at least 240 pixels wide and high."),
        validators=[_given_or_kept],
    )
    zoom = _slider(_l("Zoom (%)"), 100, 100, 400)
    x = _slider(_l("Frame position from left to right (%)"), 50, 0, 100)
    y = _slider(_l("Frame position from top to bottom (%)"), 50, 0, 100)


def _own(slug: str, token: str) -> Registration | None:
    """The registration of the link, if in person and active; 404 otherwise."""
    conference = conference_by_slug(slug)
    if conference is None or conference.status is not ConferenceStatus.PUBLISHED:
        abort(404)
    try:
        registration = links.registration_for_token(token)
    except errors.LinkInvalidError as error:
        flash(error.translated(), "error")
        return None
    if registration.conference_id != conference.id:
        abort(404)
    if registration.mode is not AttendanceMode.IN_PERSON or not registration.is_active:
        abort(404, gettext("A badge photo is only for active in-person registrations."))
    return registration


@bp.route("/conferences/<slug>/registration/<token>/photo", methods=["GET", "POST"])
def photo_page(slug: str, token: str) -> ResponseReturnValue:
    registration = _own(slug, token)
    if registration is None:
        return redirect(url_for("signup.resend", slug=slug))
    form = PhotoForm()
    form.purpose = f"photo:{registration.id}"
    if form.validate_on_submit():
        crop = photos.Crop(form.zoom.data or 100, form.x.data or 0, form.y.data or 0)
        try:
            photos.save_photo(registration, form.photo.sent[0], crop)
        except files.FileRefusedError as error:
            form.photo.errors = [gettext(str(error))]
        else:
            flash(gettext("Your photo is saved; it is on your badge now."), "success")
            return redirect(url_for("signup.manage", slug=slug, token=token))
    _keep_photo(form)
    return render_template(
        "signup/photo.html",
        conference=registration.conference,
        registration=registration,
        token=token,
        form=form,
        has_photo=photos.photo_of(registration.id) is not None,
    ), 422 if form.errors else 200


def _keep_photo(form: PhotoForm) -> None:
    """A usable picture sent with a crop that came back refused is kept for the next try,
    as the picture alone (re-encoded); one refused itself is not, and says why now."""
    sent = getattr(form.photo, "sent", None)
    if sent is None or form.photo.errors or getattr(form.photo, "kept", None) is not None:
        return
    try:
        photos.badge_picture(sent[0], photos.Crop(100, 50, 50))
        image = files.checked_image(sent[0])
    except files.FileRefusedError as error:
        form.photo.errors = [gettext(str(error))]
        return
    clean = files.encoded(image, image.format or "JPEG")
    form.photo.kept = pending_uploads.keep(clean, sent[1], form.purpose)


@bp.route("/conferences/<slug>/registration/<token>/photo.jpg")
def own_photo(slug: str, token: str) -> ResponseReturnValue:
    registration = _own(slug, token)
    photo = photos.photo_of(registration.id) if registration is not None else None
    if photo is None:
        abort(404)
    return personal_file_response(photo, inline=True)


@manage.route("/<slug>/registrations/<int:registration_id>/photo.jpg")
def photo(slug: str, registration_id: int) -> ResponseReturnValue:
    """A delegate's photo for organisers: the badge sheet and the check-in page show it."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.conference.slug != slug:
        abort(404)
    found = photos.photo_of(registration.id)
    if found is None:
        abort(404)
    return personal_file_response(found, inline=True)
