"""The Alembic migrations build the schema the models describe, up and down, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from registration.database import db
from tests.apps import empty_database, extra_app


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_app(request: pytest.FixtureRequest, app: Flask, tmp_path: Path) -> Iterator[Flask]:
    """An app on a brand-new empty database of each kind."""
    with (
        empty_database(request.param, tmp_path) as uri,
        extra_app(uri, tmp_path, restore=app) as application,
        application.app_context(),
    ):
        yield application
        db.session.remove()


def _schema_diff() -> list[object]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        return compare_metadata(context, db.metadata)


def _tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_from_empty_creates_every_model_table(empty_app: Flask) -> None:
    assert _tables() == set()
    upgrade()
    assert _tables() == set(db.metadata.tables)


def test_models_match_the_migrations(empty_app: Flask) -> None:
    upgrade()
    assert _schema_diff() == []


def test_downgrade_to_base_and_upgrade_again(empty_app: Flask) -> None:
    upgrade()
    downgrade(revision="base")
    assert _tables() == set()
    upgrade()
    assert _tables() == set(db.metadata.tables)
    assert _schema_diff() == []
