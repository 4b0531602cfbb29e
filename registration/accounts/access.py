"""Who may call a view: declared once per blueprint or view, not checked in bodies."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, abort
from flask_login import current_user

from registration.extensions import login_manager


def _deny_unless_organizer() -> Any:
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_organizer:
        abort(403)
    return None


def organizers_only(blueprint: Blueprint) -> Blueprint:
    """Every view of this blueprint requires a logged-in organiser."""
    blueprint.before_request(_deny_unless_organizer)
    return blueprint


def organizer_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        return _deny_unless_organizer() or view(*args, **kwargs)

    return wrapped
