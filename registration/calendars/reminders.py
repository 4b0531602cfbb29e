"""Reminders before panels, once per attendee and panel (a beat task queues them)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import current_app

from registration.calendars.ical import panel_is_cancelled
from registration.calendars.messages import attendee_ids, attending
from registration.calendars.panel_mail import panel_mail
from registration.conferences.models import Panel, PanelKind
from registration.database import db, utcnow
from registration.mail.compose import Mail
from registration.mail.composers import composes
from registration.mail.models import OutgoingMail
from registration.mail.outbox import queue_intent
from registration.signup.models import Registration

REMINDER = "calendars.reminder"


def reminder_batch(conference_id: int) -> str:
    return f"conference-{conference_id}-reminders"


def _due_panels(now: datetime) -> list[Panel]:
    lead = current_app.config["REMINDER_LEAD_MINUTES"]
    panels = db.session.scalars(
        db.select(Panel)
        .join(Panel.conference)
        .where(
            Panel.starts_at > now,
            Panel.starts_at <= now + timedelta(minutes=lead),
            Panel.kind != PanelKind.BREAK,
        )
        .order_by(Panel.starts_at)
    ).all()
    return [p for p in panels if not panel_is_cancelled(p) and p.conference.is_published]


def queue_due_reminders(now: datetime | None = None) -> int:
    """A reminder before each panel starting within the lead time, once per attendee (the
    worker composes each when it sends it); returns how many were queued, no commit."""
    queued = 0
    for panel in _due_panels(now or utcnow()):
        keys = {f"reminder:{r}:panel-{panel.id}": r for r in attendee_ids(panel)}
        done = set(
            db.session.scalars(
                db.select(OutgoingMail.idempotency_key).where(
                    OutgoingMail.idempotency_key.in_(keys)
                )
            )
        )
        recipients = dict(
            db.session.execute(
                db.select(Registration.id, Registration.email).where(
                    Registration.id.in_([r for k, r in keys.items() if k not in done])
                )
            ).all()
        )
        for key, registration_id in keys.items():
            if registration_id in recipients:
                queued += (
                    queue_intent(
                        REMINDER,
                        {"registration": registration_id, "panel": panel.id},
                        key=key,
                        recipient=recipients[registration_id],
                        batch=reminder_batch(panel.conference_id),
                    )
                    is not None
                )
    return queued


@composes(REMINDER)
def reminder_mail(intent: dict[str, Any]) -> Mail | None:
    """The reminder, unless the panel is gone or cancelled or the person no longer comes."""
    registration = db.session.get(Registration, intent["registration"])
    panel = db.session.get(Panel, intent["panel"])
    if registration is None or panel is None or panel_is_cancelled(panel):
        return None
    still = db.select(Registration.id).where(Registration.id == registration.id, *attending(panel))
    if db.session.scalar(still) is None:
        return None
    return panel_mail(registration, panel, "Reminder")
