"""Invitations' fan-out jobs: mailing a list of invitees, reminding those who did not answer."""

from __future__ import annotations

from registration.invitations.services import INVITE, REMIND, compose_job
from registration.jobs.registry import handles

handles(INVITE)(compose_job)
handles(REMIND)(compose_job)
