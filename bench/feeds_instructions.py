"""Instructions per feed request (the 1,000-panel conference), counted by callgrind.

The method of BENCHMARKS.md's "Feeds in Kazakh" sections, as a script: the database is made
and seeded outside valgrind (`bench.feeds.seed`, translated texts), then the process starts
again under `valgrind --tool=callgrind` with collection switched on only around
`client.get`: 3 warm-up renders uncounted, then 3 requests of each case (cold: caches
cleared first; after the venue changed; after one panel changed), each case dumped apart.
Counts this process's user-space instructions only (not PostgreSQL's), independent of load.

    .venv/bin/python -m bench.feeds_instructions --query '?lang=kk' [--kazakh-institutions]

Compare commits by copying this script and bench/feeds.py into a `git archive` of each.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.feeds import (  # noqa: E402
    CONFERENCE,
    bench_app,
    database,
    move_conference,
    seed,
    touch_one_panel,
)
from bench.registration_instructions import toggles, under_callgrind  # noqa: E402

SLUG = "big-forum"
CASES = ("cold", "venue", "panel")
# Institutions named in Russian and Kazakh (only where the column exists: after 8772465).
INSTITUTIONS = (
    "UPDATE institutions SET translations = jsonb_build_object("
    "'ru', jsonb_build_object('name', 'Институт стратегических исследований ' || id),"
    "'kk', jsonb_build_object('name', 'Стратегиялық зерттеулер институты ' || id))"
)


def measure(url: str, query: str, runs: int, folder: Path, freeze: bool) -> None:
    """Inside valgrind: warm-up renders, then each case collected request by request."""
    from registration.calendars import services

    cg = toggles(folder)
    os.environ["DATABASE_URL"] = url
    app = bench_app()
    client = app.test_client()
    path = CONFERENCE + query

    def get(counted: bool) -> int:
        if counted:
            cg.cg_toggle()
        response = client.get(path)
        if counted:
            cg.cg_toggle()
        assert response.status_code == 200, response.status
        return len(response.get_data())

    for n in range(3):
        services.clear_caches()
        size = get(False)
        move_conference(app, SLUG, f"Warm venue {n}")
        get(False)
        touch_one_panel(app, SLUG, f"Warm title {n}")
        get(False)
    gc.collect()
    if freeze:  # as gunicorn.conf.py's post_worker_init: start-up objects out of the GC's walks
        gc.freeze()
    cg.cg_start()
    for case in CASES:
        for n in range(runs):
            if case == "cold":
                services.clear_caches()
            elif case == "venue":
                move_conference(app, SLUG, f"Venue {n} {uuid.uuid4().hex[:4]}")
            else:
                touch_one_panel(app, SLUG, f"Edited title {n} {uuid.uuid4().hex[:4]}")
            get(True)
        cg.cg_dump(case.encode())
    (folder / "size").write_text(str(size))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--query", default="", help="appended to the feed's path: ?lang=kk")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--kazakh-institutions", action="store_true")
    parser.add_argument(
        "--freeze",
        action="store_true",
        help="gc.freeze() after the warm-up, as a gunicorn worker after start-up: without it a "
        "full collection (walking every module's objects) falls in some counted requests",
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--inside", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        measure(args.url, args.query, args.runs, Path(args.inside), args.freeze)
        return
    with database(args.database_url) as url, tempfile.TemporaryDirectory() as folder:
        os.environ["DATABASE_URL"] = url
        app = bench_app()
        seed(app, translated=True)
        if args.kazakh_institutions:
            from registration.database import db

            with app.app_context():
                db.session.execute(text(INSTITUTIONS))
                db.session.commit()
        with app.app_context():
            from registration.database import db

            db.engine.dispose()
        options = [f"--query={args.query}", f"--runs={args.runs}", f"--url={url}"]
        options += ["--freeze"] if args.freeze else []
        counts = under_callgrind("bench.feeds_instructions", options, folder, args.runs)
        size = (Path(folder) / "size").read_text()
        if os.environ.get("KEEP_CALLGRIND"):
            for dump in Path(folder).glob("out.*"):
                dump.replace(Path(os.environ["KEEP_CALLGRIND"]) / dump.name)
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(
        f"query {args.query!r}, kk institutions {args.kazakh_institutions}, "
        f"freeze {args.freeze}, feed {size} B"
    )
    print(f"{args.runs} requests per case after 3 warm-up rounds; load {load}")
    print(" | ".join(f"{case} {counts[case]:.1f} M" for case in CASES))


if __name__ == "__main__":
    main()
