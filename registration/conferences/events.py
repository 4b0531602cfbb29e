"""What the conference services announce inside the transaction of a change.

Capabilities above conferences (calendars) connect receivers; conferences imports none of
them. Receivers run in the sender's transaction and must not commit.
"""

from __future__ import annotations

from blinker import Namespace

from registration.conferences.models import Conference, ConferenceStatus
from registration.jobs.events import announce

_signals = Namespace()

# Sent with the panel (the sender) just before it is deleted.
panel_removing = _signals.signal("panel-removing")

STATUS_EVENTS = {ConferenceStatus.PUBLISHED: "published", ConferenceStatus.CANCELLED: "cancelled"}


def announce_change(
    conference: Conference, fields: frozenset[str], panel_id: int | None = None
) -> None:
    """Tell listeners above the capabilities (webhooks, through registration.jobs.events)
    that a conference was published, cancelled or changed (its fields, or one panel's).
    A draft's changes are its organisers' own: only its being taken back to draft is told."""
    if not fields:
        return
    status_changed = "status" in fields and panel_id is None
    if conference.status is ConferenceStatus.DRAFT and not status_changed:
        return
    kind = "changed"
    if status_changed:
        kind = STATUS_EVENTS.get(conference.status, "changed")
    summary = {"id": conference.id, "slug": conference.slug, "status": str(conference.status)}
    changed = {"panel": {"id": panel_id, "changed": sorted(fields)}} if panel_id else {}
    announce(
        f"conference.{kind}",
        conference_id=conference.id,
        conference=summary,
        changed=[] if panel_id else sorted(fields),
        **changed,
    )
