"""Accounts with each staff role, for the tests of who may do what."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from flask import Flask

from registration.accounts.models import User
from registration.database import db
from registration.staff.models import StaffRole
from registration.staff.roles import Role
from tests.conftest import PASSWORD


@cache
def password_hash() -> str:
    """PASSWORD hashed once: every account made here signs in with it."""
    return PasswordHasher().hash(PASSWORD)


def make_account(app: Flask, email: str, **fields: object) -> int:
    with app.app_context():
        user = User(email=email, name=email.split("@")[0], password_hash=password_hash(), **fields)
        db.session.add(user)
        db.session.commit()
        return user.id


def make_staff(app: Flask, email: str, role: Role, conference_id: int) -> int:
    """An account holding `role` in the conference; its id."""
    user_id = make_account(app, email)
    with app.app_context():
        db.session.add(StaffRole(user_id=user_id, conference_id=conference_id, role=role))
        db.session.commit()
    return user_id
