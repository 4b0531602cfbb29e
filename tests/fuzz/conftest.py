"""Property-based tests (Hypothesis) of every form, upload and the check-in API.

After each test, nothing stored breaks the input policy; at the end of the run, the number
of submissions is reported, and under CI (REQUIRE_SERVICES=1) a complete run of these
tests must have made at least MINIMUM_SUBMISSIONS."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests import services
from tests.fuzz.support import (
    SCALE,
    SUBMISSIONS,
    TRACKER,
    CommittedWrites,
    stored_text_problems,
)

MINIMUM_SUBMISSIONS = 5_000
_run = {"collected": 0, "passed": 0}


@pytest.fixture(autouse=True)
def _writes_followed_and_checked(app: Flask) -> Iterator[None]:
    """Each submission's writes are followed (`written()`); after the test nothing stored
    breaks the input policy."""
    TRACKER["app"] = CommittedWrites(app)
    yield
    TRACKER.pop("app").close()
    assert stored_text_problems(app) == []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    _run["collected"] = sum(1 for item in items if "/tests/fuzz/" in str(item.path))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and report.passed and "tests/fuzz/" in report.nodeid:
        _run["passed"] += 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _run["collected"]:
        terminalreporter.write_line(
            f"Hypothesis: {SUBMISSIONS['count']} submissions (forms, uploads, check-in API, "
            f"URLs) in {_run['passed']} of {_run['collected']} property-based tests"
        )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    complete = _run["collected"] and _run["passed"] == _run["collected"] and SCALE >= 1
    if services.REQUIRE_SERVICES and complete and SUBMISSIONS["count"] < MINIMUM_SUBMISSIONS:
        print(f"\nToo few property-based submissions: {SUBMISSIONS['count']}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
