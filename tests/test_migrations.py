"""The Alembic migrations build the schema the models describe, up and down, on both databases."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import Connection, insert, inspect, text

from registration.accounts.models import User
from registration.accounts.services import create_user
from registration.audit.models import AuditEntry
from registration.database import db
from registration.webhooks.models import WebhookSubscription
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


def _member_and_conference(connection: Connection, when: datetime) -> None:
    """Member 1 (KAZ) and conference 1, written as rows (the models may be newer)."""
    tables = db.metadata.tables
    connection.execute(
        insert(tables["members"]), [{"id": 1, "code": "KAZ", "name": "K", "kind": "member"}]
    )
    connection.execute(
        insert(tables["conferences"]),
        [{"id": 1, "slug": "c", "title": "C", "starts_at": when, "ends_at": when,
          "format": "hybrid"}],
    )  # fmt: skip


def test_calendar_state_is_carried_over_from_the_outbox_keys(empty_app: Flask) -> None:
    """What each attendee was last sent about each panel was read from outbox keys (two
    formats); the upgrade writes it into calendar_notices, so nobody is invited again."""
    upgrade(revision="0b7e4c1d9a52")
    tables = db.metadata.tables
    when = datetime(2030, 1, 1, tzinfo=UTC)
    keys = [
        "itip:1:panel-1:request:0",  # legacy: no mode; the SEQUENCE sent was the panel's
        "itip:1:panel-2:request:0:online:s0",
        "itip:1:panel-2:request:1:online:s1",  # the panel moved: the last one counts
        "itip:2:panel-1:request:0:in_person:s0",
        "itip:2:panel-1:cancel:0:s1",  # withdrawn
        "itip:2:panel-9:request:0:in_person:s0",  # a panel deleted since
        "reminder:1:panel-1",  # not a calendar message
    ]
    with db.engine.begin() as connection:
        _member_and_conference(connection, when)
        connection.execute(
            insert(tables["panels"]),
            [
                {"id": n, "conference_id": 1, "title": "P", "starts_at": when, "ends_at": when}
                for n in (1, 2)
            ],
        )
        connection.execute(
            insert(tables["registrations"]),
            [
                {
                    "id": n,
                    "conference_id": 1,
                    "member_id": 1,
                    "email": f"{n}@x.org",
                    "name": "N",
                    "mode": "online",
                }
                for n in (1, 2)
            ],
        )
        for key in keys:
            connection.execute(
                insert(tables["outgoing_mail"]),
                {
                    "idempotency_key": key,
                    "recipient": "a@x.org",
                    "subject": "S",
                    "message_id": "<m@x>",
                    "message": b"x",
                },
            )
    upgrade()
    with db.engine.connect() as connection:
        notices = connection.execute(
            text(
                "SELECT registration_id, panel_id, method, panel_sequence, sequence, mode"
                " FROM calendar_notices ORDER BY 1, 2"
            )
        ).all()
    assert [tuple(n) for n in notices] == [
        (1, 1, "REQUEST", 0, 0, None),
        (1, 2, "REQUEST", 1, 1, "online"),
        (2, 1, "CANCEL", 0, 1, None),
    ]


def test_document_titles_are_carried_over_as_stored_texts(empty_app: Flask) -> None:
    """{"en": ..., "ru": ...} titles become the title in the main language plus translations
    (English when there is one, else the first language), and back on a downgrade."""
    upgrade(revision="a4b7c1d9e2f3")
    when = datetime(2030, 1, 1, tzinfo=UTC)
    rows = [
        (1, {"en": "Summary", "ru": "Резюме", "kk": ""}),
        (2, {"ru": "Нота № ТТФ/374", "kk": "№ ТТФ/374 нота"}),
    ]
    with db.engine.begin() as connection:
        connection.execute(
            insert(db.metadata.tables["series"]), [{"id": 1, "slug": "ttf", "name": "TTF"}]
        )
        for row_id, titles in rows:
            connection.execute(
                text(
                    "INSERT INTO documents (id, series_id, kind, titles, visibility, status,"
                    " reference, created_at, updated_at) VALUES (:id, 1, 'summary', :titles,"
                    " 'public', 'draft', '', :when, :when)"
                ),
                {"id": row_id, "titles": json.dumps(titles), "when": when},
            )
    upgrade()
    with db.engine.connect() as connection:
        stored = connection.execute(
            text("SELECT id, title, language, translations FROM documents ORDER BY id")
        ).all()
    carried = [
        (n, title, language, json.loads(t) if isinstance(t, str) else t)
        for n, title, language, t in stored
    ]
    assert carried == [
        (1, "Summary", "en", {"ru": {"title": "Резюме"}}),
        (2, "Нота № ТТФ/374", "ru", {"kk": {"title": "№ ТТФ/374 нота"}}),
    ]
    downgrade(revision="a4b7c1d9e2f3")
    with db.engine.connect() as connection:
        back = connection.execute(text("SELECT titles FROM documents ORDER BY id")).scalars()
        titles = [json.loads(t) if isinstance(t, str) else t for t in back]
    assert titles == [
        {"en": "Summary", "ru": "Резюме"},
        {"ru": "Нота № ТТФ/374", "kk": "№ ТТФ/374 нота"},
    ]


def test_webhook_secrets_are_sealed_and_unsealed(empty_app: Flask) -> None:
    """Plain signing secrets are sealed with the app's key on the way up, and back down."""
    upgrade()
    owner = create_user("owner@cica.example", "a long enough password 1", name="Owner")
    made = WebhookSubscription(
        owner_id=owner.id, url="https://hooks.example.org/", events=[], secret="whsec_plain"
    )
    db.session.add(made)
    db.session.commit()
    assert made.sealed_secret != "whsec_plain"
    db.session.remove()
    downgrade(revision="5e7f9a1b2c34")
    with db.engine.connect() as connection:
        plain = connection.execute(text("SELECT secret FROM webhook_subscriptions")).scalar()
    assert plain == "whsec_plain"
    upgrade()
    with db.engine.connect() as connection:
        stored = connection.execute(text("SELECT secret FROM webhook_subscriptions")).scalar()
    assert stored.startswith("gAAAA")
    assert db.session.scalars(db.select(WebhookSubscription)).one().secret == "whsec_plain"


