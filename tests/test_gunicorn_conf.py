"""The gunicorn settings file loads and keeps start-up objects out of the collector."""

from __future__ import annotations

import gc
import runpy
from pathlib import Path

from gunicorn.config import Config

SETTINGS = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def test_gunicorn_reads_the_settings_and_the_hook_freezes_start_up_objects() -> None:
    config = Config()
    hooks = runpy.run_path(str(SETTINGS))
    config.set("post_worker_init", hooks["post_worker_init"])
    before = gc.get_freeze_count()
    try:
        config.post_worker_init(None)
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
