"""Fan-out end to end: an organiser moves a panel or cancels a conference of N attendees.

    python bench/fanout.py [--attendees 5000] [--small 10] [--moves 8] [--cancels 2]
        [--database-url postgresql://postgres@127.0.0.1:5432/postgres]

Everything as in production, on 127.0.0.1: a throwaway PostgreSQL database (migrated, the
CICA members, one organiser), a private redis-server (never the machine's own), gunicorn
with 2 sync workers (`gunicorn.conf.py`), `celery worker --concurrency 2`, and an aiosmtpd
server that keeps every message it accepts. The organiser signs in over HTTP; each timed
request is the POST of the organiser's form (the panel edit form with a new start time, the
conference's cancel button), from sending it to the redirect.

For each size (N attendees and the small one) it seeds published hybrid conferences of one
panel, each attendee approved for the whole conference (half in person, half online), then:
1. moves the panel `--moves` times, 0.5 s apart (so later moves supersede updates still
   queued), then cancels `--cancels` other conferences of the same size;
2. waits until no job is queued or running and no outbox row is left to send (read from
   the database: the bench process parses nothing while the workers deliver, as its SMTP
   server thread shares its GIL), and 3 s more without a new message;
3. checks at the SMTP server: every attendee's last message about each panel carries the
   panel's final SEQUENCE and METHOD, no message twice (same
   attendee, UID, METHOD and SEQUENCE), no message after one with a higher SEQUENCE.
Throughput: the big conferences' messages over the time from the first organiser request
to the last message accepted, against a plain smtplib loop sending the same stored bytes
over one connection to the same server, and against the floor (`floor`): the same bytes
sent through the outbox by the same workers with nothing to expand or compose. Prints
Markdown tables for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import email
import http.client
import itertools
import os
import re
import secrets
import shutil
import signal
import smtplib
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiosmtpd.smtp import SMTP, Envelope, Session  # noqa: E402
from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

HOST = "127.0.0.1"
ORGANISER = ("organiser@bench.example", "bench-organiser-password")
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
FIELD = re.compile(r"^(METHOD|UID|SEQUENCE):(.*)$", re.MULTILINE)
START = datetime(2030, 6, 1, 6, 0, tzinfo=UTC)
ZONE = ZoneInfo("Asia/Almaty")


# --- the SMTP server: keeps what it accepts, parsed afterwards -----------------------------


class Keeping:
    """An SMTP handler that keeps (arrival time, recipients, bytes) of every message."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[tuple[float, tuple[str, ...], bytes]] = []
        self.counting_only = False
        self.count = 0

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        with self.lock:
            self.count += 1
            if not self.counting_only:
                entry = (time.monotonic(), tuple(envelope.rcpt_tos), envelope.original_content)
                self.messages.append(entry)  # type: ignore[arg-type]
        return "250 OK"


@dataclass(frozen=True)
class Delivered:
    at: float
    recipient: str
    method: str
    uid: str
    sequence: int


@cache
def calendar_fields(raw: bytes) -> tuple[str, str, int] | None:
    """METHOD, UID and SEQUENCE of the message's text/calendar part (None without one);
    each message is parsed once (the check and the plain loop both read them)."""
    message = email.message_from_bytes(raw)
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            payload = part.get_payload(decode=True)
            body = payload.decode() if isinstance(payload, bytes) else ""
            found = dict(FIELD.findall(body.replace("\r\n ", "").replace("\r", "")))
            return found["METHOD"].strip(), found["UID"].strip(), int(found["SEQUENCE"])
    return None


# --- processes ----------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def process(command: list[str], env: dict[str, str], log: Path) -> Iterator[int]:
    """A child in its own process group, ended with SIGTERM (then SIGKILL) afterwards."""
    with log.open("ab") as out:
        child = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
        )
        try:
            yield child.pid
        finally:
            os.killpg(child.pid, signal.SIGTERM)
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()


