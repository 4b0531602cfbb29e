"""Which real servers this test run has, and what to do when a test needs a missing one.

Locally a missing server skips the tests that need it, saying so. Under CI
(`REQUIRE_SERVICES=1`, set by `.ci/run`) a missing server fails them instead.
"""

from __future__ import annotations

import os
import shutil
from urllib.parse import urlsplit

import pytest

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or ""


def database_url() -> str:
    return os.environ.get("DATABASE_URL", "")


def is_postgres() -> bool:
    return urlsplit(database_url()).scheme.startswith("postgres")


def redis_url() -> str:
    return os.environ.get("REDIS_URL", "")


def missing(reason: str) -> None:
    """Skip locally, fail under CI."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1: CI must have it)")
    pytest.skip(reason)


def check_markers(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres") and not is_postgres():
        missing("needs PostgreSQL: set DATABASE_URL=postgresql://...")
    if item.get_closest_marker("redis") and not redis_url():
        missing("needs Redis: set REDIS_URL=redis://...")
    if item.get_closest_marker("browser") and not CHROMIUM:
        missing("needs Debian's chromium (apt-get install chromium)")


def drop_redis_keys(prefix: str) -> None:
    """Delete this run's broker keys from the shared Redis (never FLUSHDB)."""
    if not redis_url() or not prefix:
        return
    import redis

    client = redis.Redis.from_url(redis_url())
    try:
        for key in client.scan_iter(match=f"{prefix}*", count=1000):
            client.delete(key)
    except redis.RedisError:
        pass
    finally:
        client.close()
