"""Bulk mail end to end: outbox -> Celery worker(s) -> SMTP (aiosmtpd), against a plain loop.

    python bench/bulk_mail.py [--count 10000] [--database-url postgresql://...]

Starts a private redis-server (never the machine's own) and an in-process aiosmtpd that only
counts; writes the outbox rows, publishes one task per row, and times until every row is SENT,
with 1 and then 2 worker processes (`celery worker --concurrency N`). The baseline sends the
same stored bytes with one smtplib connection in a loop. Worker RSS is sampled from /proc.
Prints a Markdown table for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
import smtplib
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiosmtpd.smtp import SMTP, Envelope, Session  # noqa: E402
from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from registration import create_app  # noqa: E402
from registration.database import db  # noqa: E402
from registration.mail import services  # noqa: E402
from registration.mail.catcher import free_port, start  # noqa: E402
from registration.mail.compose import Mail, compose  # noqa: E402
from registration.mail.models import MailStatus, OutgoingMail  # noqa: E402


class Counting:
    """An SMTP handler that only counts what it accepts (no storage, flat memory)."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        with self.lock:
            self.count += 1
        return "250 OK"


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == pgid:
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


class Sampler(threading.Thread):
    """RSS of every process in the worker's process group, every half second."""

    def __init__(self, pgid: int) -> None:
        super().__init__(daemon=True)
        self.pgid = pgid
        self.samples: list[tuple[float, dict[int, int]]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.5):
            self.samples.append((time.monotonic(), {p: rss_kib(p) for p in group_pids(self.pgid)}))

    def growth_mib(self) -> tuple[float, float]:
        """(largest growth of one process from its first to its last sample, peak total)."""
        first: dict[int, int] = {}
        last: dict[int, int] = {}
        for _, sample in self.samples:
            for pid, kib in sample.items():
                if kib:
                    first.setdefault(pid, kib)
                    last[pid] = kib
        growth = max((last[p] - first[p] for p in last), default=0)
        peak = max((sum(s.values()) for _, s in self.samples), default=0)
        return growth / 1024, peak / 1024


