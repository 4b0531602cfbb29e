"""gunicorn settings; gunicorn reads this file from its working directory (the project root,
and /app in the image), so every way of serving the app here uses it."""

from __future__ import annotations

import gc
import os
import tempfile
from pathlib import Path
from typing import Any

# prometheus-client's multiprocess mode: each worker writes its samples into this folder and
# a scrape adds them up (registration/operations/metrics.py). Set before any worker imports
# prometheus_client; an operator's own folder is kept, emptied at start.
METRICS_FOLDER = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="cica-metrics-")
)

# The access log (off unless --access-logfile is given) carries each request's id.
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms [request %({x-request-id}o)s]'
)

SEVERAL_WORKERS_NEED_REDIS = (
    "gunicorn would start {workers} worker processes without REDIS_URL. Each would keep its "
    "own sign-in and sign-up rate-limit counters, letting through {workers} times the limit. "
    "Set REDIS_URL (the limits and the Celery broker share it), or serve with one process "
    "and threads: --workers 1 --threads 8."
)


def on_starting(server: Any) -> None:
    """Refuse several workers without a shared rate-limit store; start metrics afresh."""
    workers = server.cfg.workers
    if workers > 1 and not os.environ.get("REDIS_URL"):
        raise SystemExit(SEVERAL_WORKERS_NEED_REDIS.format(workers=workers))
    folder = Path(METRICS_FOLDER)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):  # samples of processes of an earlier start
        stale.unlink()


def post_worker_init(worker: Any) -> None:
    """Exempt what the worker loaded at start-up from garbage collection: without this, each
    full collection walks every module, template and cache again (about 70 ms seen in
    bench/feeds.py, every few cold feed renders)."""
    gc.freeze()


def child_exit(server: Any, worker: Any) -> None:
    """A stopped worker's live gauges leave the metrics (its counters stay counted)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
