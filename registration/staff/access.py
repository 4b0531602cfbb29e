"""Who may call a view: each management route declares the permission it needs, here checked.

A blueprint names its usual permission once (`protect(bp, Permission.VIEW)`); a view that
needs another says so with `@requires(...)` under its route. The check runs before the view,
for the conference named by the URL's `<slug>` (or by a view's own `conference_of`), so view
bodies never test roles. `can(user, permission, conference_id)` is the same check for code
that acts for a user outside a request of this kind (an API token carries its owner's rights).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from flask import Blueprint, abort, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user

from registration.accounts.models import User
from registration.database import db
from registration.extensions import login_manager
from registration.i18n import N_
from registration.problems import refusal
from registration.staff import policy
from registration.staff.models import StaffRole
from registration.staff.roles import Permission

ConferenceOf = Callable[[dict[str, Any]], int | None]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# The app extension that finds a conference's id by its slug (conferences.staff_roles sets it).
CONFERENCE_ID_BY_SLUG = "conference_id_by_slug"


@dataclass(frozen=True)
class Need:
    """A view's declaration: what reading it and what changing through it require."""

    read: Permission
    change: Permission
    conference_of: ConferenceOf | None = None

    def for_method(self, method: str) -> Permission:
        return self.read if method in SAFE_METHODS else self.change


def requires(
    permission: Permission,
    *,
    change: Permission | None = None,
    conference_of: ConferenceOf | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a view's permission; `change` for its POST when that needs more than reading."""

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        view.staff_need = Need(permission, change or permission, conference_of)  # type: ignore[attr-defined]
        return view

    return mark


def protect(
    blueprint: Blueprint,
    default: Permission,
    *,
    api: bool = False,
    conference_of: ConferenceOf | None = None,
) -> Blueprint:
    """Every view of `blueprint` needs `default` unless it declares its own; `api` answers
    JSON; `conference_of` finds the conference when the URL names it otherwise than `<slug>`."""
    blueprint.staff_default = Need(default, default, conference_of)  # type: ignore[attr-defined]
    blueprint.before_request(partial(_guard, blueprint, api))
    return blueprint


def need_of(endpoint: str, blueprint: Blueprint) -> Need:
    """The declaration that applies to `endpoint`."""
    view = current_app.view_functions.get(endpoint)
    default: Need = blueprint.staff_default  # type: ignore[attr-defined]
    need: Need | None = getattr(view, "staff_need", None)
    if need is None:
        return default
    if need.conference_of is None and default.conference_of is not None:
        return Need(need.read, need.change, default.conference_of)
    return need


def conference_in_url(view_args: dict[str, Any]) -> int | None:
    """The id of the conference whose slug the URL names (conferences register the lookup)."""
    slug = view_args.get("slug")
    if slug is None:
        return None
    return current_app.extensions[CONFERENCE_ID_BY_SLUG](slug)


def permissions(user: User, conference_id: int | None) -> frozenset[Permission]:
    """What `user` may do in the conference (None: outside any one conference)."""
    if not user.is_active:
        return frozenset()
    if user.is_administrator:
        return frozenset(Permission)
    if conference_id is None:
        held = db.session.scalar(db.select(StaffRole.id).filter_by(user_id=user.id).limit(1))
        return frozenset({Permission.ENTER}) if held else frozenset()
    role = db.session.scalar(
        db.select(StaffRole.role).filter_by(user_id=user.id, conference_id=conference_id)
    )
    return role.permissions if role is not None else frozenset()


def can(user: User, permission: Permission, conference_id: int | None = None) -> bool:
    return permission in permissions(user, conference_id)


def _guard(blueprint: Blueprint, api: bool) -> Any:
    if not current_user.is_authenticated:
        if api:
            return refusal(401, gettext("Please sign in again."))
        return login_manager.unauthorized()
    need = need_of(request.endpoint or "", blueprint)
    user = current_user._get_current_object()
    if not user.has_two_factor and policy.two_factor_required():
        reason = gettext("The Secretariat requires two-factor sign-in for staff: set it up first.")
        if api:
            return refusal(403, reason)
        flash(reason, "info")
        return redirect(url_for("two_factor.setup"))
    conference_id = None
    if not user.is_administrator:  # who holds every permission needs no conference looked up
        conference_id = (need.conference_of or conference_in_url)(request.view_args or {})
    held = permissions(user, conference_id)
    g.staff_permissions = held
    if need.for_method(request.method) in held:
        return None
    if api:
        return refusal(403, gettext("Your role does not allow this."))
    abort(403, N_("Your role in this conference does not allow this page."))
    return None


def held_permissions() -> frozenset[Permission]:
    """What the signed-in user may do on this page (for showing only the links that work)."""
    return g.get("staff_permissions", frozenset())


def _is_staff() -> bool:
    return current_user.is_authenticated and can(current_user, Permission.ENTER)


def _may(permission: str, conference_id: int | None = None) -> bool:
    """In a template: may the signed-in user do this (here, or in another conference)?"""
    if conference_id is None and "staff_permissions" in g:
        return Permission(permission) in held_permissions()
    wanted = Permission(permission)
    return current_user.is_authenticated and can(current_user, wanted, conference_id)


def init_app(app: Any) -> None:
    """Templates show only the links a user may follow: `is_staff()`, `may('export')`;
    signing in leads staff to the management pages (accounts asks `start_page`); the audit
    recorder asks `held_permissions` whether who acts is staff."""
    app.jinja_env.globals["is_staff"] = _is_staff
    app.jinja_env.globals["may"] = _may
    app.extensions["start_page"] = start_page
    app.extensions["held_permissions"] = held_permissions


def start_page(user: User) -> str:
    """Where a user starts after signing in: staff the management pages, focal points
    their delegations."""
    return url_for("manage.dashboard" if can(user, Permission.ENTER) else "delegation.conferences")
