"""Instructions per registration request (GET form, POST), counted by callgrind.

CPU time moves with other people's load on a shared machine; the number of instructions
the process runs does not. This runs the flow of `bench/registration_profile.py` (test
client, production settings, its own PostgreSQL database) under valgrind: warm-up flows
uncounted, then collection switched on around each GET of N flows, then around each POST
of N more, and prints millions of instructions per request. It counts this process's
user-space instructions only: not PostgreSQL's work, not the kernel's round trips.

Usage (from the project root; valgrind and a C compiler with valgrind's headers, Debian's
`valgrind` package; a few minutes):
    .venv/bin/python -m bench.registration_instructions [--warmup 30] [--flows 50]
It starts itself again under `valgrind --tool=callgrind`. Compare trees by running the same
script in each (copy it, as for the profile), one after the other: the counts repeat to
about 0.1 %.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import re
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.registration_load import SLUG, bench_database, prepare  # noqa: E402

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
MEMBER = re.compile(r'<option[^>]*? value="(\d+)"')
PANEL = re.compile(r'name="panels" type="checkbox" value="(\d+)"')
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


def measure(warmup: int, flows: int, folder: Path) -> None:
    """Inside valgrind: the flows, collected request by request."""
    cg = toggles(folder)
    with bench_database() as database_url:
        prepare(database_url)
        os.environ.update(
            {
                "DATABASE_URL": database_url,
                "SECRET_KEY": "bench-secret",
                "SESSION_COOKIE_SECURE": "0",
                "SIGNUP_RATE_LIMIT": "1000000 per minute",
                "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
            }
        )
        from registration import create_app
        from registration.database import db

        app = create_app()
        client = app.test_client()
        path = f"/conferences/{SLUG}/register"

        def flow(n: int, counted: str | None) -> None:
            if counted == "get":
                cg.cg_toggle()
            page = client.get(path)
            if counted == "get":
                cg.cg_toggle()
            body = page.get_data(as_text=True)
            assert page.status_code == 200, page.status_code
            token, member, panel = TOKEN.search(body), MEMBER.search(body), PANEL.search(body)
            assert token, "no CSRF token"
            assert member, "no member option"
            assert panel, "no panel checkbox"
            form = {
                "csrf_token": token.group(1),
                "name": f"Bench Person {n}",
                "position": "Researcher",
                "institution": "Load Test Institute",
                "email": f"bench{n}-{uuid.uuid4().hex[:6]}@example.org",
                "member": member.group(1) if n % 3 else str(int(member.group(1)) + n % 20),
                "mode": "in_person" if n % 2 else "online",
                "panels": panel.group(1),
                "role": "participant",
                "language": "en",
                "consent": "y",
            }
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--flows", type=int, default=50)
    parser.add_argument("--inside", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        measure(args.warmup, args.flows, Path(args.inside))
        return
    with tempfile.TemporaryDirectory() as folder:
        command = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            "--collect-atstart=no",
            f"--callgrind-out-file={folder}/out.%p",
            sys.executable,
            "-m",
            "bench.registration_instructions",
            f"--warmup={args.warmup}",
            f"--flows={args.flows}",
            f"--inside={folder}",
        ]
        subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        counts = {}
        for dump in Path(folder).glob("out.*"):
            text = dump.read_text(errors="replace")
            part = re.search(r"^desc: Trigger: Client Request: (\w+)", text, re.M)
            total = re.search(r"^(?:summary|totals): (\d+)", text, re.M)
            if part and total:
                counts[part.group(1)] = int(total.group(1)) / args.flows / 1e6
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(f"{args.flows} requests of each kind after {args.warmup} warm-up flows; load {load}")
    print("| request | M instructions |")
    print("|---|---:|")
    for kind in ("get", "post"):
        print(f"| {kind.upper()} | {counts[kind]:.2f} |")
    print(f"| flow | {counts['get'] + counts['post']:.2f} |")


if __name__ == "__main__":
    main()
