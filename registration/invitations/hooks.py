"""Invitations' fan-out jobs (mailing a list of invitees, reminding those who did not
answer) and what invitations hear from signup (an invited address registered)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from registration.conferences.models import Conference
from registration.database import db
from registration.i18n import ngettext
from registration.invitations.services import (
    INVITE,
    REMIND,
    compose_job,
    invitation_for_token,
    mark_accepted,
)
from registration.jobs.models import Job
from registration.jobs.registry import handles, labels
from registration.signup.events import registered
from registration.signup.invited import Invited, looks_up_invitations

handles(INVITE)(compose_job)
handles(REMIND)(compose_job)


@labels(INVITE)
@labels(REMIND)
def label(job: Job) -> Markup:
    """The job's name in the page's language, with the conference's title (and its lang)."""
    count = int(job.subject.get("count", job.total))
    if job.kind == INVITE:
        what = ngettext("%(num)s invitation", "%(num)s invitations", count)
    else:
        what = ngettext(
            "Reminders to %(num)s pending invitee", "Reminders to %(num)s pending invitees", count
        )
    conference = db.session.get(Conference, job.conference_id)
    if conference is None:
        return Markup("{}").format(what)
    return Markup("{}: {}").format(what, conference.shown("title"))


@looks_up_invitations
def invitee(conference_id: int, token: str) -> Invited | None:
    """Who this conference's personal link names (the sign-up form binds to it)."""
    invitation = invitation_for_token(token)
    if invitation is None or invitation.conference_id != conference_id:
        return None
    return Invited(
        email=invitation.email,
        name=invitation.name,
        member_id=invitation.member_id,
        role=invitation.role.value,
        panel_ids=[panel.id for panel in invitation.panels],
    )


@registered.connect
def accepted(conference_id: int, email: str = "", **_: Any) -> None:
    """Signup's announcement, in its transaction: the invitation is answered."""
    mark_accepted(conference_id, email)
