"""Calendar feed benchmark: a 1,000-panel conference and a 50-meeting series.

1. In-process (Flask test client): time and SQL queries per feed request when the process has
   never rendered the feed (cold: `services.clear_caches()` first), right after a change of
   venue (every event of that conference changes), right after one panel changed,
   unchanged, and a 304.
2. Over HTTP: gunicorn with 2 workers on 127.0.0.1, wrk (else a Python client) asking for the
   conference feed with a matching If-None-Match (every answer a 304), against a bare endpoint
   of the same app that returns "ok".

    /work/main/.venv/bin/python -m bench.feeds [--seconds 10]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \
        /work/main/.venv/bin/python -m bench.feeds

With a PostgreSQL URL a throwaway database is created next to the given one and dropped after.
Prints a Markdown section for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from registration import create_app
from registration.calendars import services, versions
from registration.conferences.models import Conference, Panel
from registration.database import db, utcnow
from tests.calendar_data import big_conference, big_series
from tests.scratch_database import scratch_database

ROOT = Path(__file__).resolve().parent.parent
CONFERENCE = "/conferences/big-forum/calendar.ics"
SERIES = "/series/ttf/calendar.ics"
BARE = "/bench/bare"


def bench_app() -> Flask:
    """The real app (configured from the environment) plus a bare endpoint to compare with.

    BENCH_NO_PRE_PING=1 turns off the pool's pre-ping (a `SELECT 1` round trip at every
    connection checkout) to show what it costs a 304."""
    overrides: dict[str, object] = {"RATELIMIT_ENABLED": False}
    if os.environ.get("BENCH_NO_PRE_PING") == "1":
        overrides["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": False}
    app = create_app(overrides)
    app.add_url_rule(BARE, "bench_bare", lambda: "ok")
    return app


@contextmanager
def database(url: str) -> Iterator[str]:
    """A throwaway database: next to a PostgreSQL URL, else a temporary SQLite file."""
    if not url.startswith("postgresql"):
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'bench.db'}"
        return
    with scratch_database(url, "bench_feeds") as database_url:
        yield database_url


TRANSLATE = (
    # Russian and Kazakh titles, rooms, venues and cities, as organisers type them (PostgreSQL).
    "UPDATE panels SET translations = jsonb_build_object("
    "'ru', jsonb_build_object('title', 'Сессия ' || id, 'room', 'Зал ' || id),"
    "'kk', jsonb_build_object('title', 'Сессия ' || id))",
    "UPDATE conferences SET translations = jsonb_build_object("
    "'ru', jsonb_build_object('title', 'Форум ' || id, 'venue', 'Центр', 'city', 'Астана'),"
    "'kk', jsonb_build_object('title', 'Форум ' || id, 'city', 'Астана'))",
)


def seed(app: Flask, translated: bool = False) -> None:
    with app.app_context():
        upgrade()
        big_conference(1000)
        big_series(50, panels_each=20)
        if translated:
            for statement in TRANSLATE:
                db.session.execute(text(statement))
            db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("ANALYZE"))


class Measure:
    """Milliseconds and SQL statements of one request."""

    def __init__(self, app: Flask) -> None:
        with app.app_context():
            engines = (db.engine, versions.version_engine())
        self.statements = 0
        for engine in engines:
            event.listen(engine, "before_cursor_execute", self._count)
        versions.version_read.connect(self._count)  # version reads through the driver

    def _count(self, *_args: object) -> None:
        self.statements += 1

    clock = staticmethod(time.perf_counter)  # time.process_time: this process's CPU only

    def __call__(self, request: Callable[[], object]) -> tuple[float, int]:
        before = self.statements
        started = self.clock()
        request()
        return (self.clock() - started) * 1000, self.statements - before


def touch_one_panel(app: Flask, slug: str, title: str) -> None:
    """What an organiser's edit does: a panel and its conference get a new updated_at."""
    with app.app_context():
        panel = db.session.scalars(
            db.select(Panel).join(Conference).where(Conference.slug == slug).order_by(Panel.id)
        ).first()
        assert panel is not None
        panel.title = title
        panel.conference.updated_at = utcnow()
        db.session.commit()


def move_conference(app: Flask, slug: str, venue: str) -> None:
    """What an organiser's change of venue does (`conferences.services.update_conference`):
    the conference's and every panel's SEQUENCE go up, and all get a new updated_at, so every
    event of the conference changes."""
    with app.app_context():
        now = utcnow()
        conference = db.session.scalars(db.select(Conference).where(Conference.slug == slug)).one()
        conference.venue = venue
        conference.sequence += 1
        conference.updated_at = now
        db.session.execute(
            db.update(Panel)
            .where(Panel.conference_id == conference.id)
            .values(sequence=Panel.sequence + 1, updated_at=now)
        )
        db.session.commit()


