"""Publishing from web requests without making the response wait for the broker.

A request hands its tasks to one background thread per process, which publishes what
arrives within MAIL_PUBLISH_LINGER_MS in one broker round: single sends from many requests
fold into batch tasks, so a busy form costs the broker one message per batch instead of one
per registration. If the process dies before publishing, the outbox rows stay QUEUED and the
sweeper publishes them: mail is delayed, never lost.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Flask

log = logging.getLogger(__name__)

Task = tuple[str, tuple[Any, ...]]
Publish = Callable[[list[Task]], object]


class BackgroundPublisher:
    """A per-process thread that publishes tasks handed to it, batching by time."""

    def __init__(self, publish: Publish) -> None:
        self._publish = publish
        self._pid: int | None = None
        self._start_lock = threading.Lock()
        self._queue: queue.SimpleQueue[tuple[Flask, list[Task]]] = queue.SimpleQueue()
        self._outstanding = 0
        self._idle = threading.Condition()

    def submit(self, app: Flask, tasks: list[Task]) -> None:
        self._ensure_thread()
        with self._idle:
            self._outstanding += 1
        self._queue.put((app, tasks))

    def drain(self, timeout: float = 5.0) -> bool:
        """Wait until everything submitted has been published; False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._outstanding == 0, timeout)

    def _ensure_thread(self) -> None:
        """Start the thread in this process (a forked gunicorn worker has none)."""
        pid = os.getpid()
        if self._pid == pid:
            return
        with self._start_lock:
            if self._pid == pid:
                return
            self._queue = queue.SimpleQueue()
            with self._idle:
                self._outstanding = 0
            thread = threading.Thread(
                target=self._run, args=(self._queue,), name="outbox-publisher", daemon=True
            )
            thread.start()
            self._pid = pid

    def _run(self, tasks: queue.SimpleQueue[tuple[Flask, list[Task]]]) -> None:
        while True:
            app, first = tasks.get()
            pending: dict[Flask, list[Task]] = {app: list(first)}
            handed = 1
            deadline = time.monotonic() + app.config["MAIL_PUBLISH_LINGER_MS"] / 1000
            while (remaining := deadline - time.monotonic()) > 0:
                try:
                    other, more = tasks.get(timeout=remaining)
                except queue.Empty:
                    break
                pending.setdefault(other, []).extend(more)
                handed += 1
            for target, collected in pending.items():
                self._publish_in(target, collected)
            with self._idle:
                self._outstanding -= handed
                self._idle.notify_all()

    def _publish_in(self, app: Flask, tasks: list[Task]) -> None:
        try:
            with app.app_context():
                self._publish(tasks)
        except Exception:  # the thread must outlive any one failure; the sweeper catches up
            log.exception("publishing %d task(s) failed; the outbox sweeper will retry", len(tasks))


def drain_at_exit(publisher: BackgroundPublisher) -> None:
    """Publish what is still pending when the process exits normally."""
    atexit.register(publisher.drain, 2.0)
