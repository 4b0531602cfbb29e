"""Handlers by job kind: capabilities register theirs; the jobs package imports none."""

from __future__ import annotations

from collections.abc import Callable

from registration.jobs.models import Job

Handler = Callable[[Job], int]
_HANDLERS: dict[str, Handler] = {}


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
