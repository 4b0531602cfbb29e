"""`./run` is stopped as a process manager stops it, with SIGTERM (not Ctrl+C): the web
server, the Celery worker and the mail catcher stop with it."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _descendants(pid: int) -> set[int]:
    """Every process below `pid`, from /proc."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split() if (task / "children").exists() else []
        for child in map(int, children):
            found |= {child, *_descendants(child)}
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (127.0.0.1)
            return response.status == 200
    except OSError:
        return False


def test_sigterm_stops_the_web_server_and_the_background_services(tmp_path: Path) -> None:
    port, mail_port = _free_port(), _free_port()
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "FLASK_DEBUG"}
    }
    environment.update(
        PORT=str(port),
        HOST="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'run.db'}",
        BROKER_FOLDER=str(tmp_path / "broker"),
        MAILBOX_FOLDER=str(tmp_path / "mailbox"),
        CELERY_BEAT_SCHEDULE=str(tmp_path / "celerybeat-schedule"),
        MAIL_PORT=str(mail_port),
    )
    script = subprocess.Popen(
        [str(ROOT / "run")],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # as from a terminal: a process group of its own
    )
    try:
        deadline = time.monotonic() + 240
        while not _answers(f"http://127.0.0.1:{port}/healthz"):
            assert script.poll() is None, "./run exited before serving"
            assert time.monotonic() < deadline, "./run did not serve within 4 minutes"
            time.sleep(0.5)
        time.sleep(2)  # the worker and the catcher are up too
        started = _descendants(script.pid)
        assert len(started) >= 4, "web server, dev-services, mail catcher, Celery worker"
        script.send_signal(signal.SIGTERM)
        assert script.wait(timeout=60) == 143
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in started) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [pid for pid in started if _alive(pid)] == []
        assert not _answers(f"http://127.0.0.1:{port}/healthz")
    finally:
        ignored = script.poll() is None
        with contextlib.suppress(ProcessLookupError):  # the group started above, if left
            os.killpg(script.pid, signal.SIGKILL)
        script.wait(timeout=30)
        if ignored:
            pytest.fail("./run ignored SIGTERM")
