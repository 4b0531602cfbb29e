"""Entry point for `celery -A workers.app worker` and `celery -A workers.app beat`."""

from __future__ import annotations

import gc
from typing import Any

from celery.signals import worker_process_init

from registration import create_app

flask_app = create_app()
celery_app = flask_app.extensions["celery"]


@worker_process_init.connect
def _freeze_start_up_objects(**kwargs: Any) -> None:
    """Exempt what a worker process loaded at start-up (the app, its modules, templates and
    catalogues) from garbage collection, as `gunicorn.conf.py` does for the web workers:
    without this each full collection walks all of it again, about a fifth of a fan-out's
    worker CPU (bench/fanout_profile.py, 2,000 attendees: 7 full collections of ~95 ms)."""
    gc.freeze()
