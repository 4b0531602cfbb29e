"""What the property-based tests share: nasty input, submitting it, and the checks that
hold after every submission (no 500; nothing written unless the submission succeeded;
nothing stored that the input policy refuses).

After `submit`, `written()` tells which tables the submission wrote (and committed).

The number of examples per test is its budget below times FUZZ_SCALE (default 1); the
budgets add up to more than 5,000 submissions per run, on PostgreSQL in CI.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import String, Text, event, text
from werkzeug.test import TestResponse

from registration.database import db

SCALE = float(os.environ.get("FUZZ_SCALE", "1"))
SUBMISSIONS = {"count": 0}
OMIT = object()  # a field the client leaves out

# Values a person, a broken client or an attacker sends.
NASTY = [
    "", " ", "\x00", "a\x00b", "\r\n", "line one\r\nBcc: all@example.org", "\n", "\r", "\t",
    "\x0b", "\x1b[31m", "\x7f", "\u0085", "\u2028", "\u202e", "\ufeff", "%00", "%0d%0a",
    "'; DROP TABLE registrations; --", "<script>alert(1)</script>", "{{7*7}}", "${jndi:x}",
    "Қазақстан Республикасы", "中华人民共和国", "محمد", "١٢٣", "ǅ",
    "\U0001d518\U0001d52b\U0001d526",
    "9" * 400, "-1", "0", "1e309", "NaN", "-0", "2147483648", "99999999999999999999",
    "0001-01-01T00:00", "9999-12-31T23:59", "2030-02-30", "24:61", "Etc/GMT+14",
    "../../etc/passwd", "a@b", "@", "x" * 64 + "@" + "y" * 250 + ".org",
]  # fmt: skip


def any_text(max_size: int = 40) -> st.SearchStrategy[str]:
    """Any text a browser can send (every code point but surrogates), control characters
    included, lengths around the columns' limits, and the NASTY values."""
    return st.one_of(
        st.sampled_from(NASTY),
        st.text(st.characters(exclude_categories=("Cs",)), max_size=max_size),
        st.text(st.characters(codec="ascii"), max_size=max_size),
        st.builds(
            lambda letter, size: letter * size,
            st.sampled_from(["a", "Ж", "9", " "]),
            st.sampled_from([40, 64, 80, 120, 200, 201, 254, 255, 300, 301, 500, 501, 2001]),
        ),
    )


@dataclass(frozen=True)
class FieldSpec:
    """A form field: the value(s) a careful person sends, and what else may arrive."""

    valid: st.SearchStrategy[Any]
    mutation: st.SearchStrategy[Any]


def field(
    valid: Any, max_size: int = 40, mutation: st.SearchStrategy[Any] | None = None
) -> FieldSpec:
    """A field whose right value is `valid` (a value or a strategy); when the field is one
    of those an example mutates: anything at all (`mutation`, else any text), or left out."""
    right = valid if isinstance(valid, st.SearchStrategy) else st.just(valid)
    wrong = st.one_of(mutation if mutation is not None else any_text(max_size), st.just(OMIT))
    return FieldSpec(right, wrong)


def form(fields: dict[str, FieldSpec | st.SearchStrategy[Any]]) -> st.SearchStrategy[dict]:
    """A submission right but for up to three fields, mutated (see `field`); a plain
    strategy is drawn as it is. Most examples thus get past the validation of all the other
    fields, down to the service and the database, which is where NUL and lengths bite."""
    specs = {name: spec for name, spec in fields.items() if isinstance(spec, FieldSpec)}
    plain = {name: spec for name, spec in fields.items() if not isinstance(spec, FieldSpec)}

    def assemble(right: dict, wrong: dict, mutated: list[str], drawn: dict, extra: dict) -> dict:
        data = {**extra, **right, **drawn}
        for name in mutated:
            data[name] = wrong[name]
        return {name: value for name, value in data.items() if value is not OMIT}

    return st.builds(
        assemble,
        st.fixed_dictionaries({name: spec.valid for name, spec in specs.items()}),
        st.fixed_dictionaries({name: spec.mutation for name, spec in specs.items()}),
        st.lists(st.sampled_from(sorted(specs)), max_size=3, unique=True) if specs else st.just([]),
        st.fixed_dictionaries(plain),
        st.dictionaries(any_text(10), any_text(10), max_size=1),
    )