def test_institution_names_are_carried_over_in_their_language(empty_app: Flask) -> None:
    """Today's names stay as the main-language name; on PostgreSQL a Cyrillic name is taken
    for Kazakh when it has a letter of Kazakh's own, else for Russian."""
    upgrade(revision="9d4e5f6a7b82")
    names = ["Shanghai Institutes for International Studies", "Институт мировой экономики"]
    names.append("Шанхай халықаралық зерттеулер институты")
    with db.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO institutions (id, name) VALUES (:id, :name)"),
            [{"id": n, "name": name} for n, name in enumerate(names, 1)],
        )
    upgrade()
    with db.engine.connect() as connection:
        stored = connection.execute(
            text("SELECT name, language, translations FROM institutions ORDER BY id")
        ).all()
    languages = ["en", "ru", "kk"] if db.engine.dialect.name == "postgresql" else ["en"] * 3
    assert [(name, language) for name, language, _ in stored] == list(
        zip(names, languages, strict=True)
    )
    assert {json.dumps(t) if not isinstance(t, str) else t for *_, t in stored} == {"{}"}


def test_two_factor_keys_are_sealed_and_unsealed(empty_app: Flask) -> None:
    """Plain TOTP keys are sealed with the app's keys on the way up, and back down."""
    upgrade(revision="7a9b1c3d5e67")
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (email, name, password_hash, is_administrator, "
                "is_active_account, created_at, totp_secret) VALUES ('two@cica.example', '', "
                "'x', false, true, CURRENT_TIMESTAMP, 'JBSWY3DPEHPK3PXP')"
            )
        )
    upgrade()
    with db.engine.connect() as connection:
        sealed = connection.execute(text("SELECT totp_secret FROM users")).scalar()
    assert sealed.startswith("gAAAA")
    assert db.session.scalars(db.select(User)).one().totp_secret == "JBSWY3DPEHPK3PXP"
    db.session.remove()
    downgrade(revision="7a9b1c3d5e67")
    with db.engine.connect() as connection:
        plain = connection.execute(text("SELECT totp_secret FROM users")).scalar()
    assert plain == "JBSWY3DPEHPK3PXP"


