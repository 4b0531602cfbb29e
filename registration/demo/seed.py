"""Placeholder: the demo conferences are loaded here (see issue 2)."""

from registration.database import db
from registration.directory.services import sync_members


def seed_demo() -> str:
    added = sync_members()
    db.session.commit()
    return f"{added} members added."
