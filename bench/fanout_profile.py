"""CPU cost of the fan-out send path, in process: expanding a job, then delivering its mail.

    python -m bench.fanout_profile [--attendees 1000] [--profile expand|deliver]

A throwaway PostgreSQL database (as `bench/fanout.py`: migrated, CICA members, one
published hybrid conference of one panel and N approved attendees), a private
redis-server (the broker the services publish to; nothing consumes it) and an SMTP server
in a child process that accepts and drops every message. The panel is moved (the
conference services' own job), the job is run in this process as a worker runs it, then
its outbox rows are delivered MAIL_BATCH_SIZE at a time as `send_mail_batch` does. CPU per
message: this thread's (`time.thread_time`) and the PostgreSQL backends' of the bench
database (from /proc); with --profile, a cProfile of that stage (CPU time) is printed.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fanout import Groups, database, free_port, prepare, seed, wait_for_port  # noqa: E402

SMTP_SINK = (
    "import sys, threading\n"
    "from aiosmtpd.controller import Controller\n"
    "class Sink:\n"
    "    async def handle_DATA(self, server, session, envelope):\n"
    "        return '250 OK'\n"
    "Controller(Sink(), hostname='127.0.0.1', port=int(sys.argv[1])).start()\n"
    "threading.Event().wait()\n"
)


def postgres_cpu(groups: Groups) -> float:
    return groups.cpu()["PostgreSQL backends"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attendees", type=int, default=1000)
    parser.add_argument("--profile", choices=["expand", "deliver"], default=None)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-fanout-profile-"))
    redis_port, smtp_port = free_port(), free_port()
    children = [
        subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(redis_port),
             "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(work)],
            stdout=subprocess.DEVNULL,
        ),
        subprocess.Popen([sys.executable, "-c", SMTP_SINK, str(smtp_port)]),
    ]  # fmt: skip
    try:
        wait_for_port(redis_port)
        wait_for_port(smtp_port)
        with database(arguments.database_url) as url:
            os.environ.update(
                {
                    "DATABASE_URL": url,
                    "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
                    "REDIS_KEY_PREFIX": "",
                    "MAIL_SERVER": "127.0.0.1",
                    "MAIL_PORT": str(smtp_port),
                    "MAIL_RATE_PER_MINUTE": "0",
                    "SECRET_KEY": "bench-secret",
                    "BASE_URL": "http://127.0.0.1:5000",
                    "MAILBOX_FOLDER": str(work / "mailbox"),
                }
            )
            app = prepare(url)
            (seeded,) = seed(app, arguments.attendees, 1, "profile")
            from sqlalchemy.engine import make_url

            groups = Groups(-1, -1, -1, make_url(url))
            run(app, seeded.panel_id, groups, arguments)
            with app.app_context():
                from registration.database import db

                db.engine.dispose()
    finally:
        for child in children:
            child.terminate()
            child.wait()
        shutil.rmtree(work, ignore_errors=True)


def run(app: Any, panel_id: int, groups: Groups, arguments: argparse.Namespace) -> None:
    from registration.conferences.changes import CALENDAR_UPDATES
    from registration.conferences.models import Panel
    from registration.database import db
    from registration.jobs import services as jobs
    from registration.mail import services as mail
    from registration.mail.models import MailStatus, OutgoingMail

    profiler = cProfile.Profile(time.thread_time) if arguments.profile else None
    with app.app_context():
        panel = db.session.get_one(Panel, panel_id)
        panel.sequence += 1
        job = jobs.start(
            CALENDAR_UPDATES, "bench", conference_id=panel.conference_id, panel_ids=[panel_id]
        )
        job_id = job.id
        db.session.commit()
        cpu, database = time.thread_time(), postgres_cpu(groups)
        if profiler and arguments.profile == "expand":
            profiler.enable()
        written = jobs.run(job_id)
        if profiler:
            profiler.disable()
        expand = (time.thread_time() - cpu, postgres_cpu(groups) - database)
        ids = list(
            db.session.scalars(
                db.select(OutgoingMail.id)
                .where(OutgoingMail.status == MailStatus.QUEUED)
                .order_by(OutgoingMail.id)
            )
        )
        db.session.commit()
        size = app.config["MAIL_BATCH_SIZE"]
        cpu, database, wall = time.thread_time(), postgres_cpu(groups), time.perf_counter()
        if profiler and arguments.profile == "deliver":
            profiler.enable()
        for start in range(0, len(ids), size):
            mail.deliver_many(ids[start : start + size])
        if profiler:
            profiler.disable()
        deliver = (time.thread_time() - cpu, postgres_cpu(groups) - database)
        wall = time.perf_counter() - wall
        sent = db.session.scalar(
            db.select(db.func.count()).where(OutgoingMail.status == MailStatus.SENT)
        )
        mail.close_connection()
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"{written} messages queued, {sent} sent; load average {load}")
    print("| stage | worker CPU ms/message | PostgreSQL CPU ms/message |")
    print("|---|---:|---:|")
    for name, (worker, postgres) in (("expand the job", expand), ("deliver", deliver)):
        print(f"| {name} | {worker * 1000 / written:.2f} | {postgres * 1000 / written:.2f} |")
    print(f"Delivery wall clock: {written / wall:.0f} messages/s in one thread")
    if profiler is not None:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(arguments.top)
        stats.sort_stats("tottime").print_stats(arguments.top)


if __name__ == "__main__":
    main()
