"""Finding an institution by a name typed in any of its languages, and telling which
language a typed name is written in when it names no known institution.

Each institution's names are kept `normalised` in the `institution_names` table, one row per
language, so a lookup is one indexed query however many institutions the directory holds
(it is on the registration POST's path). `init_hook` rewrites an institution's rows in the
flush that inserts it or changes its names, whoever saves it (a page, the API, the demo seed,
a test); the migration that made the table filled it with `name_rows` too. A change to
`normalised` therefore needs a migration that rewrites the table.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, bindparam, delete, event, insert, inspect
from sqlalchemy.orm import Mapper

from registration.database import db
from registration.directory.models import Institution, InstitutionName
from registration.stored_text import TEXT_LANGUAGES, Translations

# Quotation marks people type around or inside names: "", «», „“, '' and their kin.
_QUOTES = re.compile(
    "[\"'`\u00ab\u00bb\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2039\u203a]"
)
_SPACES = re.compile(r"\s+")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_KAZAKH = re.compile("[ӘәҒғҚқҢңӨөҰұҮүҺһІі]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")


def normalised(name: str) -> str:
    """A name as compared: quotes dropped, spaces collapsed, case folded (as stored in
    `institution_names`: a change here needs a migration that rewrites its rows)."""
    text = unicodedata.normalize("NFC", name)
    return _SPACES.sub(" ", _QUOTES.sub("", text)).strip().casefold()


def institution_by_name(name: str) -> Institution | None:
    """The institution one of whose names is `name`, compared `normalised`: a main name
    first, else a translation (the oldest institution if several); None if none is."""
    wanted = normalised(name)
    if not wanted:
        return None
    return db.session.scalar(_named(), {"wanted": wanted})


@cache
def _named() -> Select[tuple[Institution]]:
    """The lookup's statement, built once (it runs on every registration)."""
    return (
        db.select(Institution)
        .join(InstitutionName, InstitutionName.institution_id == Institution.id)
        .where(InstitutionName.normalised == bindparam("wanted"))
        .order_by(InstitutionName.main.desc(), InstitutionName.institution_id)
        .limit(1)
    )


def name_rows(
    institution_id: int, name: str, language: str, translations: Translations | None
) -> list[dict[str, Any]]:
    """The `institution_names` rows of an institution with these columns: its main name, and
    its name in each other language of TEXT_LANGUAGES that has one (a name that normalises
    to nothing finds nothing and has no row)."""
    names = [(language, True, name)] + [
        (code, False, (translations or {}).get(code, {}).get("name"))
        for code in TEXT_LANGUAGES
        if code != language
    ]
    return [
        {"institution_id": institution_id, "language": code, "main": main, "normalised": key}
        for code, main, text in names
        if text and (key := normalised(text))
    ]


NAMED_BY = ("name", "language", "translations")


def _write_names(connection: Connection, institution: Institution) -> None:
    table = InstitutionName.__table__
    connection.execute(delete(table).where(table.c.institution_id == institution.id))
    rows = name_rows(
        institution.id, institution.name, institution.language, institution.translations
    )
    if rows:
        connection.execute(insert(table), rows)


def _inserted(_mapper: Mapper[Institution], connection: Connection, target: Institution) -> None:
    _write_names(connection, target)


def _updated(_mapper: Mapper[Institution], connection: Connection, target: Institution) -> None:
    state = inspect(target)
    if any(state.attrs[field].history.has_changes() for field in NAMED_BY):
        _write_names(connection, target)


def init_hook() -> None:
    """Keep every saved institution's names current (once)."""
    for kind, listener in (("after_insert", _inserted), ("after_update", _updated)):
        if not event.contains(Institution, kind, listener):
            event.listen(Institution, kind, listener)


def typed_language(text: str, preferred: str) -> str:
    """The language a typed name is in, honestly: Cyrillic is Kazakh when it has one of
    Kazakh's own letters (`_KAZAKH`), else Russian (a Kazakh-speaking registrant
    typing an institution's Russian name is common; Kazakh names without those letters are
    rare), as the institutions' migration guessed; Latin is English; another script is
    undetermined ('und', BCP 47); no letters at all, `preferred` (the registration's)."""
    if _CYRILLIC.search(text):
        return "kk" if _KAZAKH.search(text) else "ru"
    if _LATIN.search(text):
        return "en"
    return "und" if any(ch.isalpha() for ch in text) else preferred
