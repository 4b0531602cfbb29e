"""Correspondence tasks: announce the dispatches that finished."""

from __future__ import annotations

from celery import shared_task

from registration.correspondence import dispatch_finish


@shared_task(name="workers.correspondence.finish_dispatches", ignore_result=True)
def finish_dispatches() -> int:
    """Beat: dispatches whose every message is sent or refused are announced, once each."""
    return dispatch_finish.finish_dispatches()
