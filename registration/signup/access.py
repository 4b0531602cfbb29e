"""Who may use the delegation pages: focal points of the conference in the URL, only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Blueprint, abort, g, request
from flask_login import current_user

from registration.conferences.models import Conference
from registration.database import db
from registration.directory.models import Member
from registration.directory.services import members_by_name
from registration.extensions import login_manager
from registration.i18n import N_, page_language
from registration.signup.models import FocalPoint, Registration


@dataclass(frozen=True)
class Delegation:
    """The members a signed-in focal point answers for at one conference."""

    conference: Conference
    members: list[Member]

    @property
    def member_ids(self) -> set[int]:
        return {m.id for m in self.members}


def delegation_of(user_id: int, slug: str) -> Delegation | None:
    """The members this account answers for at the conference, or None if it is not one of
    its focal points (the pages and the API both ask this)."""
    points = db.session.scalars(
        db.select(FocalPoint)
        .join(FocalPoint.conference)
        .where(FocalPoint.user_id == user_id, Conference.slug == slug)
    ).all()
    if not points:
        return None
    members = members_by_name((p.member for p in points), page_language())
    return Delegation(points[0].conference, members)


def _deny_unless_focal_point() -> Any:
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    slug = (request.view_args or {}).get("slug")
    if slug is None:
        return None
    delegation = delegation_of(current_user.id, slug)
    if delegation is None:
        abort(403, N_("You are not a focal point for this conference."))
    g.delegation = delegation
    return None


def focal_points_only(blueprint: Blueprint) -> Blueprint:
    """Every view needs a signed-in focal point of the conference named by `<slug>`."""
    blueprint.before_request(_deny_unless_focal_point)
    return blueprint


def own_delegation_registration(view: Callable[..., Any]) -> Callable[..., Any]:
    """The `<int:registration_id>` must belong to the focal point's delegation, else 404."""

    @wraps(view)
    def wrapped(*args: Any, registration_id: int, **kwargs: Any) -> Any:
        registration = db.session.get(Registration, registration_id)
        delegation: Delegation = g.delegation
        if (
            registration is None
            or registration.conference_id != delegation.conference.id
            or registration.member_id not in delegation.member_ids
        ):
            abort(404)
        return view(*args, registration=registration, **kwargs)

    return wrapped