def in_process(app: Flask, url: str, slug: str, runs: int) -> dict[str, tuple[float, int]]:
    """Median ms and queries per request for each situation."""
    client: FlaskClient = app.test_client()
    measure = Measure(app)

    def get(headers: dict[str, str] | None = None) -> Callable[[], object]:
        def request() -> object:
            response = client.get(url, headers=headers or {})
            assert response.status_code in {200, 304}, response.status
            return response

        return request

    def median(samples: list[tuple[float, int]]) -> tuple[float, int]:
        return statistics.median(s[0] for s in samples), max(s[1] for s in samples)

    results: dict[str, tuple[float, int]] = {}
    cold = []
    for _ in range(runs):
        services.clear_caches()
        cold.append(measure(get()))
    results["cold process (nothing cached)"] = median(cold)
    moved = []
    for n in range(runs):
        move_conference(app, slug, f"Venue {n} {uuid.uuid4().hex[:4]}")
        moved.append(measure(get()))
    results[f"after {slug}'s venue changed (each of its events)"] = median(moved)
    changed = []
    for n in range(runs):
        touch_one_panel(app, slug, f"Edited title {n} {uuid.uuid4().hex[:4]}")
        changed.append(measure(get()))
    results["after one panel changed"] = median(changed)
    results["unchanged, 200"] = median([measure(get()) for _ in range(runs * 5)])
    etag = client.get(url).headers["ETag"]
    results["unchanged, 304"] = median(
        [measure(get({"If-None-Match": etag})) for _ in range(runs * 5)]
    )
    return results


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(database_url: str) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench",
        "BASE_URL": f"http://127.0.0.1:{port}",
    }
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            "bench.feeds:bench_app()",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + BARE, timeout=1).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)


def wrk(url: str, seconds: int, headers: dict[str, str]) -> tuple[float, str]:
    """Requests per second and latency (wrk, else a threaded Python client)."""
    if shutil.which("wrk"):
        command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency"]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
        p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)  # type: ignore[union-attr]
        p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)  # type: ignore[union-attr]
        return rate, f"p50 {p50}, p99 {p99} (wrk, 2 threads, 16 connections)"
    return python_client(url, seconds, headers)


def status(url: str, headers: dict[str, str]) -> int:
    """The HTTP status of a GET (urllib raises for a 304)."""
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def python_client(url: str, seconds: int, headers: dict[str, str]) -> tuple[float, str]:
    deadline = time.monotonic() + seconds
    counts = [0] * 8

    def worker(index: int) -> None:
        while time.monotonic() < deadline:
            status(url, headers)
            counts[index] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(counts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / seconds, "(Python client, 8 threads)"


def over_http(database_url: str, seconds: int, rounds: int) -> list[tuple[str, float, str]]:
    """Bare endpoint and 304s in turn, `rounds` times (the machine is shared: load varies)."""
    with gunicorn(database_url) as base:
        with urllib.request.urlopen(base + CONFERENCE, timeout=60) as first:  # noqa: S310
            headers = {"If-None-Match": first.headers["ETag"]}
        # Concurrent requests, so that both workers render and cache the feed before timing.
        with ThreadPoolExecutor(8) as pool:
            answers = set(pool.map(lambda _: status(base + CONFERENCE, headers), range(40)))
        if answers != {304}:
            raise RuntimeError(f"expected only 304s for an unchanged feed, got {answers}")
        results = []
        for n in range(1, rounds + 1):
            load = f"round {n}, load {os.getloadavg()[0]:.1f}"
            results.append((f"{load}: bare endpoint (200 'ok')", *wrk(base + BARE, seconds, {})))
            feed = wrk(base + CONFERENCE, seconds, headers)
            results.append((f"{load}: 1,000-panel feed, If-None-Match (304)", *feed))
        return results


def machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    load = os.getloadavg()
    return (
        f"{os.cpu_count()} CPUs (nproc), {model}, Python {platform.python_version()}, "
        f"load average at start {load[0]:.2f} (other sessions share the machine)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="per wrk run")
    parser.add_argument("--runs", type=int, default=7, help="samples per in-process case")
    parser.add_argument("--rounds", type=int, default=2, help="bare/304 HTTP rounds")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--query", default="", help="appended to the feeds' paths: ?lang=kk")
    parser.add_argument("--in-process-only", action="store_true", help="no gunicorn part")
    parser.add_argument("--translated", action="store_true", help="ru and kk texts (PostgreSQL)")
    parser.add_argument(
        "--cpu", action="store_true", help="CPU ms of this process, not wall ms (busy machines)"
    )
    args = parser.parse_args()
    if args.cpu:
        Measure.clock = staticmethod(time.process_time)
    print(f"Machine: {machine()}")
    with database(args.database_url) as url:
        os.environ["DATABASE_URL"] = url
        app = bench_app()
        seed(app, args.translated)
        kind = make_url(url).get_backend_name()
        print(f"\nDatabase: {kind}\n")
        print("| Feed | Situation | ms per request (median) | SQL queries |")
        print("|---|---|---|---|")
        feeds = (
            ("1,000-panel conference", CONFERENCE + args.query, "big-forum"),
            ("50-meeting series (1,000 panels)", SERIES + args.query, "ttf-1"),
        )
        for label, path, slug in feeds:
            for situation, (ms, queries) in in_process(app, path, slug, args.runs).items():
                print(f"| {label} | {situation} | {ms:.1f} | {queries} |")
        with app.app_context():
            db.engine.dispose()
            versions.version_engine().dispose()
        if args.in_process_only:
            return
        results = over_http(url, args.seconds, args.rounds)
        print("\n| gunicorn, 2 workers | requests/s | latency |")
        print("|---|---|---|")
        for label, rate, latency in results:
            print(f"| {label} | {rate:.0f} | {latency} |")
        ratios = [results[i + 1][1] / results[i][1] for i in range(0, len(results), 2)]
        print(f"\n304 rate / bare rate per round: {', '.join(f'{r:.2f}' for r in ratios)}")
        print(f"Load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
