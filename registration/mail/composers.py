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
_COMPOSERS: dict[str, Composer] = {}


def composes(name: str) -> Callable[[Composer], Composer]:
    """Decorator: `composer(intent)` writes the message, or returns None when there is
    nothing to say any more (the row is then SKIPPED)."""

    def register(composer: Composer) -> Composer:
        _COMPOSERS[name] = composer
        return composer

    return register


def compose_intent(name: str, intent: dict[str, Any]) -> Mail | None:
    try:
        composer = _COMPOSERS[name]
    except KeyError:
        raise LookupError(f"no mail composer registered as {name!r}") from None
    return composer(intent)
