"""Feed versions: one small read tells whether a feed changed since it was last made.

The conference services move a conference's `updated_at` on every change of it, of its
panels and of the people speaking at them, so for a conference the version is its own row
(one lookup by the unique slug), for a series and for all conferences the count and latest
`updated_at` of the conferences; personal feeds add the registration and the panels it
attends. The reads run on an autocommit engine without pre-ping (`version_engine`): an
unchanged feed, and so a 304, costs this one round trip.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any

from blinker import Namespace
from sqlalchemy import (
    URL,
    Engine,
    Row,
    Select,
    bindparam,
    case,
    create_engine,
    func,
    literal,
    select,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import ScalarSelect

from registration.calendars.cache import Locked, lru
from registration.conferences.models import Conference, ConferenceStatus, Panel, Series
from registration.database import db
from registration.signup.models import Registration, RegistrationPanel


def version_engine() -> Engine:
    """An engine for version reads: autocommit (no BEGIN / ROLLBACK round trips) and no
    pre-ping (a `SELECT 1` round trip at every checkout), one per database per process."""
    url = db.engine.url
    engine = _VERSION_ENGINES.get(url)
    if engine is None:
        options: dict[str, Any] = {"isolation_level": "AUTOCOMMIT", "pool_pre_ping": False}
        engine = _VERSION_ENGINES.setdefault(url, create_engine(url, **options))
    return engine


_VERSION_ENGINES: dict[URL, Engine] = {}


def read_version(statement: Select[Any], **parameters: object) -> Row[Any] | None:
    """A feed's version row: one small read, the whole cost of a 304.

    On PostgreSQL the row is read through the driver alone (a prepared statement on a pooled
    connection: about half the CPU of a SQLAlchemy execution) and its plain values are
    compared with those last seen for the same feed; only when they differ is it read again
    through SQLAlchemy, for typed values. Without pre-ping a connection the server closed
    fails on use; the pool then drops it and the read is tried once more on a new one.
    """
    engine = version_engine()
    if engine.dialect.name != "postgresql":
        return _retrying(_read_one, engine, statement, parameters)
    plain = _retrying(_read_plain, engine, statement, parameters)
    key = (id(statement), *sorted(parameters.items()))
    seen = _TYPED_VERSIONS.get(key)
    if seen is not None and seen[0] == plain:
        return seen[1]
    row = _retrying(_read_one, engine, statement, parameters)
    _TYPED_VERSIONS.put(key, (plain, row))
    return row


# Per feed: the plain values of its version row when last read, and the typed row.
_TYPED_VERSIONS: Locked[tuple[tuple[Any, ...] | None, Row[Any] | None]] = lru(4096)


def _retrying(read: Callable[..., Any], *args: Any) -> Any:
    try:
        return read(*args)
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
    return read(*args)


def _read_one(
    engine: Engine, statement: Select[Any], parameters: dict[str, Any]
) -> Row[Any] | None:
    with engine.connect() as connection:
        return connection.execute(statement, parameters).one_or_none()


def _read_plain(
    engine: Engine, statement: Select[Any], parameters: dict[str, Any]
) -> tuple[Any, ...] | None:
    """The row as the driver returns it, on an autocommit connection (nothing to end).

    SQLAlchemy's engine events do not see it: `version_read` is sent instead, so query counts
    (tests, benchmarks) can include it.
    """
    sql, constants = _driver_sql(engine, statement)
    values = {**constants, **parameters}
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        version_read.send(sql)
        cursor.execute(sql, values, prepare=True)
        row = cursor.fetchone()
        cursor.close()
    except engine.dialect.loaded_dbapi.Error as error:
        gone = engine.dialect.is_disconnect(error, connection.dbapi_connection, None)
        if gone:
            connection.invalidate()
        raise DBAPIError.instance(
            sql,
            values,
            error,
            engine.dialect.loaded_dbapi.Error,
            connection_invalidated=gone,
            dialect=engine.dialect,
        ) from error
    finally:
        connection.close()
    return tuple(row) if row is not None else None


version_read = Namespace().signal("calendars.version-read")

_DRIVER_SQL: dict[tuple[int, str], tuple[str, dict[str, Any]]] = {}


def _driver_sql(engine: Engine, statement: Select[Any]) -> tuple[str, dict[str, Any]]:
    """The statement compiled for the driver once, with its constant parameters."""
    key = (id(statement), engine.dialect.name)
    found = _DRIVER_SQL.get(key)
    if found is None:
        compiled = statement.compile(dialect=engine.dialect)
        found = _DRIVER_SQL.setdefault(key, (str(compiled), dict(compiled.params)))
    return found


def _panels_of(*where: ColumnElement[bool]) -> tuple[ScalarSelect[int], ScalarSelect[datetime]]:
    """Correlated subqueries: how many panels match and when the last of them changed."""
    panels = select(Panel).join(Conference, Conference.id == Panel.conference_id).where(*where)
    return (
        panels.with_only_columns(func.count(Panel.id)).scalar_subquery(),
        panels.with_only_columns(func.max(Panel.updated_at)).scalar_subquery(),
    )


PUBLISHED = Conference.status != ConferenceStatus.DRAFT
IN_SERIES = (Conference.series_id == Series.id, PUBLISHED)
ATTENDED = (
    Panel.id.in_(
        select(RegistrationPanel.panel_id).where(
            RegistrationPanel.registration_id == bindparam("registration_id")
        )
    ),
    PUBLISHED,
)


def _in(column: Any, translations: Any, record_language: Any, language: str | None) -> Any:
    """`column`'s text in `language`, else the record's own, picked by the database as
    `Translated.shown` picks it (None: the record's own column)."""
    if language is None:
        return column
    # `->` then `->>` (not the `#>>` path: its array parameter needs SQLAlchemy's processing,
    # which `_read_plain` skips)
    translated = func.nullif(translations[language][column.key].as_string(), "")
    return case((record_language == language, column), else_=func.coalesce(translated, column))


def _language_of(column: Any, translations: Any, record_language: Any, language: str) -> Any:
    """The language `_in` picks `column`'s text in: `language` where the record is in it or
    has the text in it, else the record's own (for the feed's LANGUAGE parameters)."""
    translated = func.nullif(translations[language][column.key].as_string(), "")
    return case(
        (record_language == language, record_language),
        (translated.isnot(None), literal(language)),
        else_=record_language,
    )


def _texts(columns: list[tuple[Any, ...]], language: str | None) -> list[Any]:
    """Each (column, translations, record language) in `language` (`_in`), then, in a feed in
    a language, the language each is in (`_language_of`)."""
    texts = [_in(*column, language) for column in columns]
    if language is None:
        return texts
    return texts + [_language_of(*column, language) for column in columns]


# The conference row is the version of its feed: the conference services move its
# `updated_at` on every change of the conference, of one of its panels (added, edited,
# cancelled, moved, removed) and of a person speaking at one of them. A single-row read by
# the unique slug, so a 304 costs one index lookup. Its title and theme (the feed's name and
# description) are in the feed's language: one statement per language (None: no `?lang=`),
# so a feed in a language reads nothing more than one without.
def _conference_version(language: str | None) -> Select[Any]:
    texts = (Conference.translations, Conference.language)
    return select(
        Conference.id,
        Conference.updated_at,
        Conference.sequence,
        Conference.status,
        *_texts([(Conference.title, *texts), (Conference.theme, *texts)], language),
    ).where(Conference.slug == bindparam("slug"), PUBLISHED)


def _panel_version(language: str | None) -> Select[Any]:
    """A panel's texts are in its conference's language, like the conference's own."""
    panel = (Panel.translations, Conference.language)
    texts = [
        (Panel.title, *panel),
        (Conference.title, Conference.translations, Conference.language),
        (Panel.theme, *panel),
    ]
    return (
        select(Conference.updated_at, Panel.updated_at, *_texts(texts, language))
        .join(Panel, Panel.conference_id == Conference.id)
        .where(Conference.slug == bindparam("slug"), Panel.id == bindparam("panel_id"), PUBLISHED)
    )


# Series and all conferences: the conferences' rows (every panel change moves its
# conference's `updated_at`), no scan of the panels.
def _series_version(language: str | None) -> Select[Any]:
    texts = (Series.translations, Series.language)
    return select(
        Series.id,
        Series.updated_at,
        select(func.count(Conference.id)).where(*IN_SERIES).scalar_subquery(),
        select(func.max(Conference.updated_at)).where(*IN_SERIES).scalar_subquery(),
        *_texts([(Series.name, *texts), (Series.description, *texts)], language),
    ).where(Series.slug == bindparam("slug"))


# Built once per language (the views accept only the configured ones): `read_version` keeps
# each statement's compiled SQL by its identity.
conference_version = cache(_conference_version)
panel_version = cache(_panel_version)
series_version = cache(_series_version)
CONFERENCE_VERSION = conference_version(None)
PANEL_VERSION = panel_version(None)
SERIES_VERSION = series_version(None)
ALL_VERSION = select(
    func.count(Conference.id),
    func.max(Conference.updated_at),
).where(PUBLISHED)
PERSONAL_VERSION = (
    select(
        Registration.feed_token,
        Registration.status,
        Registration.updated_at,
        *_panels_of(*ATTENDED),
        select(func.max(Conference.updated_at))
        .join(Panel, Panel.conference_id == Conference.id)
        .where(*ATTENDED)
        .scalar_subquery(),
        Conference.title,
        Conference.slug,
        Registration.mail_language,
        Conference.language,
    )
    .join(Conference, Conference.id == Registration.conference_id)
    .where(Registration.id == bindparam("registration_id"))
)
