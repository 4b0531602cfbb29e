"""A local mail catcher: an aiosmtpd server storing every message as an .eml file.

`python -m registration.mail.catcher --port 8025 --folder instance/mailbox` runs it alone; the
tests and the benchmark start it in-process. `refuse_for(seconds)` makes it answer
451 4.3.0 for a while, to exercise the workers' retries.
"""

from __future__ import annotations

import argparse
import socket
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (aiosmtpd's Controller cannot bind port 0 itself)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class MailboxHandler:
    """Stores messages in a folder (or only counts them when `folder` is None)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        self.lock = threading.Lock()
        self.messages: list[bytes] = []
        self.keep_in_memory = folder is None
        self.count = 0
        self.refused = 0
        self._refuse_until = 0.0

    def refuse_for(self, seconds: float) -> None:
        self._refuse_until = time.monotonic() + seconds

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        if time.monotonic() < self._refuse_until:
            with self.lock:
                self.refused += 1
            return "451 4.3.0 Try again later"
        content = envelope.original_content or b""
        with self.lock:
            self.count += 1
            if self.keep_in_memory:
                self.messages.append(content)
        if self.folder is not None:
            name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}.eml"
            (self.folder / name).write_bytes(content)
        return "250 Message accepted for delivery"


def start(handler: Any, port: int | None = None, hostname: str = "127.0.0.1") -> Controller:
    controller = Controller(handler, hostname=hostname, port=port or free_port())
    controller.start()
    return controller


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--folder", type=Path, required=True)
    arguments = parser.parse_args()
    controller = start(MailboxHandler(arguments.folder), arguments.port, arguments.host)
    print(f"mail catcher on {arguments.host}:{arguments.port}, storing in {arguments.folder}")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
