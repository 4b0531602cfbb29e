"""Instructions per registration request (GET form, POST), counted by callgrind.

CPU time moves with other people's load on a shared machine; the number of instructions
the process runs does not. This runs the flow of `bench/registration_profile.py` (its app
with production settings, its form; test client, its own PostgreSQL database) under
valgrind: warm-up flows uncounted, then collection switched on around each GET of N flows,
then around each POST of N more, and prints millions of instructions per request. It counts
this process's user-space instructions only: not PostgreSQL's work, not the kernel's round
trips.

Usage (from the project root; valgrind and a C compiler with valgrind's headers, Debian's
`valgrind` package; a few minutes):
    .venv/bin/python -m bench.registration_instructions [--warmup 30] [--flows 50]
        [--institutions 500]
It starts itself again under `valgrind --tool=callgrind`. Compare trees by running the same
script in each (copy it with registration_profile.py), one after the other: the counts
repeat to about 0.1 %. `--institutions N` adds N institutions named in English, Russian
and Kazakh to the directory first (the bench's own has none), none the name the form types.
"""

from __future__ import annotations

import argparse
import ctypes
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.registration_load import SLUG, bench_database, prepare  # noqa: E402
from bench.registration_profile import bench_app, registration_form  # noqa: E402

# Callgrind's client requests are macros (inline assembly): a tiny library exposes them.
TOGGLES = """#include <valgrind/callgrind.h>
void cg_start(void) { CALLGRIND_ZERO_STATS; CALLGRIND_START_INSTRUMENTATION; }
void cg_toggle(void) { CALLGRIND_TOGGLE_COLLECT; }
void cg_dump(const char *s) { CALLGRIND_DUMP_STATS_AT(s); }
"""


def toggles(folder: Path) -> ctypes.CDLL:
    source, library = folder / "toggles.c", folder / "toggles.so"
    source.write_text(TOGGLES)
    subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-o", library, source], check=True)
    return ctypes.CDLL(str(library))


def add_institutions(count: int) -> None:
    """`count` institutions, each with a name in en, ru and kk, main languages in turn."""
    from registration.database import db
    from registration.directory.models import Institution

    for n in range(count):
        names = {
            "en": f"Institute for Strategic Studies {n}",
            "ru": f"Институт стратегических исследований {n}",
            "kk": f"Стратегиялық зерттеулер институты {n}",
        }
        main = ("en", "ru", "kk")[n % 3]
        others = {code: {"name": text} for code, text in names.items() if code != main}
        db.session.add(Institution(name=names[main], language=main, translations=others))
    db.session.commit()


def measure(warmup: int, flows: int, folder: Path, query: str = "", institutions: int = 0) -> None:
    """Inside valgrind: the flows, collected request by request."""
    cg = toggles(folder)
    with bench_database() as database_url:
        prepare(database_url)
        from registration.database import db

        app = bench_app(database_url)
        with app.app_context():
            add_institutions(institutions)
        client = app.test_client()
        path = f"/conferences/{SLUG}/register{query}"

        def flow(n: int, counted: str | None) -> None:
            if counted == "get":
                cg.cg_toggle()
            page = client.get(path)
            if counted == "get":
                cg.cg_toggle()
            form = registration_form(page, n)
            if counted == "post":
                cg.cg_toggle()
            sent = client.post(path, data=form)
            if counted == "post":
                cg.cg_toggle()
            assert sent.status_code == 302, sent.status_code

        for n in range(warmup):
            flow(n, None)
        cg.cg_start()
        for kind in ("get", "post"):
            for n in range(flows):
                flow(warmup + n + (flows if kind == "post" else 0), kind)
            cg.cg_dump(kind.encode())
        with app.app_context():
            db.engine.dispose()


def under_callgrind(module: str, options: list[str], folder: str, per: int) -> dict[str, float]:
    """Run `module` again under callgrind with `options` and --inside=`folder`; millions of
    instructions per request (the dump's total over `per`) by the name each dump was given."""
    command = [
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        "--collect-atstart=no",
        f"--callgrind-out-file={folder}/out.%p",
        sys.executable,
        "-m",
        module,
        *options,
        f"--inside={folder}",
    ]
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    counts = {}
    for dump in Path(folder).glob("out.*"):
        found = dump.read_text(errors="replace")
        part = re.search(r"^desc: Trigger: Client Request: (\w+)", found, re.M)
        total = re.search(r"^(?:summary|totals): (\d+)", found, re.M)
        if part and total:
            counts[part.group(1)] = int(total.group(1)) / per / 1e6
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--flows", type=int, default=50)
    parser.add_argument("--query", default="", help="appended to the form's path: ?lang=kk")
    parser.add_argument("--institutions", type=int, default=0, help="added to the directory")
    parser.add_argument("--inside", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        measure(args.warmup, args.flows, Path(args.inside), args.query, args.institutions)
        return
    with tempfile.TemporaryDirectory() as folder:
        options = [
            f"--warmup={args.warmup}",
            f"--flows={args.flows}",
            f"--query={args.query}",
            f"--institutions={args.institutions}",
        ]
        counts = under_callgrind("bench.registration_instructions", options, folder, args.flows)
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(
        f"{args.flows} requests of each kind after {args.warmup} warm-up flows, "
        f"query {args.query!r}, {args.institutions} institutions added; load {load}"
    )
    print("| request | M instructions |")
    print("|---|---:|")
    for kind in ("get", "post"):
        print(f"| {kind.upper()} | {counts[kind]:.2f} |")
    print(f"| flow | {counts['get'] + counts['post']:.2f} |")


if __name__ == "__main__":
    main()