def wait_for_port(port: int, seconds: float = 120) -> None:
    import socket

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection((HOST, port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing listens on port {port}")


@contextmanager
def database(url: str) -> Iterator[str]:
    server = make_url(url).set(drivername="postgresql+psycopg")
    name = f"bench_fanout_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- HTTP as the organiser's browser --------------------------------------------------------


class Browser:
    """One signed-in session over plain HTTP/1.1 (a new connection per request)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Any:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=120)
        headers = {"Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = urlencode(form) if form is not None else None
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, data.decode("utf-8", "replace")

    def token(self, path: str) -> str:
        status, page = self.request("GET", path)
        found = TOKEN.search(page)
        if status != 200 or found is None:
            raise SystemExit(f"GET {path}: {status}, no form token")
        return found.group(1)

    def timed_post(self, path: str, form: dict[str, str]) -> float:
        started = time.perf_counter()
        status, page = self.request("POST", path, form)
        elapsed = time.perf_counter() - started
        if status not in (302, 303):
            raise SystemExit(f"POST {path}: {status}\n{page[:2000]}")
        return elapsed


# --- seeding ----------------------------------------------------------------------------


@dataclass
class Seeded:
    slug: str
    panel_id: int
    attendees: list[str] = field(default_factory=list)  # e-mail addresses


def seed(app: Any, size: int, count: int, label: str) -> list[Seeded]:
    """`count` published hybrid conferences of one panel and `size` approved attendees each."""
    from registration.conferences.models import (
        Conference,
        ConferenceFormat,
        ConferenceStatus,
        Panel,
    )
    from registration.database import db
    from registration.directory.models import Member
    from registration.signup.models import (
        AttendanceMode,
        ParticipantRole,
        Registration,
        RegistrationStatus,
    )

    made = []
    with app.app_context():
        members = list(db.session.scalars(select(Member.id).order_by(Member.id)))
        for number in range(count):
            slug = f"{label}-{number}"
            conference = Conference(
                slug=slug,
                title=f"Bench conference {slug}",
                venue="Palace of Independence",
                city="Astana",
                timezone="Asia/Almaty",
                starts_at=START,
                ends_at=START + timedelta(days=2),
                format=ConferenceFormat.HYBRID,
                status=ConferenceStatus.PUBLISHED,
                online_url="https://meet.example/bench",
            )
            panel = Panel(
                conference=conference,
                title="Connectivity and energy corridors",
                theme="Regional transport and energy links",
                starts_at=START + timedelta(hours=2),
                ends_at=START + timedelta(hours=4),
                room="Hall A",
            )
            db.session.add_all([conference, panel])
            db.session.flush()
            emails = [f"p{i}.{slug}@bench.example" for i in range(size)]
            rows = [
                {
                    "conference_id": conference.id,
                    "member_id": members[i % len(members)],
                    "email": address,
                    "name": f"Delegate {i} of {slug}",
                    "position": "Expert",
                    "institution": "Institute of Strategic Studies",
                    "mode": AttendanceMode.IN_PERSON if i % 2 else AttendanceMode.ONLINE,
                    "role": ParticipantRole.PARTICIPANT,
                    "language": "en",
                    "consent_to_list": False,
                    "status": RegistrationStatus.APPROVED,
                    "status_reason": "",
                    "feed_token": secrets.token_urlsafe(24),
                }
                for i, address in enumerate(emails)
            ]
            for start in range(0, len(rows), 1000):
                db.session.execute(insert(Registration), rows[start : start + 1000])
            made.append(Seeded(slug, panel.id, emails))
        db.session.commit()
    return made


def final_state(app: Any, seeded: list[Seeded]) -> dict[str, tuple[str, int]]:
    """Each panel's UID suffix-free key -> (METHOD, SEQUENCE) its attendees must end with."""
    from registration.calendars.ical import panel_is_cancelled, panel_sequence
    from registration.conferences.models import Panel
    from registration.database import db

    wanted = {}
    with app.app_context():
        for conference in seeded:
            panel = db.session.get_one(Panel, conference.panel_id)
            method = "CANCEL" if panel_is_cancelled(panel) else "REQUEST"
            wanted[f"panel-{panel.id}@"] = (method, panel_sequence(panel))
        db.session.rollback()
    return wanted


# --- the run ------------------------------------------------------------------------------


@dataclass
class Timed:
    action: str
    attendees: int
    seconds: list[float] = field(default_factory=list)


def move_form(token: str, number: int) -> dict[str, str]:
    """The panel edit form with the start moved by `number` quarter hours."""
    local = (START + timedelta(hours=2, minutes=15 * number)).astimezone(ZONE)
    ends = local + timedelta(hours=2)
    return {
        "csrf_token": token,
        "title": "Connectivity and energy corridors",
        "kind": "panel",
        "theme": "Regional transport and energy links",
        "day": local.date().isoformat(),
        "starts": local.strftime("%H:%M"),
        "ends": ends.strftime("%H:%M"),
        "room": "Hall A",
        "join_url": "",
        "moderators": "",
        "speakers": "",
    }


def act(browser: Browser, moved: Seeded, cancelled: list[Seeded], moves: int) -> list[Timed]:
    edit = f"/manage/conferences/{moved.slug}/panels/{moved.panel_id}/edit"
    token = browser.token(edit)
    size = len(moved.attendees)
    move = Timed("move the panel", size)
    for number in range(1, moves + 1):
        move.seconds.append(browser.timed_post(edit, move_form(token, number)))
        time.sleep(0.5)
    cancel = Timed("cancel the conference", size)
    for conference in cancelled:
        path = f"/manage/conferences/{conference.slug}/cancel"
        cancel.seconds.append(browser.timed_post(path, {"csrf_token": browser.token(path)}))
    return [move, cancel]


def delivered(handler: Keeping) -> list[Delivered]:
    with handler.lock:
        kept = list(handler.messages)
    found = []
    for at, recipients, raw in kept:
        fields = calendar_fields(raw)
        if fields is not None:
            for recipient in recipients:
                found.append(Delivered(at, recipient.lower(), *fields))
    return found


def settled(app: Any) -> bool:
    """Nothing left to send: no fan-out job queued or running and no outbox row queued, in
    flight or waiting to retry. Read from the database, so that while the workers deliver,
    the process that runs the SMTP server does no more than serve (parsing what arrived
    here every second took its GIL from the server thread); the messages are parsed and
    checked once delivery is over."""
    from registration.database import db
    from registration.jobs.models import Job, JobState
    from registration.mail.models import MailStatus, OutgoingMail

    unsent = (MailStatus.QUEUED, MailStatus.INFLIGHT, MailStatus.AWAITING_RETRY)
    with app.app_context():
        jobs = db.session.scalar(
            select(func.count()).where(Job.state.in_((JobState.QUEUED, JobState.RUNNING)))
        )
        mail = db.session.scalar(select(func.count()).where(OutgoingMail.status.in_(unsent)))
        db.session.remove()
    return not jobs and not mail


def check(messages: list[Delivered], wanted: dict[tuple[str, str], tuple[str, int]]) -> dict:
    seen: dict[tuple[str, str, str, int], int] = defaultdict(int)
    by_person: dict[tuple[str, str], list[Delivered]] = defaultdict(list)
    for message in sorted(messages, key=lambda m: m.at):
        key = (message.recipient, message.uid.split("@")[0] + "@")
        seen[(*key, message.method, message.sequence)] += 1
        by_person[key].append(message)
    twice = sum(count - 1 for count in seen.values() if count > 1)
    out_of_order = sum(
        1
        for received in by_person.values()
        for earlier, later in itertools.pairwise(received)
        if later.sequence < earlier.sequence
    )
    missing = sum(
        1
        for key, (method, sequence) in wanted.items()
        if not by_person.get(key)
        or (by_person[key][-1].method, by_person[key][-1].sequence) != (method, sequence)
    )
    return {"messages": len(messages), "twice": twice, "out_of_order": out_of_order,
            "missing": missing}  # fmt: skip


TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Groups:
    """The servers' process groups and the bench database, to read their CPU time."""

    worker: int
    web: int
    redis: int
    database: Any

    def cpu(self) -> dict[str, float]:
        """CPU seconds (user + system) used so far by each server, from /proc."""
        names = {self.worker: "Celery workers", self.web: "gunicorn", self.redis: "Redis"}
        used = dict.fromkeys([*names.values(), "PostgreSQL backends"], 0.0)
        database = self.database.database.encode()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                raw = (entry / "stat").read_text()
                fields = raw[raw.rindex(")") + 2 :].split()
                group = int(fields[2])
                command = (entry / "cmdline").read_bytes() if group not in names else b""
            except (OSError, ValueError):
                continue
            seconds = (int(fields[11]) + int(fields[12])) / TICKS
            if group in names:
                used[names[group]] += seconds
            elif b"postgres" in command and database in command:
                used["PostgreSQL backends"] += seconds
        return used


def plain_loop(raws: list[tuple[str, bytes]], port: int) -> float:
    started = time.perf_counter()
    with smtplib.SMTP(HOST, port) as smtp:
        for recipient, data in raws:
            smtp.sendmail("secretariat@cica.example", [recipient], data)
    return time.perf_counter() - started


def floor(app: Any, raws: list[tuple[str, bytes]], handler: Keeping, groups: Groups) -> dict:
    """The same messages through the outbox with nothing but the stack: rows holding the
    delivered bytes (no job to expand, nothing to compose), published as the outbox
    publishes them (`send_mail_batch` tasks of MAIL_BATCH_SIZE ids) to the same 2 worker
    processes, each claimed, sent and marked SENT as any outbox row. Timed from publishing
    to the last message accepted; CPU per message of the workers and PostgreSQL."""
    from registration.database import db, utcnow
    from registration.mail.models import MailStatus, OutgoingMail
    from registration.mail.services import SEND_TASK
    from registration.publishing import publish

    with app.app_context():
        now = utcnow()
        rows = [
            {"idempotency_key": f"floor:{number}", "recipient": recipient, "subject": "",
             "message_id": f"<floor-{number}@bench.example>", "message": raw,
             "status": MailStatus.QUEUED, "attempts": 0, "next_attempt_at": now,
             "last_error": "", "created_at": now, "updated_at": now}
            for number, (recipient, raw) in enumerate(raws)
        ]  # fmt: skip
        ids = [
            row_id
            for start in range(0, len(rows), 1000)
            for row_id in db.session.scalars(
                insert(OutgoingMail).returning(OutgoingMail.id), rows[start : start + 1000]
            )
        ]
        db.session.commit()
        target = handler.count + len(ids)
        cpu_before = groups.cpu()
        started = time.monotonic()
        publish([(SEND_TASK, (row_id,)) for row_id in ids])
        while handler.count < target and time.monotonic() - started < 600:
            time.sleep(0.05)
        seconds = time.monotonic() - started
        cpu = {name: used - cpu_before[name] for name, used in groups.cpu().items()}
        db.session.remove()
    return {
        "rate": len(ids) / seconds,
        "workers_ms": cpu["Celery workers"] * 1000 / len(ids),
        "postgres_ms": cpu["PostgreSQL backends"] * 1000 / len(ids),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attendees", type=int, default=5000)
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--moves", type=int, default=8)
    parser.add_argument("--cancels", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds for delivery")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )
    arguments = parser.parse_args()
    redis_binary = shutil.which("redis-server")
    if not redis_binary:
        sys.exit("needs redis-server")
    from registration.mail.catcher import start

    work = Path(tempfile.mkdtemp(prefix="bench-fanout-"))
    handler = Keeping()
    smtp = start(handler)
    redis_port, web_port = free_port(), free_port()
    print(f"load average at start: {os.getloadavg()}", flush=True)
    try:
        with database(arguments.database_url) as database_url:
            env = {
                **os.environ,
                "DATABASE_URL": database_url,
                "REDIS_URL": f"redis://{HOST}:{redis_port}/0",
                "REDIS_KEY_PREFIX": "",
                "MAIL_SERVER": HOST,
                "MAIL_PORT": str(smtp.port),
                "MAIL_RATE_PER_MINUTE": "0",
                "SECRET_KEY": "bench-secret",
                "SESSION_COOKIE_SECURE": "0",
                "LOGIN_RATE_LIMIT": "100000 per minute",
                "BASE_URL": f"http://{HOST}:{web_port}",
                "CELERY_BEAT_SCHEDULE": str(work / "beat"),
                "MAILBOX_FOLDER": str(work / "mailbox"),
            }
            os.environ.update({k: v for k, v in env.items() if k != "PATH"})
            app = prepare(database_url)
            big = seed(app, arguments.attendees, 1 + arguments.cancels, "big")
            small = seed(app, arguments.small, 1 + arguments.cancels, "small")
            print(f"seeded; load average {os.getloadavg()}", flush=True)
            redis = [redis_binary, "--port", str(redis_port), "--bind", HOST, "--save", "",
                     "--appendonly", "no", "--dir", str(work)]  # fmt: skip
            web = [str(Path(sys.executable).with_name("gunicorn")), "-w", "2", "-b",
                   f"{HOST}:{web_port}", "registration:create_app()"]  # fmt: skip
            worker = [sys.executable, "-m", "celery", "-A", "workers.app", "worker",
                      "--concurrency", "2", "--loglevel", "WARNING", "--without-heartbeat",
                      "--without-gossip", "--without-mingle"]  # fmt: skip
            with (
                process(redis, env, work / "redis.log") as redis_group,
                process(web, env, work / "gunicorn.log") as web_group,
                process(worker, env, work / "worker.log") as worker_group,
            ):
                wait_for_port(web_port)
                ports = (web_port, smtp.port)
                groups = Groups(worker_group, web_group, redis_group, make_url(database_url))
                results, checks, rate = run(app, ports, groups, handler, big, small, arguments)
            print(f"load average at the end: {os.getloadavg()}", flush=True)
            with app.app_context():
                from registration.database import db

                db.engine.dispose()
    except BaseException:
        for log in sorted(work.glob("*.log")):
            print(f"--- {log.name}", *log.read_text(errors="replace").splitlines()[-30:], sep="\n")
        raise
    finally:
        smtp.stop()
        shutil.rmtree(work, ignore_errors=True)
    report(results, checks, rate, arguments)


def prepare(database_url: str) -> Any:
    from flask_migrate import upgrade

    from registration import create_app
    from registration.accounts.services import create_user
    from registration.directory.services import sync_members

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade()
        sync_members()
        create_user(*ORGANISER, administrator=True)
    return app


def run(
    app: Any,
    ports: tuple[int, int],
    groups: Groups,
    handler: Keeping,
    big: list[Seeded],
    small: list[Seeded],
    arguments: argparse.Namespace,
) -> tuple[list[Timed], dict, tuple[float, float, int]]:
    port, smtp_port = ports
    browser = Browser(port)
    token = browser.token("/account/login")
    login = {"csrf_token": token, "email": ORGANISER[0], "password": ORGANISER[1]}
    browser.timed_post("/account/login", login)
    results = act(browser, small[0], small[1:], arguments.moves)  # warms both workers up
    first_request, first_wall = time.monotonic(), datetime.now(UTC)
    cpu_before = groups.cpu()
    results += act(browser, big[0], big[1:], arguments.moves)
    print("requests done; waiting for delivery", flush=True)
    wanted_panels = final_state(app, big + small)
    wanted = {
        (address, uid): state
        for conference in big + small
        for uid, state in wanted_panels.items()
        if uid == f"panel-{conference.panel_id}@"
        for address in conference.attendees
    }
    deadline = time.monotonic() + arguments.timeout
    while not settled(app) and time.monotonic() < deadline:
        time.sleep(1)
    count = -1
    while count != handler.count:  # quiet for 3 s: late duplicates would show
        count = handler.count
        time.sleep(3)
    cpu_used = {name: used - cpu_before[name] for name, used in groups.cpu().items()}
    messages = delivered(handler)
    checks = check(messages, wanted)
    big_panels = {f"panel-{c.panel_id}@" for c in big}
    big_messages = [m for m in messages if m.uid.split("@")[0] + "@" in big_panels]
    last = max((m.at for m in big_messages), default=first_request)
    with handler.lock:
        raws = [
            (recipients[0], raw)
            for at, recipients, raw in handler.messages
            if at >= first_request and calendar_fields(raw) is not None
        ]
        handler.counting_only = True
    raws = raws[: len(big_messages)]
    loop_cpu = time.process_time()
    loop_seconds = plain_loop(raws, smtp_port)
    loop_cpu = time.process_time() - loop_cpu
    checks["floor"] = floor(app, raws, handler, groups)
    worker_rate = len(big_messages) / max(last - first_request, 1e-9)
    per_message = {name: used * 1000 / max(len(big_messages), 1) for name, used in cpu_used.items()}
    per_message["plain loop (client and SMTP server)"] = loop_cpu * 1000 / max(len(raws), 1)
    checks["cpu_ms"] = per_message
    checks["timeline"] = timeline(app, first_wall, [m.at - first_request for m in big_messages])
    return results, checks, (worker_rate, len(raws) / loop_seconds, len(big_messages))


def timeline(app: Any, first_wall: datetime, arrivals: list[float]) -> str:
    """When the big conferences' fan-out jobs were all expanded (their last `finished_at`,
    seconds after the first request), how many of their messages had arrived by then, and
    how long the rest took."""
    from registration.database import db
    from registration.jobs.models import Job

    with app.app_context():
        expanded = db.session.scalar(
            select(func.max(Job.finished_at)).where(Job.created_at >= first_wall)
        )
        db.session.remove()
    if expanded is None or not arrivals:
        return "no job finished"
    until = (expanded - first_wall).total_seconds()
    early = sum(1 for at in arrivals if at <= until)
    return (
        f"the jobs were expanded {until:.1f} s after the first request, {early} messages "
        f"sent by then; the last message at {max(arrivals):.1f} s"
    )


def report(
    results: list[Timed], checks: dict, rate: tuple[float, float, int], arguments: Any
) -> None:
    print()
    print("| Action | Attendees | Requests | median ms | p99 ms | max ms | p99 vs small |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    p99s: dict[str, float] = {}
    for timed in results:
        ordered = sorted(timed.seconds)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
        p99s.setdefault(timed.action, p99)
        ratio = p99 / p99s[timed.action]
        print(
            f"| {timed.action} | {timed.attendees} | {len(ordered)} "
            f"| {statistics.median(ordered) * 1000:.0f} | {p99:.0f} | {ordered[-1] * 1000:.0f} "
            f"| {ratio:.2f} |"
        )
    worker_rate, loop_rate, count = rate
    print()
    print(
        f"Delivered: {checks['messages']} calendar messages; twice: {checks['twice']}; "
        f"out of order: {checks['out_of_order']}; attendees without their final update: "
        f"{checks['missing']}."
    )
    print(
        "CPU ms per message of the big conferences (from their first request to the last "
        "message): " + "; ".join(f"{name} {ms:.1f}" for name, ms in checks["cpu_ms"].items()) + "."
    )
    print(
        f"Throughput ({count} messages of the {arguments.attendees}-attendee conferences): "
        f"2 worker processes {worker_rate:.0f}/s from the first request to the last message; "
        f"plain smtplib loop {loop_rate:.0f}/s; ratio {worker_rate / loop_rate:.2f}."
    )
    print(f"Timeline: {checks['timeline']}.")
    floor = checks["floor"]
    print(
        f"Floor (the same {count} messages as stored outbox rows: 2 worker processes claim, "
        f"send and mark them, nothing to expand or compose): {floor['rate']:.0f}/s, "
        f"ratio {floor['rate'] / loop_rate:.2f}; CPU ms per message: Celery workers "
        f"{floor['workers_ms']:.1f}, PostgreSQL backends {floor['postgres_ms']:.1f}."
    )


if __name__ == "__main__":
    main()
