"""API benchmark: listing 5,000 registrations page by page with a token, beside the CSV
exports' rows per second.

In-process (Flask test client, PostgreSQL on 127.0.0.1), production configuration (rate
limiter on with its in-memory store, a limit high enough not to refuse): a published
conference with 5,000 approved registrations (bench.checkin's seed), an organiser and a
read token. Each round walks every page with `limit=200` and with `limit=50` (following
`next_cursor`), then downloads the API's CSV export and the management page's CSV export.
Times are medians and ranges over the rounds; CPU is this process's (client and server:
/proc/self/stat), the rest of the wall time is PostgreSQL and waiting.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        /work/main/.venv/bin/python -m bench.api_pages [--rounds 5]

Creates a throwaway database next to the given one and drops it afterwards. Prints
Markdown for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event

from bench.checkin import PASSWORD, SECRET, percentile, seed, throwaway_database
from registration import create_app
from registration.accounts.services import create_user
from registration.database import db
from registration.directory.services import sync_members
from registration.tokens import services as tokens
from registration.tokens.models import TokenScope

PARTICIPANTS = 5000
SLUG = "api-bench"
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds() -> float:
    """This process's user + system CPU time, from /proc."""
    with open("/proc/self/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def prepare(database_url: str) -> tuple[Flask, str]:
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET, "WTF_CSRF_ENABLED": False,
         "SESSION_COOKIE_SECURE": False, "API_RATE_LIMIT": "1000000 per minute"}
    )  # fmt: skip
    with app.app_context():
        upgrade()
        sync_members()
        user = create_user("bench@cica.example", PASSWORD, administrator=True)
        secret = tokens.create(
            user, name="bench", scope=TokenScope.READ, days=30, conferences=None
        ).secret
    seed(app, PARTICIPANTS, SLUG, attendance=False)
    return app, secret


def walk(client: FlaskClient, headers: dict[str, str], limit: int) -> tuple[int, list[float]]:
    """Every page in order; the rows seen and each page's milliseconds."""
    rows, timings, cursor = 0, [], ""
    while True:
        query = f"limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        started = time.perf_counter()
        response = client.get(f"/api/v1/conferences/{SLUG}/registrations?{query}", headers=headers)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        body = response.json
        rows += len(body["items"])
        cursor = body["next_cursor"]
        if not cursor:
            return rows, timings


Action = Callable[[], tuple[int, int]]  # -> (rows, requests)


def measure(action: Action, rounds: int) -> tuple[list[tuple[float, float, int]], int]:
    """(wall seconds, CPU seconds, rows) per round after one warm-up; requests per round."""
    action()
    results, requests = [], 0
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), cpu_seconds()
        rows, requests = action()
        results.append((time.perf_counter() - wall, cpu_seconds() - cpu, rows))
    return results, requests


def spread(values: list[float], pattern: str = "{:.0f}") -> str:
    low, mid, high = min(values), statistics.median(values), max(values)
    return f"{pattern.format(mid)} ({pattern.format(low)}-{pattern.format(high)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with throwaway_database() as database_url:
        app, secret = prepare(database_url)
        report(app, secret, args.rounds)
        with app.app_context():
            db.engine.dispose()


def report(app: Flask, secret: str, rounds: int) -> None:
    """Times each case and prints the table."""
    headers = {"Authorization": f"Bearer {secret}"}
    client = app.test_client()
    signed_in = app.test_client()
    assert (
        signed_in.post(
            "/account/login", data={"email": "bench@cica.example", "password": PASSWORD}
        ).status_code
        == 302
    )
    statements: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    page_times: dict[int, list[float]] = {200: [], 50: []}

    def walker(limit: int) -> Action:
        def run() -> tuple[int, int]:
            rows, timings = walk(client, headers, limit)
            page_times[limit] += timings
            return rows, len(timings)

        return run

    def download(target: FlaskClient, path: str, extra: dict[str, str]) -> Action:
        def run() -> tuple[int, int]:
            response = target.get(path, headers=extra)
            assert response.status_code == 200, response.status_code
            return response.data.count(b"\n") - 1, 1

        return run

    api_csv = f"/api/v1/conferences/{SLUG}/registrations.csv"
    page_csv = f"/manage/conferences/{SLUG}/registrations.csv"
    cases = [
        ("API pages, limit=200 (25 pages)", walker(200)),
        ("API pages, limit=50 (100 pages)", walker(50)),
        ("API CSV export", download(client, api_csv, headers)),
        ("management CSV export", download(signed_in, page_csv, {})),
    ]
    print(f"| listing {PARTICIPANTS:,} registrations | rows/s | wall s | CPU s (this process) "
          "| SQL statements per request |")  # fmt: skip
    print("|---|---:|---:|---:|---:|")
    for label, action in cases:
        statements.clear()
        results, requests = measure(action, rounds)
        per_request = len(statements) / (requests * (rounds + 1))
        rows = results[0][2]
        assert rows == PARTICIPANTS, (label, rows)
        print(
            f"| {label} | {spread([rows / wall for wall, _, _ in results])} "
            f"| {spread([wall for wall, _, _ in results], '{:.2f}')} "
            f"| {spread([cpu for _, cpu, _ in results], '{:.2f}')} | {per_request:.1f} |"
        )
    print()
    for limit, timings in page_times.items():
        print(f"Page of {limit}: median {statistics.median(timings):.1f} ms, "
              f"p95 {percentile(timings, 0.95):.1f} ms, max {max(timings):.1f} ms "
              f"({len(timings)} pages).")  # fmt: skip
    print()
    print(f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}; load average {os.getloadavg()[0]:.1f} at the end.")  # fmt: skip


if __name__ == "__main__":
    main()
