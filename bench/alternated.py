"""Two trees' warm processes answering the same requests in turn, and the table of the pairs.

A shared machine's speed drifts by tens of per cent within a minute, so runs of one tree
after the other cannot resolve a 10 % difference. Each tree serves from its own process (its
own virtualenv and throwaway database), started as a gunicorn worker starts: the app built,
`gc.freeze()` (gunicorn.conf.py's post_worker_init), then warm-up requests. The driver asks
both for the same case in turn (A B, then B A in the next round), so the two requests of a
pair see the same machine within milliseconds. Each process measures its own CPU time
(`time.process_time`: user and system, as /proc/<pid>/stat counts it) around the request,
and the time its garbage collections took inside it.

The protocol: the driver writes a case per line on the worker's stdin; the worker answers
one JSON line, {"cpu": ms, "gc": ms, "bytes": n} for a measured request (anything else it
prints is the app's own output and is skipped). The worker says {"ready": true} once warm.
This module is imported by both sides: only the standard library at import time.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

Figures = dict[str, Any]
Pair = tuple[Figures, Figures]


# --- worker side -------------------------------------------------------------------------


class CpuClock:
    """This process's CPU time around one request, and the part of it garbage collection took."""

    def __init__(self) -> None:
        self.gc_ms = 0.0
        self._started = 0.0
        gc.callbacks.append(self._on_gc)

    def _on_gc(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.process_time()
        else:
            self.gc_ms += (time.process_time() - self._started) * 1000

    def measure(self, request: Callable[[], Any]) -> tuple[Any, Figures]:
        """`request()`'s response (a werkzeug TestResponse) and its figures."""
        self.gc_ms = 0.0
        before = time.process_time()
        response = request()
        cpu = (time.process_time() - before) * 1000
        return response, {"cpu": cpu, "gc": self.gc_ms, "bytes": len(response.data)}


def freeze() -> None:
    """What gunicorn.conf.py's post_worker_init does once the app is built."""
    gc.collect()
    gc.freeze()


def answer(figures: Figures) -> None:
    print(json.dumps(figures), flush=True)


# --- driver side -------------------------------------------------------------------------


class Worker:
    """One tree's serving process (`script` in `tree` with its .venv), spoken to line by line."""

    def __init__(self, tree: Path, script: str, options: Sequence[str]) -> None:
        command = [str(tree / ".venv/bin/python"), script, "--serve", *options]
        self.process = subprocess.Popen(
            command, cwd=tree, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )

    def read(self) -> Figures:
        assert self.process.stdout is not None
        while line := self.process.stdout.readline():
            if line.startswith("{"):  # anything else is the app's own output
                return json.loads(line)
        raise SystemExit(f"worker {self.process.args} stopped")

    def ask(self, case: str) -> Figures:
        assert self.process.stdin is not None
        self.process.stdin.write(case + "\n")
        self.process.stdin.flush()
        return self.read()

    def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)


def alternate(
    a: Worker, b: Worker, cases: Sequence[str], rounds: int
) -> tuple[dict[str, list[Pair]], str]:
    """Each case of each round asked of A then B (B then A in odd rounds): per case the pairs
    (A's figures, B's), and the range of the 1-minute load average over the run."""
    a.read(), b.read()  # both ready
    samples: dict[str, list[Pair]] = {case: [] for case in cases}
    loads = [os.getloadavg()[0]]
    for round_ in range(rounds):
        for case in cases:
            if round_ % 2:
                second, first = b.ask(case), a.ask(case)
            else:
                first, second = a.ask(case), b.ask(case)
            samples[case].append((first, second))
        loads.append(os.getloadavg()[0])
    return samples, f"load average {min(loads):.2f}-{max(loads):.2f}"


def quartiles(values: list[float]) -> str:
    q1, _, q3 = statistics.quantiles(values, n=4)
    return f"{q1:.2f}-{q3:.2f}"


def print_table(samples: dict[str, list[Pair]]) -> None:
    """Markdown: per case the medians of each tree, the median of the pairs' ratios B/A with
    its interquartile range and range, the GC time and the size of the first answers."""
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
