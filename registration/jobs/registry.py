"""Handlers by job kind: capabilities register theirs; the jobs package imports none."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from registration.jobs.models import Job


@dataclass(frozen=True)
class Counts:
    """A job's progress counted by its own capability (not from its outbox rows)."""

    total: int
    done: int
    failed: int


Handler = Callable[[Job], int]
Counter = Callable[[Job], Counts | None]
_HANDLERS: dict[str, Handler] = {}
_COUNTERS: dict[str, Counter] = {}


def handles(kind: str) -> Callable[[Handler], Handler]:
    """Decorator: run `handler(job)` for jobs of this kind. It must be idempotent (a retried
    or duplicated job writes nothing twice), commit in chunks, and return rows written."""

    def register(handler: Handler) -> Handler:
        _HANDLERS[kind] = handler
        return handler

    return register


def handler_for(kind: str) -> Handler:
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise LookupError(f"no handler registered for jobs of kind {kind!r}") from None


def counts(kind: str) -> Callable[[Counter], Counter]:
    """Decorator: the progress of jobs of this kind is `counter(job)` (None: count the job's
    outbox rows, as for any job)."""

    def register(counter: Counter) -> Counter:
        _COUNTERS[kind] = counter
        return counter

    return register


def counter_for(kind: str) -> Counter | None:
    return _COUNTERS.get(kind)
