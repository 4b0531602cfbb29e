"""Attendance benchmark: check-in scans under load, and the dashboard of a big conference.

1. Check-in over HTTP: gunicorn (2 workers) + PostgreSQL on 127.0.0.1; 20 scanner threads,
   each with its own HTTP/1.1 connection (reopened whenever the server closes it), POST badge
   payloads to the scan API (CSRF header, a fresh client_id per scan and 5 % retries of the
   previous client_id). Door pace (1-3 s between scans) and fast pace (0.2-0.6 s); a paced
   scanner starts at a random moment within one pause, as people reach a door. Then a
   closed-loop burst (no pause, all at once) shows the saturated throughput. Latency is
   measured by the client around each request.
2. Dashboard in-process (Flask test client): a 5,000-participant conference with 4 panels and
   about 4,000 attendees (records from scans, join links and reports); time per request and
   SQL statements per request, for the HTML page and the JSON polled by the page.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        /work/main/.venv/bin/python -m bench.checkin [--scans 40] [--burst 20] [--threads 4]

Creates a throwaway database next to the given one and drops it afterwards. Bounded: every
HTTP call has a 10 s timeout and gunicorn is stopped at the end. Prints Markdown for
BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, insert, text
from sqlalchemy.engine import make_url

from registration import create_app
from registration.accounts.services import create_user
from registration.attendance.models import AttendanceEvent, AttendanceRecord, AttendanceSource
from registration.conferences.models import Conference, ConferenceFormat, ConferenceStatus, Panel
from registration.database import db
from registration.directory.catalogue import MEMBER_STATES
from registration.directory.services import member_by_code, sync_members
from registration.signed_tokens import badge_payload
from registration.signup.models import (
    AttendanceMode,
    ParticipantRole,
    Registration,
    RegistrationPanel,
    RegistrationStatus,
)
from tests.scratch_database import scratch_database

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret-key"  # noqa: S105 (a throwaway database)
PASSWORD = "correct horse battery"  # noqa: S105
SCANNERS = 20
START = datetime(2030, 12, 28, 1, 0, tzinfo=UTC)


@contextmanager
def throwaway_database() -> Iterator[str]:
    server = make_url(
        os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    ).set(drivername="postgresql+psycopg")
    if not server.drivername.startswith("postgresql"):
        sys.exit("bench.checkin needs DATABASE_URL=postgresql://...")
    with scratch_database(server.render_as_string(hide_password=False), "bench_attend") as url:
        yield url


def seed(app: Flask, participants: int, slug: str, attendance: bool) -> tuple[int, list[int]]:
    """A hybrid conference with 4 panels and `participants` approved registrations."""
    rng = random.Random(6)
    with app.app_context():
        conference = Conference(
            slug=slug,
            title=f"Bench conference {slug}",
            timezone="Asia/Shanghai",
            starts_at=START,
            ends_at=START + timedelta(hours=33),
            format=ConferenceFormat.HYBRID,
            status=ConferenceStatus.PUBLISHED,
        )
        db.session.add(conference)
        db.session.flush()
        panels = [
            Panel(
                conference_id=conference.id,
                title=f"Panel {n}",
                starts_at=START + timedelta(hours=2 * n),
                ends_at=START + timedelta(hours=2 * n + 2),
                room=f"Hall {n}",
            )
            for n in range(1, 5)
        ]
        db.session.add_all(panels)
        db.session.flush()
        members = [member_by_code(code).id for code in MEMBER_STATES]
        rows = [
            {
                "conference_id": conference.id,
                "member_id": rng.choice(members),
                "email": f"p{n}@{slug}.example",
                "name": f"Participant {n:05d}",
                "position": "",
                "institution": "Institute",
                "mode": AttendanceMode.ONLINE if n % 3 == 0 else AttendanceMode.IN_PERSON,
                "role": ParticipantRole.PARTICIPANT,
                "language": "en",
                "consent_to_list": True,
                "status": RegistrationStatus.APPROVED,
                "status_reason": "",
                "feed_token": uuid.uuid4().hex,
                "created_at": START,
                "updated_at": START,
            }
            for n in range(participants)
        ]
        ids = list(db.session.scalars(insert(Registration).returning(Registration.id), rows))
        db.session.execute(
            insert(RegistrationPanel),
            [{"registration_id": r, "panel_id": p.id} for r in ids for p in panels[:2]],
        )
        if attendance:
            _attendance(conference.id, ids, rows, panels, rng)
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))  # what autovacuum does after a bulk load
        return conference.id, ids


def _attendance(
    conference_id: int, ids: list[int], rows: list[dict], panels: list[Panel], rng: random.Random
) -> None:
    """About 80 % attend: each attendee is seen in 1-3 panels, in person or online."""
    records, events = [], []
    for registration_id, row in zip(ids, rows, strict=True):
        if rng.random() > 0.8:
            continue
        in_person = row["mode"] is AttendanceMode.IN_PERSON and rng.random() > 0.1
        for panel in rng.sample(panels, rng.randint(1, 3)):
            scope = f"panel:{panel.id}"
            mode = AttendanceMode.IN_PERSON if in_person else AttendanceMode.ONLINE
            records.append(
                {
                    "registration_id": registration_id,
                    "conference_id": conference_id,
                    "scope": scope,
                    "panel_id": panel.id,
                    "mode": mode,
                    "first_seen": panel.starts_at,
                    "last_seen": panel.ends_at,
                    "online_minutes": 0 if in_person else 90,
                    "updated_at": panel.starts_at,
                }
            )
            events.append(
                {
                    "registration_id": registration_id,
                    "scope": scope,
                    "source": AttendanceSource.QR_SCAN
                    if in_person
                    else AttendanceSource.ZOOM_REPORT,
                    "dedup_key": f"seed:{registration_id}:{scope}",
                    "occurred_at": panel.starts_at,
                    "minutes": None if in_person else 90,
                    "detail": "",
                    "recorded_at": panel.starts_at,
                }
            )
    db.session.execute(insert(AttendanceRecord), records)
    db.session.execute(insert(AttendanceEvent), events)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(database_url: str, port: int, access_log: Path, threads: int) -> Iterator[None]:
    """2 sync workers as deployed; threads > 1: gthread workers that keep connections alive."""
    env = os.environ | {
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET,
        "SESSION_COOKIE_SECURE": "0",
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--workers", "2",
        *(["--threads", str(threads), "--keep-alive", "75"] if threads > 1 else []),
        "--bind", f"127.0.0.1:{port}",
        "--log-level", "warning",
        "--access-logfile", str(access_log),
        "--access-logformat", "%(U)s %(D)s",
        "registration:create_app()",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start within 30 s")
        yield
    finally:
        server.terminate()
        server.wait(timeout=30)


class Session:
    """One signed-in organiser's cookie and CSRF token, shared by the scanner threads."""

    def __init__(self, port: int, slug: str) -> None:
        self.port, self.slug = port, slug
        self.cookies: dict[str, str] = {}
        login = self._request("GET", "/account/login").decode()
        token = login.split('name="csrf_token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
        form = urlencode({"email": "bench@cica.example", "password": PASSWORD, "csrf_token": token})
        self._request("POST", "/account/login", form, "application/x-www-form-urlencoded")
        page = self._request("GET", f"/manage/conferences/{slug}/checkin").decode()
        self.csrf = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]

    @property
    def cookie(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def _request(self, method: str, path: str, body: str = "", kind: str = "") -> bytes:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Cookie": self.cookie} if self.cookies else {}
        if kind:
            headers["Content-Type"] = kind
        connection.request(method, path, body or None, headers)
        response = connection.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return data


def run_scanners(
    session: Session,
    payloads: list[str],
    panel_ids: list[int],
    scans: int,
    pause: tuple[float, float] | None,
) -> tuple[list[float], dict[int, int], int, float]:
    """Latencies (ms), HTTP statuses, TCP connections opened and seconds taken."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    connections = [0]
    lock = threading.Lock()
    path = f"/manage/conferences/{session.slug}/checkin/api/scan"
    headers = {
        "Cookie": session.cookie,
        "X-CSRFToken": session.csrf,
        "Content-Type": "application/json",
        "Accept": "application/json",
    }

    def scanner(number: int) -> None:
        rng = random.Random(number)
        connection = http.client.HTTPConnection("127.0.0.1", session.port, timeout=10)
        panel = panel_ids[number % len(panel_ids)]
        previous = ""
        if pause:  # people reach a door at random moments, not all in the same millisecond
            time.sleep(rng.uniform(0, pause[1]))
        for _ in range(scans):
            retry = previous and rng.random() < 0.05
            client_id = previous if retry else uuid.uuid4().hex
            body = json.dumps(
                {"payload": rng.choice(payloads), "client_id": client_id, "panel_id": panel}
            )
            reconnect = connection.sock is None  # the server closed the previous one
            started = time.perf_counter()
            connection.request("POST", path, body, headers)
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed * 1000)
                statuses[response.status] = statuses.get(response.status, 0) + 1
                connections[0] += reconnect
            previous = client_id
            if pause:
                time.sleep(rng.uniform(*pause))
        connection.close()

    threads = [threading.Thread(target=scanner, args=(n,)) for n in range(SCANNERS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return latencies, statuses, connections[0], time.perf_counter() - started


def server_times(access_log: Path) -> list[float]:
    """Milliseconds the gunicorn workers spent on each scan (access log %(D)s, in µs)."""
    times = []
    for line in access_log.read_text().splitlines():
        path, _, micros = line.rpartition(" ")
        if path.endswith("/checkin/api/scan"):
            times.append(int(micros) / 1000)
    return times or [0.0]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def checkin_bench(database_url: str, scans: int, burst: int, threads: int = 1) -> list[str]:
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET})
    with app.app_context():
        upgrade()
        sync_members()
        create_user("bench@cica.example", PASSWORD, name="Bench", administrator=True)
        db.session.commit()
    conference_id, ids = seed(app, 2000, "scan", attendance=False)
    with app.app_context():
        payloads = [badge_payload(r, conference_id) for r in ids]
        panel_ids = list(
            db.session.scalars(db.select(Panel.id).filter_by(conference_id=conference_id))
        )
        db.engine.dispose()
    port = free_port()
    lines = []
    logs = tempfile.TemporaryDirectory(prefix="bench-attend-")
    access_log = Path(logs.name) / "access.log"
    loads = (
        ("door pace: 1-3 s between scans", max(scans // 3, 5), (1.0, 3.0)),
        ("fast pace: 0.2-0.6 s between scans", scans, (0.2, 0.6)),
        ("closed loop: no pause", burst, None),
    )
    with gunicorn(database_url, port, access_log, threads):
        session = Session(port, "scan")
        run_scanners(session, payloads, panel_ids, 5, pause=None)  # warm up both workers
        for label, count, pause in loads:
            access_log.write_text("")
            latencies, statuses, opened, seconds = run_scanners(
                session, payloads, panel_ids, count, pause
            )
            server = server_times(access_log)
            lines.append(
                f"| {label} | {len(latencies)} | {opened} | {len(latencies) / seconds:.0f} "
                f"| {statistics.median(latencies):.1f} | {percentile(latencies, 0.95):.1f} "
                f"| {percentile(latencies, 0.99):.1f} | {max(latencies):.1f} "
                f"| {statistics.median(server):.1f} | {percentile(server, 0.99):.1f} "
                f"| {', '.join(f'{k}: {v}' for k, v in sorted(statuses.items()))} "
                f"| {os.getloadavg()[0]:.1f} |"
            )
    logs.cleanup()
    with app.app_context():
        events = db.session.scalar(db.select(db.func.count()).select_from(AttendanceEvent))
        db.engine.dispose()
    lines.append("")
    lines.append(f"Events recorded: {events} (retried client ids are recorded once).")
    return lines


def dashboard_bench(database_url: str, rounds: int) -> list[str]:
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET, "RATELIMIT_ENABLED": False,
         "WTF_CSRF_ENABLED": False, "SESSION_COOKIE_SECURE": False}
    )  # fmt: skip
    seed(app, 5000, "dash", attendance=True)
    client = app.test_client()
    response = client.post(
        "/account/login", data={"email": "bench@cica.example", "password": PASSWORD}
    )
    assert response.status_code == 302, response.status_code
    statements: list[str] = []
    with app.app_context():
        records = db.session.scalar(db.select(db.func.count()).select_from(AttendanceRecord))
        attendees = db.session.scalar(
            db.select(db.func.count(db.distinct(AttendanceRecord.registration_id)))
        )
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    lines = [f"5,000 registrations, {attendees} attendees, {records} attendance records.", ""]
    lines.append("| request | median ms | p95 ms | max ms | SQL statements |")
    lines.append("|---|---:|---:|---:|---:|")
    for label, path in (
        ("dashboard page (HTML)", "/manage/conferences/dash/attendance"),
        ("figures.json (polled)", "/manage/conferences/dash/attendance/figures.json"),
        ("CSV export", "/manage/conferences/dash/attendance/export.csv"),
    ):
        client.get(path)
        timings, counts = [], []
        for _ in range(rounds):
            statements.clear()
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            counts.append(len(statements))
            assert response.status_code == 200
        lines.append(
            f"| {label} | {statistics.median(timings):.0f} | {percentile(timings, 0.95):.0f} "
            f"| {max(timings):.0f} | {max(counts)} |"
        )
    with app.app_context():
        db.engine.dispose()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=30, help="fast-paced scans per scanner")
    parser.add_argument("--burst", type=int, default=20, help="closed-loop scans per scanner")
    parser.add_argument("--rounds", type=int, default=20, help="dashboard requests timed")
    parser.add_argument(
        "--threads", type=int, default=1, help="over 1: gthread workers with keep-alive, to compare"
    )
    args = parser.parse_args()
    with throwaway_database() as database_url:
        scan_lines = checkin_bench(database_url, args.scans, args.burst, args.threads)
        dashboard_lines = dashboard_bench(database_url, args.rounds)
    with create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres").connect() as c:
        server_version = c.execute(text("SHOW server_version")).scalar()
    workers = f"gthread, {args.threads} threads" if args.threads > 1 else "sync"
    print(f"### Check-in: 20 scanners, gunicorn 2 workers ({workers}), PostgreSQL")
    print()
    print(
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"PostgreSQL {server_version}, {platform.platform()}. The load average (1 min, "
        "after each phase) shows what other processes were doing on the shared machine."
    )
    print()
    print(
        "| load (20 scanners) | scans | TCP connections | scans/s | median ms | p95 ms | p99 ms "
        "| max ms | server median ms | server p99 ms | HTTP statuses | load avg |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    print("\n".join(scan_lines))
    print()
    print("### Dashboard of a 5,000-participant conference (in-process)")
    print()
    print("\n".join(dashboard_lines))


if __name__ == "__main__":
    main()
