"""Reminders before panels, once per attendee and panel: a beat task starts one job per
panel (its progress shows with the conference's other fan-outs); the job's worker queues
one intent per attendee; the worker that sends each composes it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import String, cast, exists, literal

from registration.calendars.ical import panel_is_cancelled
from registration.calendars.messages import attendee_ids, attending
from registration.calendars.panel_mail import panel_mail
from registration.conferences.models import Panel, PanelKind
from registration.database import db, utcnow
from registration.jobs import services as jobs
from registration.jobs.models import Job
from registration.jobs.registry import handles
from registration.mail.compose import Mail
from registration.mail.composers import composes
from registration.mail.models import OutgoingMail
from registration.mail.outbox import queue_intent
from registration.signup.models import Registration

REMINDER = "calendars.reminder"
REMINDERS = "calendars.reminders"
CHUNK = 250


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
    """Beat: for each panel starting within the lead time with an attendee not reminded
    yet, its reminder job (one per panel: started, or run again for those approved since);
    returns how many went, no commit. The job's worker queues the reminders."""
    went = 0
    for panel in _due_panels(now or utcnow()):
        if not _someone_not_reminded(panel):
            continue
        key, label = f"panel-{panel.id}", f"Reminders: {panel.title}"
        conference_id = panel.conference_id
        if jobs.start_once(REMINDERS, key, label, conference_id=conference_id, panel_id=panel.id):
            went += 1
        else:
            went += jobs.again(jobs.job_id_of(REMINDERS, key, conference_id))
    return went


def _reminder_key(registration_id: int, panel_id: int) -> str:
    return f"reminder:{registration_id}:panel-{panel_id}"


def _someone_not_reminded(panel: Panel) -> bool:
    """Whether an attendee of the panel has no reminder in the outbox (one query)."""
    key = literal("reminder:") + cast(Registration.id, String) + f":panel-{panel.id}"
    reminded = exists().where(OutgoingMail.idempotency_key == key)
    query = db.select(Registration.id).where(*attending(panel), ~reminded).limit(1)
    return db.session.scalar(query) is not None


@handles(REMINDERS)
def remind_attendees(job: Job) -> int:
    """Queue the reminder of each attendee of the job's panel who has none, CHUNK at a
    time (the worker composes each when it sends it)."""
    job_id, panel_id = job.id, job.subject["panel_id"]
    panel = db.session.get(Panel, panel_id)
    ids = attendee_ids(panel) if panel is not None else []
    jobs.heartbeat(job_id, total=len(ids))
    db.session.commit()
    written = 0
    for start in range(0, len(ids), CHUNK):
        keys = {_reminder_key(r, panel_id): r for r in ids[start : start + CHUNK]}
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
                intent = {"registration": registration_id, "panel": panel_id}
                recipient = recipients[registration_id]
                row = queue_intent(REMINDER, intent, key=key, recipient=recipient, batch=job_id)
                written += row is not None
        jobs.heartbeat(job_id)
        db.session.commit()
    return written


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
