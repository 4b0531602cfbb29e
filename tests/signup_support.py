"""Helpers for the registration tests: open a conference for sign-ups, read the outbox."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

from flask import Flask

from registration.conferences.models import Conference
from registration.database import db, utcnow
from registration.directory.services import member_by_code
from registration.mail import services as mail_services
from registration.mail.models import OutgoingMail
from registration.signup import services


def open_registration(app: Flask, conference_id: int, **fields: Any) -> None:
    """Registration open since yesterday for a month; keyword arguments override."""
    with app.app_context():
        conference = db.session.get(Conference, conference_id)
        assert conference is not None
        values: dict[str, Any] = {
            "opens_at": utcnow() - timedelta(days=1),
            "closes_at": utcnow() + timedelta(days=30),
            "approval_required": True,
            "in_person_capacity": None,
            "delegation_in_person_quota": None,
            "delegation_total_quota": None,
            "panel_ids": [p.id for p in conference.panels],
        }
        values.update(fields)
        services.save_settings(conference, **values)


def member_id(app: Flask, code: str) -> int:
    with app.app_context():
        return member_by_code(code).id


def form_data(member_pk: int, /, **fields: Any) -> dict[str, Any]:
    """A complete, valid public form; keyword arguments override or (None) drop fields."""
    data: dict[str, Any] = {
        "name": "Aigerim Nurlanovna",
        "position": "Senior Research Fellow",
        "institution": "Kazakhstan Institute for Strategic Studies",
        "email": "aigerim@kisi.example",
        "member": str(member_pk),
        "mode": "in_person",
        "role": "participant",
        "language": "en",
        "consent": "y",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def mails(app: Flask, to: str | None = None) -> list[EmailMessage]:
    """Queued messages (oldest first), parsed as a mail client would."""
    with app.app_context():
        rows = db.session.scalars(db.select(OutgoingMail).order_by(OutgoingMail.id)).all()
        messages = [
            mail_services.message_of(row) for row in rows
        ]  # intents composed as a worker would
        parsed = [
            email.message_from_bytes(message, policy=email.policy.default)
            for message in messages
            if message is not None
        ]
    return [m for m in parsed if to is None or m["To"] == to]  # type: ignore[misc]


def body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


def link_in(message: EmailMessage) -> str:
    """The path of the first link to this site in a message."""
    found = re.search(r"http://localhost(/\S+)", body(message))
    assert found, body(message)
    return found.group(1)
