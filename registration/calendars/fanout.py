"""The calendars capability's fan-out: every attendee of changed panels hears about it.

`calendars.panels_changed` jobs (written by the conference services with the change) are
expanded by a worker: for each panel, its attendees in chunks of CHUNK, a REQUEST with the
panel as it is now, or a CANCEL if it (or its conference) is cancelled by then. What each
attendee was last sent decides whether they need anything, so a retried or duplicated job,
or several jobs about the same panel, queue nothing twice.
"""

from __future__ import annotations

from flask_babel import gettext
from markupsafe import Markup

from registration.calendars import messages
from registration.calendars.ical import panel_is_cancelled
from registration.calendars.itip import CANCEL, REQUEST
from registration.calendars.reminders import REMINDERS
from registration.calendars.removal import PANEL_REMOVED, panel_from
from registration.conferences.models import Panel
from registration.database import db
from registration.jobs import services as jobs
from registration.jobs.models import Job
from registration.jobs.registry import handles, labels

CHUNK = 250


@handles("calendars.panels_changed")
def tell_attendees(job: Job) -> int:
    """Queue the update or cancellation of each panel of the job to each of its attendees."""
    job_id, panel_ids = job.id, list(job.subject.get("panel_ids", []))
    attendees = {}
    for panel_id in panel_ids:
        panel = db.session.get(Panel, panel_id)
        if panel is not None:
            attendees[panel_id] = messages.attendee_ids(panel)
    jobs.heartbeat(job_id, total=sum(len(ids) for ids in attendees.values()))
    db.session.commit()
    written = 0
    for panel_id, ids in attendees.items():
        for start in range(0, len(ids), CHUNK):
            panel = db.session.get(Panel, panel_id)
            if panel is None:
                break
            method = CANCEL if panel_is_cancelled(panel) else REQUEST
            written += messages.tell(panel, method, ids[start : start + CHUNK], job_id)
            jobs.heartbeat(job_id)
            db.session.commit()
    jobs.heartbeat(job_id, total=written)
    db.session.commit()
    return written


@labels(REMINDERS)
@labels(PANEL_REMOVED)
def label(job: Job) -> Markup:
    """A reminder or removal job's name in the page's language, with the session's title
    (and its lang); a removed session's from the copy the job keeps."""
    if job.kind == REMINDERS:
        what = gettext("Reminders before the session")
        panel_id = job.subject.get("panel_id")
        panel = db.session.get(Panel, panel_id) if panel_id else None
    else:
        what = gettext("Cancellation of a removed session")
        panel = panel_from(job.subject) if "panel" in job.subject else None
    if panel is None:
        return Markup("{}").format(what)
    return Markup("{}: {}").format(what, panel.shown("title"))
