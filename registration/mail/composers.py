"""Composers by name: capabilities register how to write their messages; mail imports none.

An outbox row may hold an intent (a composer's name and the ids it needs) instead of a
message; the worker that sends it calls the composer, so the message says what is true when
it goes, and a request that queues mail does not pay for composing it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from registration.mail.compose import Mail

Composer = Callable[[dict[str, Any]], Mail | None]
Preparer = Callable[[list[dict[str, Any]]], object]
_COMPOSERS: dict[str, Composer] = {}
_PREPARERS: dict[str, Preparer] = {}


def composes(name: str, prepare: Preparer | None = None) -> Callable[[Composer], Composer]:
    """Decorator: `composer(intent)` writes the message, or returns None when there is
    nothing to say any more (the row is then SKIPPED).

    `prepare(intents)`, if given, is called before a worker composes a batch of intents, to
    load what they need in a few queries instead of a few per message; the worker holds
    what it returns until the batch is sent (rows it loaded stay in the session then)."""

    def register(composer: Composer) -> Composer:
        _COMPOSERS[name] = composer
        if prepare is not None:
            _PREPARERS[name] = prepare
        return composer

    return register


def prepare_intents(intents: list[tuple[str, dict[str, Any]]]) -> list[object]:
    """Let each composer prepare its intents of a batch ((composer, intent) pairs)."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for name, intent in intents:
        grouped.setdefault(name, []).append(intent)
    return [_PREPARERS[name](group) for name, group in grouped.items() if name in _PREPARERS]


def compose_intent(name: str, intent: dict[str, Any]) -> Mail | None:
    try:
        composer = _COMPOSERS[name]
    except KeyError:
        raise LookupError(f"no mail composer registered as {name!r}") from None
    return composer(intent)