def fuzz(budget: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Hypothesis settings for a test worth `budget` examples (times FUZZ_SCALE)."""
    return settings(
        max_examples=max(1, int(budget * SCALE)),
        deadline=None,
        derandomize=bool(os.environ.get("CI")),
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )


# Every table a statement writes, also inside a WITH (the public form writes a registration,
# its panels and its audit entry in one statement); not FOR UPDATE or ON CONFLICT DO UPDATE.
_WRITE = re.compile(
    r"(?:\bINSERT\s+INTO|(?<!FOR\s)(?<!DO\s)\bUPDATE|\bDELETE\s+FROM)\s+\"?(\w+)", re.IGNORECASE
)
_PENDING = "fuzz.pending_writes"


class CommittedWrites:
    """The tables written by transactions that committed, as the engine saw them.

    What a refused submission must leave alone: a transaction it rolled back wrote nothing
    (the test cannot tell it from one that never started, and need not)."""

    def __init__(self, app: Flask) -> None:
        with app.app_context():
            self.engine = db.engine
        self.tables: set[str] = set()
        event.listen(self.engine, "before_cursor_execute", self._statement)
        event.listen(self.engine, "commit", self._commit)
        event.listen(self.engine, "rollback", self._rollback)

    def _statement(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        found = _WRITE.findall(statement)
        if found:
            conn.info.setdefault(_PENDING, set()).update(found)

    def _commit(self, conn: Any) -> None:
        self.tables |= conn.info.pop(_PENDING, set())

    def _rollback(self, conn: Any) -> None:
        conn.info.pop(_PENDING, None)

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._statement)
        event.remove(self.engine, "commit", self._commit)
        event.remove(self.engine, "rollback", self._rollback)


TRACKER: dict[str, CommittedWrites] = {}  # set by tests/fuzz/conftest.py for each test


def submit(client: FlaskClient, method: str, url: str, **kwargs: Any) -> TestResponse:
    """One submission; anything but a 5xx is an answer. `written()` tells what it wrote."""
    tracker = TRACKER["app"]
    tracker.tables = set()
    response = client.open(url, method=method, **kwargs)
    SUBMISSIONS["count"] += 1
    assert response.status_code < 500, (
        f"{method} {url} -> {response.status_code}: {response.get_data(as_text=True)[:500]}"
    )
    return response


def written() -> set[str]:
    """The tables the last submission wrote in transactions that committed."""
    return set(TRACKER["app"].tables)


def succeeded(response: TestResponse) -> bool:
    return response.status_code in {301, 302, 303}


def stored_text_problems(app: Flask) -> list[str]:
    """Columns holding what the input policy refuses: a control character in a single-line
    (VARCHAR) column, or one other than tab and newline in a multi-line (TEXT) one."""
    problems = []
    with app.app_context():
        postgres = db.engine.dialect.name == "postgresql"
        for table in db.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, Text):
                    pattern = "[\x01-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]"
                elif isinstance(column.type, String) and not getattr(column.type, "enums", None):
                    pattern = "[\x01-\x1f\x7f-\x9f\u2028\u2029]"
                else:
                    continue
                if postgres:
                    found = db.session.scalar(
                        text(f'SELECT count(*) FROM "{table.name}" WHERE "{column.name}" ~ :p'),
                        {"p": pattern},
                    )
                else:
                    values = db.session.scalars(text(f'SELECT "{column.name}" FROM "{table.name}"'))
                    found = sum(1 for v in values if v and re.search(pattern, v))
                if found:
                    problems.append(f"{table.name}.{column.name}: {found} rows")
        db.session.commit()
    return problems
