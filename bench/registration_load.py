"""Load test of the public registration form, as browsers use it, against gunicorn + PostgreSQL.

Each virtual client loops: GET /conferences/<slug>/register (keeping the session cookie),
read the CSRF token from the page, POST the form with a fresh e-mail address and expect
the 302 to the confirmation page (not followed). Capacity and quotas are enforced, so most
registrations end on the waiting list, which is the same work per request. The same client
then drives `bench/floor_app.py` (the same form through Flask-WTF and one Core INSERT: the
least this stack can do per flow), and the ceiling: the same gunicorn (2 sync workers)
serving a bare Flask endpoint.

Usage (from the project root; everything on 127.0.0.1; runs a few minutes):
    .venv/bin/python bench/registration_load.py [--seconds 10] [--clients 1,10,50,200]
        [--worker-class sync|gthread] [--threads N] [--preload] [--warmup 3]
It creates and drops its own PostgreSQL database (DATABASE_URL's server, default
postgresql://postgres@127.0.0.1:5432/postgres) and prints a Markdown table. Each server
gets unmeasured warm-up load first (workers boot, compile templates and SQL). Besides
latency it reports CPU milliseconds per flow (per request for the bare endpoint) used by
the gunicorn workers, by the PostgreSQL backends connected to the bench database (not the
server's background writers) and by the load generator, read from /proc: on a shared
machine those move far less than the rates do.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
HOST = "127.0.0.1"
SLUG = "bench"
# The scratch database's name starts with this; its backends are found by it in `ps`.
DATABASE_NAME = f"bench_signup_{uuid.uuid4().hex[:8]}"
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
REDIS_PREFIX = f"{DATABASE_NAME}:"
TOKEN = re.compile(rb'name="csrf_token" type="hidden" value="([^"]+)"')
MEMBER = re.compile(rb'<option[^>]*? value="(\d+)"')
PANEL = re.compile(rb'name="panels" type="checkbox" value="(\d+)"')


# --- a minimal HTTP/1.1 client: one connection per request, as gunicorn's sync workers close


@dataclass
class Reply:
    status: int
    headers: dict[bytes, list[bytes]]
    body: bytes


async def request(
    port: int, method: str, path: str, cookies: dict[str, str], body: bytes = b""
) -> Reply:
    reader, writer = await asyncio.open_connection(HOST, port)
    head = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close"]
    if cookies:
        head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
    if body:
        head += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
    raw = await reader.read()
    writer.close()
    header_block, _, payload = raw.partition(b"\r\n\r\n")
    lines = header_block.split(b"\r\n")
    headers: dict[bytes, list[bytes]] = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    for cookie in headers.get(b"set-cookie", []):
        pair = cookie.split(b";", 1)[0].decode()
        name, _, value = pair.partition("=")
        cookies[name] = value
    return Reply(int(lines[0].split()[1]), headers, payload)


# --- load ------------------------------------------------------------------------------


@dataclass
class Result:
    done: int = 0
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)


async def registration_client(port: int, deadline: float, counter: Iterator[int]) -> Result:
    result = Result()
    cookies: dict[str, str] = {}
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        page = await request(port, "GET", f"/conferences/{SLUG}/register", cookies)
        token, member, panel = (
            TOKEN.search(page.body),
            MEMBER.search(page.body),
            PANEL.search(page.body),
        )
        if page.status != 200 or not (token and member and panel):
            result.errors.append(f"GET {page.status}")
            continue
        n = next(counter)
        form = {
            "csrf_token": token.group(1).decode(),
            "name": f"Bench Person {n}",
            "position": "Researcher",
            "institution": "Load Test Institute",
            "email": f"bench{n}-{uuid.uuid4().hex[:6]}@example.org",
            "member": member.group(1).decode() if n % 3 else str(int(member.group(1)) + n % 20),
            "mode": "in_person" if n % 2 else "online",
            "panels": panel.group(1).decode(),
            "role": "participant",
            "language": "en",
            "consent": "y",
        }
        sent = await request(
            port, "POST", f"/conferences/{SLUG}/register", cookies, urlencode(form).encode()
        )
        if sent.status != 302:
            result.errors.append(f"POST {sent.status}")
            continue
        result.latencies.append(time.perf_counter() - started)
        result.done += 1
    return result


async def bare_client(port: int, deadline: float) -> Result:
    result = Result()
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        reply = await request(port, "GET", "/", {})
        if reply.status != 200:
            result.errors.append(f"GET {reply.status}")
            continue
        result.latencies.append(time.perf_counter() - started)
        result.done += 1
    return result


@dataclass
class Figures:
    clients: int
    per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    server_cpu_ms: float = 0.0
    postgres_cpu_ms: float = 0.0
    client_cpu_ms: float = 0.0
    load: str = ""


TICKS = os.sysconf("SC_CLK_TCK")


def _proc_stat(pid: int) -> list[str]:
    raw = Path(f"/proc/{pid}/stat").read_text()
    return raw[raw.rindex(")") + 2 :].split()  # fields after "pid (comm)"


def cpu_seconds(kind: str, master: int) -> float:
    """CPU (user + system) used so far by gunicorn's workers or by the PostgreSQL backends
    serving the bench database (their command line names it)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = _proc_stat(int(entry.name))
            command = (entry / "cmdline").read_bytes() if kind == "postgres" else b""
        except (OSError, ValueError):
            continue
        ppid = int(fields[1])
        wanted = ppid == master if kind == "gunicorn" else DATABASE_NAME.encode() in command
        if wanted:
            total += int(fields[11]) + int(fields[12])
    return total / TICKS


