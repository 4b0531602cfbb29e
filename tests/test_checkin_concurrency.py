"""Concurrent scans on PostgreSQL: a retried scan is one fact, two scanners make one record."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from flask import Flask

from registration.attendance.checkin import Scan, check_in
from registration.attendance.models import AttendanceEvent, AttendanceRecord
from registration.conferences.models import Conference
from registration.database import db
from tests.attendance_support import add_registration, payload_of

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("members")]
THREADS = 8


def scan_together(app: Flask, conference: int, bodies: list[Scan]) -> list[str]:
    barrier = Barrier(len(bodies))

    def one(body: Scan) -> str:
        with app.app_context():
            barrier.wait()
            outcome = check_in(db.session.get_one(Conference, conference), body, None)
            db.session.remove()
            return outcome.status

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(one, bodies))


def totals(app: Flask) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(db.select(db.func.count()).select_from(AttendanceRecord)),
            db.session.scalar(db.select(db.func.count()).select_from(AttendanceEvent)),
        )


def test_same_client_id_sent_at_once_is_recorded_once(
    app: Flask, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> None:
    conference = make_conference()
    panel = make_panel(conference)
    payload = payload_of(app, add_registration(app, conference, "Li Wei", member="CHN"))
    body = Scan("retry-storm-1", panel_id=panel, badge=payload)
    statuses = scan_together(app, conference, [body] * THREADS)
    assert statuses.count("checked_in") == 1
    assert statuses.count("duplicate") == THREADS - 1
    assert totals(app) == (1, 1)


def test_two_scanners_on_one_badge_make_one_record(
    app: Flask, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> None:
    conference = make_conference()
    panel = make_panel(conference)
    payload = payload_of(app, add_registration(app, conference, "Li Wei", member="CHN"))
    bodies = [Scan(f"scanner-{n}-0001", panel_id=panel, badge=payload) for n in range(THREADS)]
    statuses = scan_together(app, conference, bodies)
    assert set(statuses) <= {"checked_in", "already_checked_in"}
    assert totals(app) == (1, THREADS)
