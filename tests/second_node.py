"""A second web node: gunicorn in its own process, on the test run's database and Redis."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Node:
    port: int

    def get(self, path: str, cookie: str = "") -> tuple[int, str]:
        """Status and Location (no redirect followed) of a GET sent with this Cookie header."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = connection.getresponse()
            response.read()
            return response.status, response.getheader("Location") or ""
        finally:
            connection.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def second_node(database_uri: str, **settings: str) -> Iterator[Node]:
    """gunicorn serving the app with the test app's secret, database and Redis key prefix."""
    port = _free_port()
    environment = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    environment.update(
        DATABASE_URL=database_uri, SECRET_KEY="test-secret", SESSION_COOKIE_SECURE="0", **settings
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "registration:create_app()",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    node = Node(port)
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited: {server.stdout.read() if server.stdout else ''}"
                )
            try:
                if node.get("/healthz")[0] == 200:
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield node
    finally:
        server.terminate()
        server.wait(timeout=30)
