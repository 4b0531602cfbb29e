"""A Celery worker as a separate process (`celery -A workers.app worker -B`), to kill with
SIGKILL, and a private Redis server to stop and restart."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from registration.mail.catcher import free_port
from tests.mail_support import wait_for
from tests.services import missing

ROOT = Path(__file__).resolve().parent.parent


class RedisServer:
    """A private redis-server without persistence, so a restart loses everything queued."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        wait_for(lambda: _pings(redis.Redis(port=self.port)), timeout=10, what="redis-server")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _pings(client) -> bool:
    try:
        return bool(client.ping())
    except Exception:
        return False
    finally:
        client.close()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[RedisServer]:
    if not shutil.which("redis-server"):
        missing("needs redis-server (Debian package redis-server)")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def _worker_env(app: Flask, smtp_port: int, tmp_path: Path, **extra: str) -> dict[str, str]:
    database = app.config["SQLALCHEMY_DATABASE_URI"]
    return {
        **os.environ,
        "DATABASE_URL": database,
        "SECRET_KEY": "test-secret",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_port),
        "MAIL_RATE_PER_MINUTE": "0",
        "MAIL_RETRY_BASE_SECONDS": "1",
        "MAIL_SWEEP_SECONDS": "1",
        "MAIL_SWEEP_AFTER_SECONDS": "3",
        "MAIL_INFLIGHT_TIMEOUT_SECONDS": "4",
        "CELERY_BEAT_SCHEDULE": str(tmp_path / "beat-schedule"),
        "REDIS_KEY_PREFIX": "",
        "REDIS_URL": "",
        **extra,
    }


def _start_worker(env: dict[str, str], log: Path, concurrency: int = 2) -> subprocess.Popen:
    loglevel = os.environ.get("TEST_WORKER_LOGLEVEL", "WARNING")
    command = [sys.executable, "-m", "celery", "-A", "workers.app", "worker", "-B",
               "--concurrency", str(concurrency), "--loglevel", loglevel]  # fmt: skip
    with log.open("ab") as output:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=output, start_new_session=True
        )


def _stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def mailbox_port(app: Flask) -> int:
    return int(app.config["MAIL_PORT"])
