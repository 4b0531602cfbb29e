"""CPU cost of one registration flow (GET the form, POST it), in process, against PostgreSQL.

The machine is shared, so wall-clock figures move with other people's load; CPU time of
this process (`time.process_time`) does not, or much less. Runs N flows through
`app.test_client()` with the production settings the load test uses (CSRF on, rate
limiter on), counts SQL statements per request and optionally profiles with cProfile.

Usage (from the project root; creates and drops its own database):
    .venv/bin/python -m bench.registration_profile [--flows 300] [--profile get|post|flow]
With --profile, cProfile counts CPU time (process_time), not wall time, so waiting for
PostgreSQL does not show; the whole profile is saved for pstats.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from werkzeug.test import TestResponse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.registration_load import SLUG, bench_database, prepare  # noqa: E402

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
MEMBER = re.compile(r'<option[^>]*? value="(\d+)"')
PANEL = re.compile(r'name="panels" type="checkbox" value="(\d+)"')


def bench_app(database_url: str) -> Flask:
    """The app on `database_url` with the production settings the load test uses."""
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench-secret",
            "SESSION_COOKIE_SECURE": "0",
            "SIGNUP_RATE_LIMIT": "1000000 per minute",
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        }
    )
    from registration import create_app

    return create_app()


def registration_form(page: TestResponse, n: int) -> dict[str, str]:
    """The n-th flow's answers to the form `page` shows: its CSRF token, one of its members
    (another member every third flow) and its first panel."""
    body = page.get_data(as_text=True)
    token, member, panel = TOKEN.search(body), MEMBER.search(body), PANEL.search(body)
    assert page.status_code == 200, page.status_code
    assert token, "no CSRF token"
    assert member, "no member option"
    assert panel, "no panel checkbox"
    return {
        "csrf_token": token.group(1),
        "name": f"Bench Person {n}",
        "position": "Researcher",
        "institution": "Load Test Institute",
        "email": f"bench{n}-{uuid.uuid4().hex[:6]}@example.org",
        "member": member.group(1) if n % 3 else str(int(member.group(1)) + n % 20),
        "mode": "in_person" if n % 2 else "online",
        "panels": panel.group(1),
        "role": "participant",
        "language": "en",
        "consent": "y",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flows", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--profile", choices=["get", "post", "flow"], default=None)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--query", default="", help="appended to the form's path: ?lang=kk")
    parser.add_argument(
        "--stats-file", default=str(Path(tempfile.gettempdir()) / "registration.prof")
    )
    args = parser.parse_args()

    with bench_database() as database_url:
        prepare(database_url)
        from registration.database import db

        app = bench_app(database_url)
        statements = [0]
        with app.app_context():

            def count(*_: object, **__: object) -> None:
                statements[0] += 1

            event.listen(db.engine, "before_cursor_execute", count)
        client = app.test_client()
        counter = itertools.count()
        path = f"/conferences/{SLUG}/register{args.query}"
        profiler = cProfile.Profile(time.process_time) if args.profile else None
        cpu = {"get": [], "post": [], "flow": []}
        sql = {"get": [], "post": []}

        def flow(measure: bool) -> None:
            on = measure and profiler is not None
            t0, s0 = time.process_time(), statements[0]
            if on and args.profile in ("get", "flow"):
                profiler.enable()
            page = client.get(path)
            if on and args.profile == "get":
                profiler.disable()
            t1, s1 = time.process_time(), statements[0]
            form = registration_form(page, next(counter))
            t2, s2 = time.process_time(), statements[0]
            if on and args.profile == "post":
                profiler.enable()
            sent = client.post(path, data=form)
            if on:
                profiler.disable()
            t3, s3 = time.process_time(), statements[0]
            assert sent.status_code == 302, sent.get_data(as_text=True)[:2000]
            if measure:
                cpu["get"].append(t1 - t0)
                cpu["post"].append(t3 - t2)
                cpu["flow"].append((t1 - t0) + (t3 - t2))
                sql["get"].append(s1 - s0)
                sql["post"].append(s3 - s2)

        for _ in range(args.warmup):
            flow(False)
        wall = time.perf_counter()
        for _ in range(args.flows):
            flow(True)
        wall = time.perf_counter() - wall

        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        print(f"{args.flows} flows after {args.warmup} warm-up flows; load average {load}")
        print("| request | CPU ms median | CPU ms mean | SQL statements |")
        print("|---|---:|---:|---:|")
        for kind in ("get", "post"):
            print(
                f"| {kind.upper()} | {statistics.median(cpu[kind]) * 1000:.2f} "
                f"| {statistics.mean(cpu[kind]) * 1000:.2f} | {statistics.median(sql[kind]):.0f} |"
            )
        flow_mean = statistics.mean(cpu["flow"]) * 1000
        print(
            f"| flow | {statistics.median(cpu['flow']) * 1000:.2f} | {flow_mean:.2f} "
            f"| {statistics.median(sql['get']) + statistics.median(sql['post']):.0f} |"
        )
        print(
            f"Wall clock {wall / args.flows * 1000:.2f} ms per flow; CPU-bound ceiling for "
            f"2 cores at this cost: {2000 / flow_mean:.0f} flows/s (app only, no HTTP server, "
            "no PostgreSQL)"
        )
        if profiler is not None:
            profiler.dump_stats(args.stats_file)
            print(f"Profile saved to {args.stats_file} (pstats format)")
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(args.top)
            stats.sort_stats("tottime").print_stats(args.top)
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
