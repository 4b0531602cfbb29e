"""gunicorn finds the settings file and its hook keeps start-up objects out of the collector."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from gunicorn.app.base import Application

SETTINGS = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


class _Settings(Application):
    """gunicorn's own loading of a settings file, without starting a server."""

    def init(self, parser: object, opts: object, args: object) -> None:
        return None

    def load(self) -> None:
        return None


def test_gunicorn_reads_the_settings_and_the_hook_freezes_start_up_objects(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The settings give gunicorn's workers a metrics folder; keep this process's own.
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    app = _Settings.__new__(_Settings)
    app.usage, app.prog, app.callable = None, None, None
    app.load_default_config()
    app.load_config_from_file(str(SETTINGS))
    before = gc.get_freeze_count()
    try:
        app.cfg.post_worker_init(None)
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
