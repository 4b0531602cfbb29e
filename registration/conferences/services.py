"""Reading and changing conferences and panels; views, CLI and workers call these."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy.orm import selectinload

from registration.conferences.models import (
    Conference,
    ConferenceOrganizer,
    ConferenceStatus,
    Panel,
    PanelPerson,
)
from registration.database import db, utcnow


def conference_by_slug(slug: str) -> Conference | None:
    return db.session.scalar(
        db.select(Conference)
        .filter_by(slug=slug)
        .options(
            selectinload(Conference.organizers).joinedload(ConferenceOrganizer.institution),
            selectinload(Conference.panels)
            .selectinload(Panel.roles)
            .joinedload(PanelPerson.person),
        )
    )


def published_conferences() -> tuple[list[Conference], list[Conference]]:
    """Published and cancelled conferences, split into (upcoming, past)."""
    conferences = db.session.scalars(
        db.select(Conference)
        .where(Conference.status != ConferenceStatus.DRAFT)
        .order_by(Conference.starts_at)
    ).all()
    now = utcnow()
    upcoming = [c for c in conferences if c.ends_at >= now]
    past = [c for c in reversed(conferences) if c.ends_at < now]
    return upcoming, past


def programme_by_day(conference: Conference) -> list[tuple[date, list[Panel]]]:
    """Panels grouped by their day in the conference's time zone."""
    days: dict[date, list[Panel]] = defaultdict(list)
    for panel in conference.panels:
        days[conference.local(panel.starts_at).date()].append(panel)
    return sorted(days.items())
