"""CPU time per feed request of two trees, alternated request by request.

Each tree serves from its own warm process, seeded by its own `bench.feeds`, and the driver
asks both for the same case in turn (bench/alternated.py says how and why).

    python bench/feeds_alternated.py --a ../before --b . --b-query '?lang=kk' \
        --b-translated [--feed series] [--cases venue] --rounds 400

Copy this script, bench/alternated.py and bench/feeds.py into each tree (`git archive` of the
commits); each tree needs its own .venv. Prints a Markdown table: per case the medians of
each tree, the median of the pairs' ratios B/A with its interquartile range, and the GC time.
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.alternated import CpuClock, Worker, alternate, answer, freeze, print_table  # noqa: E402

CASES = ("cold", "venue", "panel")
FEEDS = {"conference": "big-forum", "series": "ttf-1"}  # the feed, and the conference it changes


def serve(feed: str, query: str, translated: bool) -> None:
    """Worker side: seed, warm up, then answer one case per line on stdin."""
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

    clock = CpuClock()
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

        freeze()
        for _ in range(3):
            for case in CASES:
                prepare(case)
                assert client.get(path).status_code == 200
        answer({"ready": True})
        for line in sys.stdin:
            prepare(line.strip())
            response, figures = clock.measure(lambda: client.get(path))
            assert response.status_code == 200, response.status
            answer(figures)


def drive(args: argparse.Namespace) -> None:
    def worker(tree: str, query: str, translated: bool) -> Worker:
        options = ["--feed", args.feed, "--query", query]
        options += ["--translated"] if translated else []
        return Worker(Path(tree).resolve(), "bench/feeds_alternated.py", options)

    a = worker(args.a, args.a_query, args.a_translated)
    b = worker(args.b, args.b_query, args.b_translated)
    samples, load = alternate(a, b, args.cases, args.rounds)
    a.stop(), b.stop()
    print(f"{args.feed} feed, {args.rounds} rounds; {load}\n")
    print_table(samples)


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
    parser.add_argument(
        "--cases",
        nargs="+",
        choices=CASES,
        default=CASES,
        help="the cases each round asks in turn (one alone carries every collection it causes)",
    )
    args = parser.parse_args()
    if args.serve:
        serve(args.feed, args.query, args.translated)
    else:
        drive(args)


if __name__ == "__main__":
    main()