def test_old_audit_notes_stay_as_stored_under_the_append_only_trigger(empty_app: Flask) -> None:
    """The note's values column is added without touching a row (PostgreSQL's trigger refuses
    UPDATE): an entry from before keeps its English text and shows it as stored."""
    upgrade(revision="a1c3e5f7b9d2")
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO audit_entries (id, at, actor_kind, actor, action, subject_type,"
                " subject, changes, note) VALUES (1, :when, 'organiser', 'Test Organiser',"
                " 'export.personal_data', 'export', 'Audit log (CSV)', '[]', '2 entries')"
            ),
            {"when": datetime(2026, 12, 1, tzinfo=UTC)},
        )
    upgrade()
    entry = db.session.get(AuditEntry, 1)
    assert (entry.note, entry.note_values, entry.note_words()) == ("2 entries", None, "2 entries")


def test_registrations_are_linked_to_the_institutions_they_name(empty_app: Flask) -> None:
    """A typed institution that is one of a known institution's names (any language, any
    case, quotes and spaces aside) is linked to it; each typed name gets its language."""
    upgrade(revision="5e2a9c4b7d18")
    when = datetime(2030, 1, 1, tzinfo=UTC)
    siis = {"ru": {"name": "Шанхайский институт международных исследований"}}
    typed = [
        (1, '  «шанхайский институт  международных исследований" ', "en"),
        (2, "SHANGHAI INSTITUTES FOR INTERNATIONAL STUDIES", "ru"),
        (3, "Қазақстан стратегиялық зерттеулер институты", "ru"),
        (4, "Институт мира", "kk"),
        (5, "", "kk"),
    ]
    with db.engine.begin() as connection:
        _member_and_conference(connection, when)
        connection.execute(
            text(
                "INSERT INTO institutions (id, name, language, translations)"
                " VALUES (7, 'Shanghai Institutes for International Studies', 'en', :names)"
            ),
            {"names": json.dumps(siis)},
        )
        for row_id, institution, language in typed:
            connection.execute(
                text(
                    "INSERT INTO registrations (id, conference_id, member_id, email, name,"
                    " position, institution, mode, role, language, mail_language,"
                    " consent_to_list, status, status_reason, feed_token, created_at,"
                    " updated_at) VALUES (:id, 1, 1, :email, 'N', '', :institution, 'online',"
                    " 'participant', 'en', :language, false, 'pending', '', :token, :when, :when)"
                ),
                {
                    "id": row_id,
                    "email": f"{row_id}@x.org",
                    "institution": institution,
                    "language": language,
                    "token": f"t{row_id}",
                    "when": when,
                },
            )
    upgrade()
    with db.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT id, institution_id, institution_language FROM registrations ORDER BY id")
        ).all()
    assert [tuple(row) for row in rows] == [
        (1, 7, "ru"),
        (2, 7, "en"),
        (3, None, "kk"),
        (4, None, "ru"),
        (5, None, "kk"),
    ]


def test_institution_names_are_stored_normalised_for_the_lookup(empty_app: Flask) -> None:
    """Each institution's main name and its names in the other languages are stored as the
    lookup compares them; an empty or main-language translation gives no row."""
    upgrade(revision="d4f6a8c0e2b5")
    translations = {
        "ru": {"name": "  «Шанхайский  институт» "},
        "kk": {"name": ""},
        "en": {"name": "Not its English name"},
    }
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO institutions (id, name, language, translations)"
                " VALUES (:id, :name, 'en', :names)"
            ),
            [
                {"id": 3, "name": "Shanghai Institutes", "names": json.dumps(translations)},
                {"id": 5, "name": '"ASAN"', "names": "{}"},
            ],
        )
    upgrade()
    with db.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT institution_id, language, main, normalised FROM institution_names"
                " ORDER BY institution_id, language"
            )
        ).all()
    assert [tuple(row) for row in rows] == [
        (3, "en", True, "shanghai institutes"),
        (3, "ru", False, "шанхайский институт"),
        (5, "en", True, "asan"),
    ]
    downgrade(revision="d4f6a8c0e2b5")
    assert "institution_names" not in _tables()
