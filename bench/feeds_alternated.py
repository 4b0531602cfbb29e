"""CPU time per feed request of two trees, alternated request by request.

A shared machine's speed drifts by tens of per cent within a minute, so runs of one tree
after the other cannot resolve a 10 % difference. Here each tree serves from its own warm
process (its own virtualenv and throwaway database, seeded by its own `bench.feeds`), and
the driver asks both for the same case in turn (A B, then B A), so the two requests of a
pair see the same machine within milliseconds. Each process measures its own CPU time
(`time.process_time`: user and system, as /proc/<pid>/stat counts it) around `client.get`,
and the time its garbage collections took inside that request.

A process starts as a gunicorn worker does: the app is built, `gc.freeze()` (gunicorn.conf.py's
post_worker_init), then warm-up requests, whose objects the collector keeps walking.

    python bench/feeds_alternated.py --a ../before --b . --b-query '?lang=kk' \
        --b-translated [--feed series] --rounds 400

Copy this script and bench/feeds.py into each tree (`git archive` of the commits); each
tree needs its own .venv. Prints a Markdown table: per case the medians of each tree, the
median of the pairs' ratios B/A with its interquartile range, and the GC time.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

CASES = ("cold", "venue", "panel")
FEEDS = {"conference": "big-forum", "series": "ttf-1"}  # the feed, and the conference it changes


def serve(feed: str, query: str, translated: bool) -> None:
    """Worker side: seed, warm up, then answer one case per line on stdin."""
    sys.path.insert(0, os.getcwd())
    from bench.feeds import (
        CONFERENCE,
        SERIES,
        bench_app,
        database,
        move_conference,
        seed,
        touch_one_panel,
    )
    from registration.calendars import services

    gc_ms = [0.0]
    started = [0.0]

    def on_gc(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.process_time()
        else:
            gc_ms[0] += (time.process_time() - started[0]) * 1000

    gc.callbacks.append(on_gc)
    with database(os.environ["DATABASE_URL"]) as url:
        os.environ["DATABASE_URL"] = url
        app = bench_app()
        if translated:
            seed(app, True)
        else:
            seed(app)
        client = app.test_client()
        path = (CONFERENCE if feed == "conference" else SERIES) + query
        slug = FEEDS[feed]

        def prepare(case: str) -> None:
            if case == "cold":
                services.clear_caches()
            elif case == "venue":
                move_conference(app, slug, f"Venue {uuid.uuid4().hex[:6]}")
            else:
                touch_one_panel(app, slug, f"Title {uuid.uuid4().hex[:6]}")

        gc.collect()
        gc.freeze()
        for _ in range(3):
            for case in CASES:
                prepare(case)
                assert client.get(path).status_code == 200
        print(json.dumps({"ready": True}), flush=True)
        for line in sys.stdin:
            case = line.strip()
            prepare(case)
            gc_ms[0] = 0.0
            before = time.process_time()
            response = client.get(path)
            cpu = (time.process_time() - before) * 1000
            assert response.status_code == 200, response.status
            print(json.dumps({"cpu": cpu, "gc": gc_ms[0], "bytes": len(response.data)}), flush=True)


class Worker:
    """One tree's serving process, spoken to line by line."""

    def __init__(self, tree: Path, feed: str, query: str, translated: bool) -> None:
        command = [str(tree / ".venv/bin/python"), "bench/feeds_alternated.py", "--serve"]
        command += ["--feed", feed]
        command += ["--query", query] + (["--translated"] if translated else [])
        self.process = subprocess.Popen(
            command, cwd=tree, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def read(self) -> dict[str, float]:
        assert self.process.stdout is not None
        while line := self.process.stdout.readline():
            if line.startswith("{"):  # anything else is the app's own output
                return json.loads(line)
        raise SystemExit(f"worker {self.process.args} stopped")

    def ask(self, case: str) -> dict[str, float]:
        assert self.process.stdin is not None
        self.process.stdin.write(case + "\n")
        self.process.stdin.flush()
        return self.read()

    def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)


def quartiles(values: list[float]) -> str:
    q1, _, q3 = statistics.quantiles(values, n=4)
    return f"{q1:.2f}-{q3:.2f}"


def drive(args: argparse.Namespace) -> None:
    a = Worker(Path(args.a).resolve(), args.feed, args.a_query, args.a_translated)
    b = Worker(Path(args.b).resolve(), args.feed, args.b_query, args.b_translated)
    a.read(), b.read()
    samples: dict[str, list[tuple[dict[str, float], dict[str, float]]]] = {c: [] for c in CASES}
    loads = [os.getloadavg()[0]]
    for round_ in range(args.rounds):
        for case in CASES:
            if round_ % 2:
                second, first = b.ask(case), a.ask(case)
            else:
                first, second = a.ask(case), b.ask(case)
            samples[case].append((first, second))
        loads.append(os.getloadavg()[0])
    a.stop(), b.stop()
    load = f"load average {min(loads):.2f}-{max(loads):.2f}"
    print(f"{args.feed} feed, {args.rounds} rounds; {load}\n")
    print("| Case | A ms (median) | B ms (median) | B/A per pair: median | IQR | range |", end="")
    print(" A GC ms (sum) | B GC ms (sum) | bytes A / B |")
    print("|---|---:|---:|---:|---|---|---:|---:|---|")
    for case, pairs in samples.items():
        ratios = [y["cpu"] / x["cpu"] for x, y in pairs]
        print(
            f"| {case} | {statistics.median(x['cpu'] for x, _ in pairs):.1f} "
            f"| {statistics.median(y['cpu'] for _, y in pairs):.1f} "
            f"| {statistics.median(ratios):.3f} | {quartiles(ratios)} "
            f"| {min(ratios):.2f}-{max(ratios):.2f} "
            f"| {sum(x['gc'] for x, _ in pairs):.0f} | {sum(y['gc'] for _, y in pairs):.0f} "
            f"| {pairs[0][0]['bytes']:.0f} / {pairs[0][1]['bytes']:.0f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help="worker side (started by the driver)")
    parser.add_argument("--feed", choices=FEEDS, default="conference")
    parser.add_argument("--query", default="")
    parser.add_argument("--translated", action="store_true")
    parser.add_argument("--a", help="tree A (the commit before)")
    parser.add_argument("--b", help="tree B")
    parser.add_argument("--a-query", default="")
    parser.add_argument("--b-query", default="")
    parser.add_argument("--a-translated", action="store_true", help="ru and kk texts in A")
    parser.add_argument("--b-translated", action="store_true", help="ru and kk texts in B")
    parser.add_argument("--rounds", type=int, default=100)
    args = parser.parse_args()
    if args.serve:
        serve(args.feed, args.query, args.translated)
    else:
        drive(args)


if __name__ == "__main__":
    main()
