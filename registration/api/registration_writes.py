"""Registering a delegate on behalf of a member, and approving or rejecting: the same
services (and so the same capacity, quota and status rules) as the forms."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_smorest import Blueprint, abort

from registration.api import auth, present
from registration.api.registration_schemas import (
    DecisionSchema,
    NewRegistrationSchema,
    RegistrationSchema,
)
from registration.database import db
from registration.directory.models import Member
from registration.i18n import offered
from registration.signup import errors, offer, services
from registration.signup.models import Registration
from registration.staff.roles import Permission

bp = Blueprint(
    "registration-writes-api",
    __name__,
    url_prefix="/api/v1",
    description="Changes with a read and write token: registering delegates, decisions.",
)
auth.guard(bp)


def _refused(error: errors.SignupError) -> None:
    """A refusal of the service: 409, the registration's state or the meeting's forbids it."""
    db.session.rollback()
    abort(409, message=str(error))


def _own_registration(access: auth.ConferenceAccess, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if (
        registration is None
        or registration.conference_id != access.conference.id
        or not access.sees(registration.member_id)
    ):
        abort(404, message="No such registration for this token.")
    return registration


@bp.post("/conferences/<slug>/registrations")
@bp.arguments(NewRegistrationSchema)
@bp.response(201, RegistrationSchema)
@bp.doc(security=auth.SECURITY)
def register(data: dict[str, Any], slug: str) -> dict[str, Any]:
    """Register a delegate of one of your members: approved at once while a place is free,
    else on the waiting list (the capacity and quotas of the form)."""
    access = auth.conference_access(slug, Permission.ADMINISTER)  # administrators, focal points
    conference = access.conference
    context = offer.signup_context(slug)
    if context is None or context.settings is None:
        abort(409, message="Registration for this conference has not been set up.")
    member = db.session.scalar(db.select(Member).filter_by(code=data["member"].upper()))
    if member is None or not access.sees(member.id):
        abort(422, message="You may register delegates of your own members only.")
    if data["mode"] not in offer.modes_offered(conference):
        abort(422, message=f"This conference has no {data['mode'].label.lower()} attendance.")
    languages = [code for code, _ in offer.language_choices(conference, context.host_country)]
    if data["language"] not in languages:
        abort(422, message=f"The language is one of: {', '.join(languages)}.")
    ours = current_app.config["LANGUAGES"]
    mail_language = data.get("mail_language", offered(data["language"]))
    if mail_language not in ours:
        abort(422, message=f"The mail language is one of: {', '.join(ours)}.")
    applicant = services.Applicant(
        name=data["name"],
        email=data["email"],
        member_id=member.id,
        mode=data["mode"],
        position=data["position"],
        institution=data["institution"],
        panel_ids=data["panels"],
        role=data["role"],
        language=data["language"],
        consent_to_list=data["listed"],
        mail_language=mail_language,
    )
    try:
        created = services.register(
            conference.id, applicant, registered_by=auth.current_token().user
        )
    except errors.SignupError as error:
        _refused(error)
    return present.registration(db.session.get(Registration, created.id))


@bp.post("/conferences/<slug>/registrations/<int(max=2147483647):registration_id>/decision")
@bp.arguments(DecisionSchema)
@bp.response(200, RegistrationSchema)
@bp.doc(security=auth.SECURITY)
def decide(data: dict[str, Any], slug: str, registration_id: int) -> dict[str, Any]:
    """Approve a pending registration, or reject one, with a reason the person is mailed."""
    registration = _own_registration(
        auth.conference_access(slug, Permission.DECIDE), registration_id
    )
    try:
        services.decide(registration, approve=data["decision"] == "approve", reason=data["reason"])
    except errors.SignupError as error:
        _refused(error)
    return present.registration(db.session.get(Registration, registration_id))