async def run(kind: str, port: int, clients: int, seconds: float, master: int = 0) -> Figures:
    server0, postgres0 = cpu_seconds("gunicorn", master), cpu_seconds("postgres", master)
    client0 = time.process_time()
    deadline = time.perf_counter() + seconds
    counter = itertools.count()
    started = time.perf_counter()
    if kind == "form":
        jobs = [registration_client(port, deadline, counter) for _ in range(clients)]
    else:
        jobs = [bare_client(port, deadline) for _ in range(clients)]
    results = await asyncio.gather(*jobs)
    elapsed = time.perf_counter() - started
    latencies = sorted(x for r in results for x in r.latencies)
    done = sum(r.done for r in results)
    errors = sum(len(r.errors) for r in results)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0
    per = 1000 / max(done, 1)
    return Figures(
        clients,
        done / elapsed,
        statistics.median(latencies) * 1000 if latencies else 0,
        p99 * 1000,
        errors,
        (cpu_seconds("gunicorn", master) - server0) * per,
        (cpu_seconds("postgres", master) - postgres0) * per,
        (time.process_time() - client0) * per,
        " ".join(Path("/proc/loadavg").read_text().split()[:3]),
    )


# --- servers ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(app_spec: str, env: dict[str, str], options: list[str]) -> Iterator[tuple[int, int]]:
    port = free_port()
    process = subprocess.Popen(
        [GUNICORN, "-w", "2", "-b", f"{HOST}:{port}", "--backlog", "2048", *options, app_spec],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection((HOST, port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(0.5)
        yield port, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


@contextmanager
def bench_database() -> Iterator[str]:
    sys.path.insert(0, str(ROOT))
    from tests.scratch_database import scratch_database

    server = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    with scratch_database(server, DATABASE_NAME) as url:
        yield url


def drop_redis_keys() -> None:
    """Remove the queue and limiter keys this run left in the shared Redis."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for pattern in (f"{REDIS_PREFIX}*", f"*{DATABASE_NAME}*"):
        for key in client.scan_iter(match=pattern, count=1000):
            client.delete(key)


def prepare(database_url: str) -> None:
    """Schema, members and one published conference with capacity and quotas."""
    sys.path.insert(0, str(ROOT))
    from datetime import timedelta

    from flask_migrate import upgrade

    from registration import create_app
    from registration.conferences.models import (
        Conference,
        ConferenceFormat,
        ConferenceStatus,
        Panel,
    )
    from registration.database import db, utcnow
    from registration.directory.services import sync_members
    from registration.signup.services import save_settings

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        sync_members()
        start = utcnow() + timedelta(days=30)
        conference = Conference(
            slug=SLUG,
            title="Benchmark meeting",
            timezone="Asia/Almaty",
            starts_at=start,
            ends_at=start + timedelta(days=1),
            format=ConferenceFormat.HYBRID,
            status=ConferenceStatus.PUBLISHED,
            venue="Hall",
            city="Astana",
        )
        db.session.add(conference)
        for hour in range(3):
            db.session.add(
                Panel(
                    conference=conference,
                    title=f"Panel {hour + 1}",
                    starts_at=start + timedelta(hours=hour),
                    ends_at=start + timedelta(hours=hour + 1),
                )
            )
        db.session.commit()
        save_settings(
            conference,
            opens_at=utcnow() - timedelta(days=1),
            closes_at=start,
            approval_required=True,
            in_person_capacity=200,
            delegation_in_person_quota=20,
            delegation_total_quota=100000,
            panel_ids=[p.id for p in conference.panels],
        )
        db.engine.dispose()


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown",
    )
    load = Path("/proc/loadavg").read_text().split()[:3]
    return f"nproc {os.cpu_count()}, CPU {model}, load average at start {' '.join(load)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", default="1,10,50,200")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--preload", action="store_true", help="gunicorn --preload")
    parser.add_argument(
        "--warmup", type=float, default=3, help="seconds of unmeasured load after start-up"
    )
    args = parser.parse_args()
    levels = [int(c) for c in args.clients.split(",")]
    options = ["--worker-class", args.worker_class, "--threads", str(args.threads)]
    if args.preload:
        options.append("--preload")
    print(f"Machine: {machine()}")
    print(f"gunicorn -w 2 {' '.join(options)}")
    rows: list[tuple[str, Figures]] = []
    with bench_database() as database_url:
        prepare(database_url)
        env = {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench-secret",
            "SESSION_COOKIE_SECURE": "0",
            "SIGNUP_RATE_LIMIT": "1000000 per minute",
            # As in production: Celery publishes the confirmation mail's task to Redis (the
            # embedded filesystem broker lists its whole queue folder on every publish).
            "REDIS_URL": REDIS_URL,
            "REDIS_KEY_PREFIX": REDIS_PREFIX,
        }
        with gunicorn("registration:create_app()", env, options) as (port, master):
            asyncio.run(run("form", port, 4, args.warmup, master))
            for clients in levels:
                figures = asyncio.run(run("form", port, clients, args.seconds, master))
                rows.append(("registration flow", figures))
        with gunicorn("bench.floor_app:app", {"DATABASE_URL": database_url}, options) as (
            port,
            master,
        ):
            asyncio.run(run("form", port, 4, args.warmup, master))
            for clients in levels:
                figures = asyncio.run(run("form", port, clients, args.seconds, master))
                rows.append(("floor: same form, one INSERT", figures))
        with gunicorn("bench.bare_app:app", {}, options) as (port, master):
            asyncio.run(run("bare", port, 4, args.warmup, master))
            for clients in levels:
                figures = asyncio.run(run("bare", port, clients, args.seconds, master))
                rows.append(("bare Flask", figures))
    drop_redis_keys()
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"Load average at the end: {load}")
    print(
        "| What | Clients | per second | p50 ms | p99 ms | errors "
        "| CPU ms per flow: gunicorn workers | PostgreSQL backends | load generator | load avg |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for what, f in rows:
        print(
            f"| {what} | {f.clients} | {f.per_second:.0f} | {f.p50_ms:.1f} | {f.p99_ms:.1f} "
            f"| {f.errors} | {f.server_cpu_ms:.1f} | {f.postgres_cpu_ms:.1f} "
            f"| {f.client_cpu_ms:.1f} | {f.load} |"
        )


if __name__ == "__main__":
    main()
