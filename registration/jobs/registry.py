"""Handlers by job kind: capabilities register theirs; the jobs package imports none."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask
from markupsafe import Markup

from registration.jobs.models import Job


@dataclass(frozen=True)
class Counts:
    """A job's progress counted by its own capability (not from its outbox rows)."""

    total: int
    done: int
    failed: int


Handler = Callable[[Job], int]
Counter = Callable[[Job], Counts | None]
Labeller = Callable[[Job], Markup]
_HANDLERS: dict[str, Handler] = {}
_COUNTERS: dict[str, Counter] = {}
_LABELLERS: dict[str, Labeller] = {}


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


def labels(kind: str) -> Callable[[Labeller], Labeller]:
    """Decorator: jobs of this kind are named `labeller(job)` in the page's language (markup,
    stored texts in it with their `lang`)."""

    def register(labeller: Labeller) -> Labeller:
        _LABELLERS[kind] = labeller
        return labeller

    return register


def label_of(job: Job) -> Markup:
    """The job's name for a page: its capability's words in the page's language, else the
    English label it was stored with, marked as English."""
    labeller = _LABELLERS.get(job.kind)
    if labeller is not None:
        return labeller(job)
    return Markup('<span lang="en">{}</span>').format(job.label)


def init_app(app: Flask) -> None:
    """Templates name a job with the `job_label` global (`label_of`)."""
    app.jinja_env.globals["job_label"] = label_of
