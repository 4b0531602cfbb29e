"""Helpers for the API tests: tokens, a conference with registrations from three states."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from registration.accounts.models import User
from registration.conferences.models import Conference
from registration.database import db
from registration.signup.models import FocalPoint
from registration.tokens import services
from registration.tokens.models import TokenScope
from tests.signup_support import form_data, member_id


def make_token(
    app: Flask,
    user_id: int,
    scope: TokenScope = TokenScope.WRITE,
    conference_ids: list[int] | None = None,
    days: int = 30,
) -> str:
    """A new token's secret (the only time it is known)."""
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        chosen = None
        if conference_ids is not None:
            chosen = [db.session.get(Conference, cid) for cid in conference_ids]
        return services.create(user, name="test", scope=scope, days=days, conferences=chosen).secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def register_people(app: Flask, slug: str, people: list[tuple[str, str]]) -> None:
    """Registers (who, member code) pairs through the public form."""
    client = app.test_client()
    for who, code in people:
        response = client.post(
            f"/conferences/{slug}/register",
            data=form_data(member_id(app, code), email=f"{who}@example.org", name=who),
        )
        assert response.status_code == 302, response.text


def make_focal_point(
    app: Flask, make_organizer: Callable[..., User], conference_id: int, code: str
) -> User:
    user = make_organizer(f"focal-{code.lower()}@mfa.example", organizer=False)
    with app.app_context():
        point = FocalPoint(user_id=user.id, conference_id=conference_id)
        point.member_id = member_id(app, code)
        db.session.add(point)
        db.session.commit()
    return user
