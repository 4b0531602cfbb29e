"""What the connection check (SQLAlchemy's pool pre-ping) costs per request.

Pre-ping sends `SELECT 1` on every pool checkout, i.e. once per request, so that a
connection PostgreSQL closed while it idled is replaced before a request uses it. This
measures, in process (Flask test client, one pooled connection, PostgreSQL on 127.0.0.1),
with pre-ping off (A) and on (B), alternated A B, B A, A B ...:

- a minimal request's database work (check out, `SELECT 1`, COMMIT; 5 x --requests times),
  where the check is most of the difference, and two pages:
- the public conference page (`GET /conferences/<slug>`: 2 statements), and
- the registration form (`GET /conferences/<slug>/register`, cached page: 1 statement),

reporting per request: wall time, the benchmark process's CPU time (`time.process_time`:
Flask, SQLAlchemy, psycopg) and the PostgreSQL backend's CPU time (utime + stime from
/proc/<pid>/stat), with medians and ranges over the rounds.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        flock /work/coord/bench.lock .venv/bin/python -m bench.connection_check [--rounds 6]

Creates a throwaway database next to the given one and drops it afterwards; bounded by
--rounds x --requests requests. Prints Markdown for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import Engine, text

from registration import create_app
from registration.conferences.models import Conference, ConferenceFormat, ConferenceStatus, Panel
from registration.database import db
from registration.directory.services import sync_members
from tests.scratch_database import scratch_database

PAGES = {
    "conference page": "/conferences/bench",
    "registration form": "/conferences/bench/register",
}
TICKS = os.sysconf("SC_CLK_TCK")
CHECKOUT = "checkout + SELECT 1 + COMMIT"


@dataclass
class Round:
    wall_us: float
    app_cpu_us: float
    postgres_cpu_us: float


def _app(database_uri: str, pre_ping: bool) -> Flask:
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_uri,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": pre_ping, "pool_recycle": 1800},
            "SECRET_KEY": "bench-secret-key",
            "SESSION_COOKIE_SECURE": False,
        }
    )


def _seed(app: Flask) -> None:
    with app.app_context():
        upgrade()
        sync_members()
        conference = Conference(
            slug="bench",
            title="Benchmark Meeting of the CICA Think Tank Forum",
            timezone="Asia/Almaty",
            starts_at=datetime(2030, 12, 28, 3, 0, tzinfo=UTC),
            ends_at=datetime(2030, 12, 29, 12, 0, tzinfo=UTC),
            format=ConferenceFormat.HYBRID,
            status=ConferenceStatus.PUBLISHED,
            venue="Palace of Peace and Reconciliation",
            city="Astana",
        )
        conference.panels = [
            Panel(
                title=f"Panel {n}",
                starts_at=datetime(2030, 12, 28, 3 + n, 0, tzinfo=UTC),
                ends_at=datetime(2030, 12, 28, 4 + n, 0, tzinfo=UTC),
            )
            for n in range(3)
        ]
        db.session.add(conference)
        db.session.commit()
        from registration.signup import services

        services.save_settings(
            conference,
            opens_at=datetime(2020, 1, 1, tzinfo=UTC),
            closes_at=datetime(2040, 1, 1, tzinfo=UTC),
            approval_required=True,
            in_person_capacity=None,
            delegation_in_person_quota=None,
            delegation_total_quota=None,
            panel_ids=[p.id for p in conference.panels],
        )


def _backend_cpu_ticks(app: Flask) -> tuple[int, int]:
    """(pid, utime + stime ticks) of the one backend serving the app's pooled connection."""
    with app.app_context():
        pid = db.session.scalar(text("SELECT pg_backend_pid()"))
        db.session.commit()
    return pid, _ticks(pid)


def _ticks(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)


def _round(app: Flask, path: str, requests: int) -> Round:
    client = app.test_client()
    for _ in range(50):  # warm-up: templates compiled, statements prepared
        assert client.get(path).status_code == 200
    pid, ticks_before = _backend_cpu_ticks(app)
    cpu_before, wall_before = time.process_time(), time.perf_counter()
    for _ in range(requests):
        response = client.get(path)
        assert response.status_code == 200
    wall = time.perf_counter() - wall_before
    cpu = time.process_time() - cpu_before
    postgres = (_ticks(pid) - ticks_before) / TICKS
    with app.app_context():  # still one connection: the backend measured served them all
        assert db.session.scalar(text("SELECT pg_backend_pid()")) == pid
        db.session.commit()
    return Round(wall / requests * 1e6, cpu / requests * 1e6, postgres / requests * 1e6)


