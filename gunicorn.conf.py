"""gunicorn settings; gunicorn reads this file from its working directory (the project root,
and /app in the image), so every way of serving the app here uses it."""

from __future__ import annotations

import gc
from typing import Any


def post_worker_init(worker: Any) -> None:
    """Exempt what the worker loaded at start-up from garbage collection: without this, each
    full collection walks every module, template and cache again (about 70 ms seen in
    bench/feeds.py, every few cold feed renders)."""
    gc.freeze()
