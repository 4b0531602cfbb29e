"""In-process caches for feeds, panels' people and serialised events.

Eviction (least recently used) and expiry are cachetools' `LRUCache` and `TTLCache`; this
only puts each behind a lock, since cachetools' caches are not thread-safe and gunicorn may
serve with threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from cachetools import Cache, LRUCache, TTLCache

V = TypeVar("V")


class Locked(Generic[V]):
    """A cachetools cache, safe to share between threads."""

    def __init__(self, cache: Cache[Hashable, Any]) -> None:
        self._cache = cache
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            return self._cache.get(key)

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            self._cache[key] = value

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        """The cached value, else `make()`'s (called without the lock held), then kept."""
        found = self.get(key)
        if found is None:
            found = make()
            self.put(key, found)
        return found

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()

    def __len__(self) -> int:
        return len(self._cache)


def lru(maxsize: int, ttl: float | None = None) -> Locked[Any]:
    """At most `maxsize` entries, least recently used out first; with `ttl`, each entry
    also expires `ttl` seconds after it was put."""
    return Locked(TTLCache(maxsize, ttl) if ttl is not None else LRUCache(maxsize))