def _checkouts(app: Flask, requests: int) -> Round:
    """The connection check alone: a minimal request's database work (check a connection
    out, one `SELECT 1`, COMMIT, check it in), so pre-ping's extra round trip is most of
    what differs and the page's own noise is not in the way."""
    with app.app_context():
        engine = db.engine
    for _ in range(200):
        _one_checkout(engine)
    pid, ticks_before = _backend_cpu_ticks(app)
    cpu_before, wall_before = time.process_time(), time.perf_counter()
    for _ in range(requests):
        _one_checkout(engine)
    wall = time.perf_counter() - wall_before
    cpu = time.process_time() - cpu_before
    postgres = (_ticks(pid) - ticks_before) / TICKS
    return Round(wall / requests * 1e6, cpu / requests * 1e6, postgres / requests * 1e6)


def _one_checkout(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")
        connection.commit()


def _summary(rounds: list[Round], attribute: str) -> str:
    values = [getattr(r, attribute) for r in rounds]
    return f"{statistics.median(values):,.0f} ({min(values):,.0f}-{max(values):,.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6, help="rounds per setting")
    parser.add_argument("--requests", type=int, default=2000, help="requests per round")
    options = parser.parse_args()
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgresql"):
        sys.exit("bench.connection_check needs DATABASE_URL=postgresql://...")
    with scratch_database(server, "bench_ping") as uri:
        apps = {False: _app(uri, pre_ping=False), True: _app(uri, pre_ping=True)}
        _seed(apps[False])
        results: dict[tuple[str, bool], list[Round]] = {}
        started = datetime.now(UTC)
        for number in range(options.rounds):
            # A B, B A, A B ...: neither setting always runs second (after the other's garbage)
            order = (False, True) if number % 2 == 0 else (True, False)
            for pre_ping in order:
                gc.collect()
                measured = _checkouts(apps[pre_ping], options.requests * 5)
                results.setdefault((CHECKOUT, pre_ping), []).append(measured)
            for page, path in PAGES.items():
                for pre_ping in order:
                    gc.collect()
                    measured = _round(apps[pre_ping], path, options.requests)
                    results.setdefault((page, pre_ping), []).append(measured)
        for app in apps.values():
            with app.app_context():
                db.engine.dispose()
    _report(results, options, started)


def _report(
    results: dict[tuple[str, bool], list[Round]], options: argparse.Namespace, started: datetime
) -> None:
    load = os.getloadavg()[0]
    print(f"{started:%d %b %Y, %H:%M} UTC; {options.rounds} rounds x {options.requests}")
    print(f"requests per page and setting, alternated; {platform.python_version()}, ", end="")
    print(f"{os.cpu_count()} cores, load average {load:.1f} at the end.\n")
    print("| Page | pre-ping | wall µs/request | app CPU µs/request | PostgreSQL CPU µs/request |")
    print("|---|---|---:|---:|---:|")
    for (page, pre_ping), rounds in results.items():
        cells = [_summary(rounds, a) for a in ("wall_us", "app_cpu_us", "postgres_cpu_us")]
        print(f"| {page} | {'on' if pre_ping else 'off'} | {' | '.join(cells)} |")
    print("\nCost of pre-ping per request (median of the per-round differences, on - off):\n")
    for page in (CHECKOUT, *PAGES):
        off, on = results[(page, False)], results[(page, True)]
        parts = []
        for attribute, label in (("wall_us", "wall"), ("app_cpu_us", "app CPU")):
            differences = [
                getattr(b, attribute) - getattr(a, attribute) for a, b in zip(off, on, strict=True)
            ]
            base = statistics.median(getattr(a, attribute) for a in off)
            median = statistics.median(differences)
            parts.append(f"{label} {median:+,.0f} µs ({median / base:+.1%})")
        postgres = [b.postgres_cpu_us - a.postgres_cpu_us for a, b in zip(off, on, strict=True)]
        parts.append(f"PostgreSQL CPU {statistics.median(postgres):+,.0f} µs")
        print(f"- {page}: " + ", ".join(parts))


if __name__ == "__main__":
    main()
