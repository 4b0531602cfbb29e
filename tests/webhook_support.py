"""A real HTTP receiver for the webhook tests (a server in a thread), and subscriptions."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from flask import Flask

from registration.accounts.models import User
from registration.database import db
from registration.webhooks import subscriptions


@dataclass(frozen=True)
class Received:
    headers: dict[str, str]
    body: bytes
    at: float


class Receiver:
    """Records every POST; answers the codes in `answers` one by one, then `otherwise`.
    While `hold` is set, a request waits (up to a minute) before it is answered."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.answers: list[int] = []
        self.otherwise = 200
        self.hold = threading.Event()
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                with receiver.lock:
                    receiver.received.append(
                        Received({k.lower(): v for k, v in self.headers.items()}, body, time.time())
                    )
                    code = receiver.answers.pop(0) if receiver.answers else receiver.otherwise
                deadline = time.monotonic() + 60
                while receiver.hold.is_set() and time.monotonic() < deadline:
                    time.sleep(0.05)
                self.send_response(code)
                self.send_header("content-type", "text/plain")
                self.end_headers()
                self.wfile.write(f"answered {code}".encode())

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hooks"

    @property
    def count(self) -> int:
        with self.lock:
            return len(self.received)

    def ids(self) -> list[str]:
        with self.lock:
            return [r.headers["webhook-id"] for r in self.received]


@pytest.fixture
def receiver(app: Flask) -> Iterator[Receiver]:
    """A receiver on 127.0.0.1, allowed as a target for this test; fast retries."""
    server = Receiver()
    server.thread.start()
    keys = ("WEBHOOK_ALLOWED_HOSTS", "WEBHOOK_RETRY_BASE_SECONDS", "WEBHOOK_TIMEOUT_SECONDS")
    saved = {key: app.config[key] for key in keys}
    app.config.update(
        WEBHOOK_ALLOWED_HOSTS=["127.0.0.1"], WEBHOOK_RETRY_BASE_SECONDS=1, WEBHOOK_TIMEOUT_SECONDS=5
    )
    yield server
    app.config.update(saved)
    server.hold.clear()
    server.server.shutdown()
    server.server.server_close()


def subscribe(
    app: Flask, owner_id: int, url: str, events: list[str], conference_id: int | None = None
) -> tuple[int, str]:
    """A subscription of the owner; its id and secret."""
    with app.app_context():
        owner = db.session.get(User, owner_id)
        assert owner is not None
        made = subscriptions.create(owner, url=url, events=events, conference_id=conference_id)
        return made.id, made.secret
