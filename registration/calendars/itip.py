"""iTIP (RFC 5546) calendars for iMIP mail (RFC 6047), on top of the shared VEVENT builder.

REQUEST invites one attendee (RSVP=TRUE, PARTSTAT=NEEDS-ACTION) or updates the event (same
UID, higher SEQUENCE); CANCEL removes it (STATUS:CANCELLED). No X-WR-CALNAME: Outlook would
open the file as a new calendar. Every TZID gets its VTIMEZONE from `build_calendar`.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import parseaddr

from icalendar import vCalAddress

from registration.calendars.ical import build_calendar, join_link, panel_event
from registration.conferences.models import Panel

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def itip_calendar(
    panel: Panel,
    *,
    method: str,
    attendee_email: str,
    attendee_name: str,
    online: bool,
    organizer: str,
    base_url: str,
    stamp: datetime,
    sequence: int | None = None,
    join_url: str = "",
    language: str | None = None,
) -> bytes:
    """The VCALENDAR bytes of a REQUEST or CANCEL for one attendee of one panel.

    `organizer` is a mail address header ("Name <address>"); `online` attendees get the join
    link (`join_url` if given, else the panel's) in LOCATION, DESCRIPTION and as an RFC 7986
    CONFERENCE property. `sequence` replaces the panel's SEQUENCE; `language` is the
    attendee's (SUMMARY, DESCRIPTION and LOCATION in it, with the LANGUAGE parameter).
    """
    if method not in (REQUEST, CANCEL):
        raise ValueError(f"unsupported iTIP method {method!r}")
    event = panel_event(
        panel,
        base_url=base_url,
        stamp=stamp,
        include_join_link=online,
        join_url=join_url,
        language=language,
    )
    if sequence is not None:
        event.pop("SEQUENCE", None)
        event.add("SEQUENCE", sequence)
    link = join_url or join_link(panel)
    if online and link:
        event["LOCATION"] = link  # a link: no LANGUAGE
    organizer_name, organizer_address = parseaddr(organizer)
    event.add("ORGANIZER", vCalAddress.new(organizer_address, cn=organizer_name or None))
    event.add("ATTENDEE", attendee_address(attendee_email, attendee_name))
    if method == CANCEL:
        event.pop("STATUS", None)
        event.add("STATUS", "CANCELLED")
    return build_calendar([event], method=method).to_ical()


def attendee_address(email: str, name: str) -> vCalAddress:
    """The invited attendee: a required participant whose answer is awaited."""
    return vCalAddress.new(
        email, cn=name or None, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp=True
    )
