"""What attendance services refuse, as domain errors; the views choose the HTTP answer."""

from __future__ import annotations


class AttendanceError(Exception):
    """A request turned down, with the reason shown to the organiser or the participant;
    raised before anything is recorded, so callers roll nothing back."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MalformedError(AttendanceError):
    """The request is incomplete or a value has the wrong form."""


class NotFoundError(AttendanceError):
    """Something it names does not exist (in this conference)."""


class NotAdmittedError(AttendanceError):
    """The person may not come in: a forged badge, another conference, a withdrawn or
    declined registration."""


class PanelCancelledError(AttendanceError):
    """The panel or session is cancelled."""


class LinkExpiredError(AttendanceError):
    """The session is over: its join link no longer works."""