def make_database(url: str | None) -> tuple[str, Any]:
    """A fresh database: a new PostgreSQL database on the given server, else a SQLite file."""
    if url and url.startswith("postgres"):
        server = make_url(url).set(drivername="postgresql+psycopg")
        name = f"bench_mail_{uuid.uuid4().hex[:8]}"
        admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))

        def drop() -> None:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

        return server.set(database=name).render_as_string(hide_password=False), drop
    folder = tempfile.mkdtemp(prefix="bench-mail-")
    return f"sqlite:///{folder}/bench.db", lambda: shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--timeout", type=float, default=600, help="per run, seconds")
    arguments = parser.parse_args()
    redis_binary = shutil.which("redis-server")
    if not redis_binary:
        sys.exit("needs redis-server")

    work = Path(tempfile.mkdtemp(prefix="bench-mail-work-"))
    redis_port = free_port()
    redis = subprocess.Popen(
        [redis_binary, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(work)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    handler = Counting()
    controller = start(handler)
    database_url, drop_database = make_database(arguments.database_url)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "REDIS_KEY_PREFIX": "",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(controller.port),
        "MAIL_RATE_PER_MINUTE": "0",
        "SECRET_KEY": "bench",
        "CELERY_BEAT_SCHEDULE": str(work / "beat"),
    }
    os.environ.update({k: v for k, v in env.items() if k != "PATH"})
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    results: list[tuple[str, float, float, str]] = []
    try:
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            messages = []
            for number in range(arguments.count):
                mail = Mail(
                    to=f"person{number}@example.org",
                    subject=f"Invitation to the Ninth Meeting of the CICA TTF #{number}",
                    text="Dear colleague,\n\nYou are invited.\n" * 20,
                    html="<p>Dear colleague,</p><p>You are invited.</p>" * 20,
                )
                message = compose(mail)
                messages.append(
                    (
                        mail.to,
                        str(message["Message-ID"]),
                        message.as_bytes(policy=message.policy.clone(linesep="\r\n")),
                    )
                )
            compose_seconds = time.perf_counter() - started
        print(f"composed {arguments.count} messages in {compose_seconds:.1f}s", flush=True)

        baseline = plain_loop(messages, controller.port, handler)
        results.append(("plain smtplib loop, 1 connection", baseline, 0.0, "-"))
        for processes in (1, 2):
            seconds, growth, peak = worker_run(
                app, messages, processes, env, handler, arguments.timeout, work
            )
            results.append(
                (f"Celery, {processes} worker process(es)", seconds, growth, f"{peak:.0f}")
            )
    finally:
        controller.stop()
        redis.terminate()
        redis.wait()
        with app.app_context():
            db.engine.dispose()
        drop_database()
        shutil.rmtree(work, ignore_errors=True)

    count = arguments.count
    backend = make_url(database_url).get_backend_name()
    print()
    print(f"{count} messages, {platform.node()}, {os.cpu_count()} CPUs, ", end="")
    print(f"Python {platform.python_version()}, database {backend}, load {os.getloadavg()}")
    print()
    print("| Method | Seconds | Messages/s | vs plain loop | RSS growth (MiB) | Peak RSS (MiB) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, seconds, growth, peak in results:
        rate, ratio = count / seconds, baseline / seconds
        print(f"| {name} | {seconds:.1f} | {rate:.0f} | {ratio:.2f} | {growth:.1f} | {peak} |")


def plain_loop(messages: list[tuple[str, str, bytes]], port: int, handler: Counting) -> float:
    before = handler.count
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for recipient, _, data in messages:
            smtp.sendmail("secretariat@cica.example", [recipient], data)
    seconds = time.perf_counter() - started
    assert handler.count - before == len(messages)
    print(f"plain loop: {seconds:.1f}s", flush=True)
    return seconds


def worker_run(
    app: Any,
    messages: list[tuple[str, str, bytes]],
    processes: int,
    env: dict[str, str],
    handler: Counting,
    timeout: float,
    work: Path,
) -> tuple[float, float, float]:
    """Outbox rows in, publish, time until all SENT; returns (seconds, RSS growth, peak)."""
    with app.app_context():
        db.session.execute(text("DELETE FROM outgoing_mail"))
        rows = [
            {"idempotency_key": f"bench:{processes}:{i}", "batch": "bench", "recipient": to,
             "subject": "Invitation", "message_id": message_id, "message": data,
             "status": MailStatus.QUEUED, "attempts": 0, "last_error": ""}
            for i, (to, message_id, data) in enumerate(messages)
        ]  # fmt: skip
        for start_at in range(0, len(rows), 1000):
            db.session.execute(insert(OutgoingMail), rows[start_at : start_at + 1000])
        db.session.commit()
        ids = list(db.session.scalars(select(OutgoingMail.id)))
    log = (work / f"worker-{processes}.log").open("ab")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "workers.app", "worker",
         "--concurrency", str(processes), "--loglevel", "WARNING", "--without-heartbeat",
         "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True,
    )  # fmt: skip
    sampler = Sampler(worker.pid)
    try:
        with app.app_context():  # warm-up: one message, so the timing measures sending
            services.publish([(services.SEND_TASK, (ids[0],))])
            while db.session.get(OutgoingMail, ids[0]).status != MailStatus.SENT:
                db.session.rollback()
                time.sleep(0.1)
            db.session.rollback()
        ids = ids[1:]
        sampler.start()
        before = handler.count
        started = time.perf_counter()
        with app.app_context():
            services.publish([(services.SEND_TASK, (i,)) for i in ids])
            deadline = time.monotonic() + timeout
            while True:
                sent = db.session.scalar(
                    select(func.count()).where(OutgoingMail.status == MailStatus.SENT)
                )
                db.session.rollback()
                if sent == len(ids) + 1 or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
        seconds = time.perf_counter() - started
        if sent != len(ids) + 1:
            raise SystemExit(f"timed out: {sent} of {len(ids) + 1} sent")
        delivered = handler.count - before
        print(f"{processes} worker(s): {seconds:.1f}s, {delivered} delivered", flush=True)
    finally:
        sampler.stop.set()
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
        log.close()
    growth, peak = sampler.growth_mib()
    return seconds, growth, peak


if __name__ == "__main__":
    main()
