"""Every catalogue (Russian, Kazakh) translates every string the code marks, with the same
placeholders, and the committed .mo is the .po compiled (README, "Languages")."""

from __future__ import annotations

import ast
import io
import tomllib
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "registration" / "translations"
# The keywords of the README's `pybabel extract`: Babel's defaults and those pyproject.toml
# adds for it ([tool.babel.extract_messages], which pybabel reads itself).
with (ROOT / "pyproject.toml").open("rb") as _pyproject:
    ADDED = tomllib.load(_pyproject)["tool"]["babel"]["extract_messages"]["keywords"]
KEYWORDS = {**DEFAULT_KEYWORDS, **parse_keywords(ADDED)}
CATALOGUES = ["ru", "kk"]


def read_catalogue(language: str) -> Catalog:
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=language)


@cache
def marked_strings() -> frozenset[str]:
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = extract_from_dir(str(ROOT), method_map, options_map, keywords=KEYWORDS)
    return frozenset(m[0] if isinstance(m, tuple) else m for _, _, m, _, _ in found)


def test_every_offered_language_but_english_has_a_catalogue(app: Flask) -> None:
    assert app.config["LANGUAGES"] == ["en", *CATALOGUES]


@pytest.mark.parametrize("language", CATALOGUES)
def test_every_message_is_translated(language: str) -> None:
    catalogue = read_catalogue(language)
    messages = [message for message in catalogue if message.id]
    assert len(messages) > 150
    for message in messages:
        assert not message.fuzzy, message.id
        strings = message.string if message.pluralizable else (message.string,)
        assert all(s.strip() for s in strings), f"untranslated in {language}: {message.id!r}"
    # Placeholders such as %(email)s agree between English and the translation.
    problems = [(message.id, errors) for message, errors in catalogue.check()]
    assert not problems


@pytest.mark.parametrize("language", CATALOGUES)
def test_the_compiled_catalogue_is_the_po_file(language: str) -> None:
    """messages.mo is committed: after editing a .po, run `pybabel compile` (README)."""
    compiled = io.BytesIO()
    write_mo(compiled, read_catalogue(language))
    compiled.seek(0)
    expected = _compiled(read_mo(compiled))
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo").open("rb") as mo:
        shipped = _compiled(read_mo(mo))
    assert shipped == expected


def _compiled(catalogue: Catalog) -> dict[object, object]:
    """id -> translation of a read .mo; a plural message's forms come back as lists."""
    return {(m.context, _hashable(m.id)): _hashable(m.string) for m in catalogue if m.id}


def _hashable(value: str | list[str] | tuple[str, ...]) -> str | tuple[str, ...]:
    return value if isinstance(value, str) else tuple(value)


@pytest.mark.parametrize("language", CATALOGUES)
def test_every_marked_string_is_in_the_catalogue(language: str) -> None:
    """A string marked in the code but missing from a .po would show in English: run
    `pybabel extract` and `pybabel update` (README), then translate it."""
    ids = {m.id[0] if isinstance(m.id, tuple) else m.id for m in read_catalogue(language) if m.id}
    assert marked_strings() - ids == set()
    assert ids - marked_strings() == set(), "obsolete messages: run `pybabel update`"


def test_every_gettext_function_the_code_imports_is_an_extraction_keyword() -> None:
    """A string marked with a function pybabel does not know (lazy_pgettext, or gettext
    imported under another name) would never reach the catalogue: add it to the keywords."""
    unknown = set()
    for path in (ROOT / "registration").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "flask_babel":
                for name in node.names:
                    used = name.asname or name.name
                    if "gettext" in name.name and used not in KEYWORDS:
                        unknown.add(f"{path.relative_to(ROOT)}: {used}")
    assert not unknown
    assert {"lazy_gettext", "lazy_ngettext", "lazy_pgettext"} <= set(KEYWORDS)
