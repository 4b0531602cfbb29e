"""CPU time per registration request (GET the form, POST it) of two trees, alternated.

Each tree serves from its own warm process (bench/alternated.py says how and why) on its
own throwaway database, set up by its own bench.registration_load (`prepare`: members, one
published conference with three panels, capacity and quotas) and bench.registration_profile
(`bench_app`: the load test's production settings, CSRF and the rate limiter on). A worker
warms up with whole flows, then answers "get" (GET the form) and "post" (the answers its own
tree's `registration_form` reads from that page, POSTed; the form is built unmeasured), so a
round is A GET, B GET, A POST, B POST (B first in odd rounds). Every POST must be a redirect
to the confirmation page; at the end each worker counts the registrations written.

    python bench/registration_alternated.py --a ../before --b . --b-query '?lang=kk' \
        --b-translated --rounds 300

`?lang=kk` chooses the page's language (and so the mail's, the form's default); with
--translated the conference and its panels get Russian and Kazakh texts. Copy this script,
bench/alternated.py, bench/registration_load.py and bench/registration_profile.py into each
tree; each tree needs its own .venv. Prints a Markdown table per request and per flow
(GET + POST of the same pair): the medians of each tree, the median of the pairs' ratios
B/A with its interquartile range and range, and the GC time.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.alternated import (  # noqa: E402
    CpuClock,
    Figures,
    Pair,
    Worker,
    alternate,
    answer,
    freeze,
    print_table,
)

CASES = ("get", "post")
WARMUP = 30  # flows, as bench/registration_profile.py
TRANSLATE = (
    # Russian and Kazakh texts of the conference and its panels, as organisers type them.
    "UPDATE conferences SET translations = jsonb_build_object("
    "'ru', jsonb_build_object('title', 'Встреча для замеров', 'venue', 'Зал',"
    " 'city', 'Астана'),"
    "'kk', jsonb_build_object('title', 'Өлшеуге арналған кездесу', 'venue', 'Зал',"
    " 'city', 'Астана'))",
    "UPDATE panels SET translations = jsonb_build_object("
    "'ru', jsonb_build_object('title', 'Сессия ' || id),"
    "'kk', jsonb_build_object('title', 'Сессия ' || id))",
)
ROWS = "SELECT mail_language, count(*) FROM registrations GROUP BY 1 ORDER BY 1"


def translate(database_url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.begin() as connection:
        for statement in TRANSLATE:
            connection.execute(text(statement))
    engine.dispose()


def serve(query: str, translated: bool) -> None:
    """Worker side: set up, warm up, then answer one request per line on stdin."""
    from sqlalchemy import text

    from bench.registration_load import (
        REDIS_PREFIX,
        SLUG,
        bench_database,
        drop_redis_keys,
        prepare,
    )
    from bench.registration_profile import bench_app, registration_form
    from registration.database import db

    os.environ["REDIS_KEY_PREFIX"] = REDIS_PREFIX  # the limiter's and the queue's keys, dropped
    clock = CpuClock()
    with bench_database() as database_url:
        prepare(database_url)
        if translated:
            translate(database_url)
        app = bench_app(database_url)
        client = app.test_client()
        path = f"/conferences/{SLUG}/register{query}"
        posted = [0]
        page = None

        def post() -> Figures:
            form = registration_form(page, posted[0])
            sent, figures = clock.measure(lambda: client.post(path, data=form))
            assert sent.status_code in (302, 303), sent.get_data(as_text=True)[:2000]
            assert sent.location.endswith(f"/conferences/{SLUG}/register/submitted")
            posted[0] += 1
            return figures

        freeze()
        for _ in range(WARMUP):
            page = client.get(path)
            post()
        answer({"ready": True})
        for line in sys.stdin:
            case = line.strip()
            if case == "get":
                page, figures = clock.measure(lambda: client.get(path))
                assert page.status_code == 200, page.status
                answer(figures)
            elif case == "post":
                answer(post())
            elif case == "rows":  # the registrations written, by the language of their mail
                with app.app_context():
                    found = db.session.execute(text(ROWS)).all()
                    answer({"posted": posted[0], "rows": dict(found)})
                    db.session.remove()
                    db.engine.dispose()
    drop_redis_keys()


def flows(pairs_get: list[Pair], pairs_post: list[Pair]) -> list[Pair]:
    """Each round's GET and POST added up, per tree."""

    def total(get: Figures, post: Figures) -> Figures:
        return {key: get[key] + post[key] for key in ("cpu", "gc", "bytes")}

    return [
        (total(ga, pa), total(gb, pb))
        for (ga, gb), (pa, pb) in zip(pairs_get, pairs_post, strict=True)
    ]


def drive(args: argparse.Namespace) -> None:
    def worker(tree: str, query: str, translated: bool) -> Worker:
        options = ["--query", query] + (["--translated"] if translated else [])
        return Worker(Path(tree).resolve(), "bench/registration_alternated.py", options)

    a = worker(args.a, args.a_query, args.a_translated)
    b = worker(args.b, args.b_query, args.b_translated)
    samples, load = alternate(a, b, CASES, args.rounds)
    written = a.ask("rows"), b.ask("rows")
    a.stop(), b.stop()
    for found in written:
        assert found["posted"] == WARMUP + args.rounds == sum(found["rows"].values()), found
    samples["flow"] = flows(samples["get"], samples["post"])
    print(f"registration flow, {args.rounds} rounds; {load}")
    rows = ", ".join(f"{name} {found['rows']}" for name, found in zip("AB", written, strict=True))
    print(f"registrations written, by the language of their mail: {rows}\n")
    print_table(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help="worker side (started by the driver)")
    parser.add_argument("--query", default="")
    parser.add_argument("--translated", action="store_true")
    parser.add_argument("--a", help="tree A (the commit before)")
    parser.add_argument("--b", help="tree B")
    parser.add_argument("--a-query", default="", help="appended to A's form path: ?lang=kk")
    parser.add_argument("--b-query", default="", help="appended to B's form path: ?lang=kk")
    parser.add_argument("--a-translated", action="store_true", help="ru and kk texts in A")
    parser.add_argument("--b-translated", action="store_true", help="ru and kk texts in B")
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    if args.serve:
        serve(args.query, args.translated)
    else:
        drive(args)


if __name__ == "__main__":
    main()
