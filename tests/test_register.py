"""The register of outgoing correspondence: numbers never given twice nor skipped, also when
organisers issue at the same moment (PostgreSQL), and cancelled numbers stay in it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.correspondence import register
from registration.correspondence.models import EntryStatus, RegisterEntry
from registration.database import db

N = 24


@pytest.fixture
def ttf(app: Flask) -> int:
    with app.app_context():
        return register.create_scheme("TTF", "CICA Think Tank Forum", "TTF", "ТТФ", 374).id


def numbers(app: Flask) -> list[tuple[int, str]]:
    with app.app_context():
        entries = db.session.scalars(db.select(RegisterEntry).order_by(RegisterEntry.number))
        return [(e.number, e.status.value) for e in entries]


def test_the_reference_is_written_in_cyrillic_in_russian_and_kazakh(app: Flask, ttf: int) -> None:
    with app.app_context():
        entry = register.take_number(ttf, "Summary of the Ninth Meeting")
        db.session.commit()
        assert entry.reference("en") == "TTF/374"
        assert entry.reference("ru") == "ТТФ/374"
        assert entry.reference("kk") == "ТТФ/374"


@pytest.mark.postgres
def test_organisers_issuing_at_the_same_moment_get_consecutive_numbers(
    app: Flask, ttf: int
) -> None:
    """N transactions take a number at once; each holds its transaction open a little, one
    in three rolls back (its number goes back, nothing is skipped)."""
    start = threading.Barrier(N)

    def one(i: int) -> int | None:
        with app.app_context():
            start.wait()
            entry = register.take_number(ttf, f"Letter {i}")
            number = entry.number
            db.session.execute(db.text("SELECT pg_sleep(0.01)"))
            if i % 3 == 0:
                db.session.rollback()
                return None
            db.session.commit()
            return number

    with ThreadPoolExecutor(max_workers=N) as pool:
        taken = [n for n in pool.map(one, range(N)) if n is not None]
    kept = N - len(range(0, N, 3))
    assert sorted(taken) == list(range(374, 374 + kept))
    assert [n for n, _ in numbers(app)] == list(range(374, 374 + kept))
    with app.app_context():
        assert register.schemes()[0].next_number == 374 + kept


@pytest.mark.postgres
def test_a_second_transaction_waits_for_the_first_to_end(app: Flask, ttf: int) -> None:
    """The counter row is locked: the second organiser's number comes after the first
    commits, and is the next one."""
    first_has_number = threading.Event()
    release_first = threading.Event()
    order: list[str] = []

    def first() -> int:
        with app.app_context():
            entry = register.take_number(ttf, "First")
            first_has_number.set()
            release_first.wait(5)
            order.append("first commits")
            db.session.commit()
            return entry.number

    def second() -> int:
        first_has_number.wait(5)
        with app.app_context():
            timer = threading.Timer(0.3, release_first.set)
            timer.start()
            entry = register.take_number(ttf, "Second")
            order.append("second has its number")
            db.session.commit()
            return entry.number

    with ThreadPoolExecutor(max_workers=2) as pool:
        a, b = pool.submit(first), pool.submit(second)
        assert (a.result(10), b.result(10)) == (374, 375)
    assert order == ["first commits", "second has its number"]


def test_a_cancelled_number_stays_cancelled_and_is_not_given_again(
    app: Flask, organizer_client: FlaskClient, ttf: int
) -> None:
    for subject in ("Note on the summary", "Note on the programme"):
        response = organizer_client.post(f"/manage/register/{ttf}", data={"subject": subject})
        assert response.status_code == 302
    with app.app_context():
        entry_id = db.session.scalar(db.select(RegisterEntry.id).filter_by(number=374))
    empty = organizer_client.post(f"/manage/register/entries/{entry_id}/cancel", data={})
    assert "Say why the number is cancelled." in empty.text
    cancelled = organizer_client.post(
        f"/manage/register/entries/{entry_id}/cancel", data={"reason": "Sent by mistake"}
    )
    assert cancelled.status_code == 302
    organizer_client.post(f"/manage/register/{ttf}", data={"subject": "A third note"})
    assert numbers(app) == [(374, "cancelled"), (375, "issued"), (376, "issued")]
    page = organizer_client.get(f"/manage/register/{ttf}").text
    assert "Sent by mistake" in page
    assert "TTF/377" in page  # the next number
    with app.app_context():
        entry = db.session.get(RegisterEntry, entry_id)
        assert entry is not None
        assert entry.status is EntryStatus.CANCELLED
        with pytest.raises(register.RegisterError):
            register.cancel(entry, "again")


def test_the_register_is_for_organisers_only(
    app: Flask, make_organizer: Callable[..., object], ttf: int
) -> None:
    assert app.test_client().get("/manage/register/").status_code == 302


def test_a_scheme_code_taken_is_refused_next_to_the_field_and_the_scheme_kept(
    app: Flask, organizer_client: FlaskClient, ttf: int
) -> None:
    response = organizer_client.post(
        "/manage/register/",
        data={"code": "TTF", "name": "Another", "prefix": "TTF", "prefix_cyrillic": "ТТФ",
              "first_number": "1"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "A scheme with the code TTF exists already." in response.text
    assert 'value="Another"' in response.text
    with app.app_context():
        kept = [(s.code, s.name, s.next_number) for s in register.schemes()]
        assert kept == [("TTF", "CICA Think Tank Forum", 374)]
