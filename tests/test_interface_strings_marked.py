"""Every visible interface string of the site's pages is marked for translation (issue 13).

The app runs here with a pseudo-translation as its Kazakh catalogue: every msgid of the real
catalogue with its Latin letters turned into full-width ones ("Save" -> "Ｓａｖｅ"), placeholders
and markup kept. Pages are then asked for in Kazakh, so whatever went through the catalogue,
and every date Babel formats, holds no Latin letter. A Latin word left in a text node, or in an
aria-label, placeholder, title or alt, is either stored data (a name, a title typed in English,
an e-mail address: a value stored in the database, taken out of the text before looking, or
inside an element whose `lang` says it is not in the page's language) or an interface string
nobody marked: that fails the test.

The pages are every GET page of the app's routes for visitors, registrants (through their
personal links), organisers and focal points, filled with the demo data as the accessibility
walk fills them (tests/browser/site_walk.py), so a new page is checked without touching this
file. Every family is translated now; only the API's reference is excused (ENGLISH_ONLY).

What it cannot see: a label whose whole text is also a stored value (a stored "Online"
next to an unmarked "Online"), and strings only shown after a POST (most error messages; the
form tests in other languages check those where they matter).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from sqlalchemy import JSON, String, select

from registration.database import db
from registration.extensions import babel
from tests.apps import extra_app
from tests.browser.site_walk import (
    FOCAL_POINT,
    ORGANISER,
    Page,
    fill_site,
    pages,
    signed_in,
    tidy,
)

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("members")]

ROOT = Path(__file__).resolve().parent.parent
KAZAKH = ROOT / "registration" / "translations" / "kk" / "LC_MESSAGES" / "messages.po"
# Placeholders, markup and entities stay as they are: the code fills or reads them.
KEPT = re.compile(r"%\(\w+\)[sd]|%[sd%]|\{\w*\}|<[^>]*>|&\w+;|https?://\S+")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Words that are the same in every language: names of standards, formats and products.
SAME_IN_EVERY_LANGUAGE = {"UTC", "IANA", "PDF", "CSV", "QR", "API", "ICS", "JPEG", "PNG"}
# Products named on the calendar subscription page: Google Calendar, Outlook.com.
SAME_IN_EVERY_LANGUAGE |= {"Google", "Calendar", "Outlook", "com"}
# Pages in English by design: the API's reference, written for developers like its JSON
# messages (README, "API").
ENGLISH_ONLY = re.compile(r"^/api/")
# Elements whose text is not interface text: code, data lists, scripts.
NOT_TEXT = {"script", "style", "code", "datalist", "template", "pre"}
CHECKED_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")
INTERFACE: set[str] = set()  # the catalogue's msgids, filled with the pseudo-translation
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# Families translated last (they were excused until 2026-12-06): the walk must still reach
# them, with their data filled in, or this test would pass without looking at them.
WALKED_FAMILIES = [
    re.compile(pattern)
    for pattern in (
        r"^/manage/conferences/[^/]+/invitations/$",
        r"^/manage/conferences/[^/]+/registrations/bulk/[^/]+$",
        r"^/delegation/[^/]+/bulk/[^/]+$",
        r"^/manage/mail/",
        r"^/manage/mailbox/",
    )
]


def pseudo(message: str) -> str:
    """`message` with its Latin letters full-width, what the code fills in left alone."""
    parts, last = [], 0
    for kept in KEPT.finditer(message):
        parts += [_wide(message[last : kept.start()]), kept.group()]
        last = kept.end()
    return "".join([*parts, _wide(message[last:])])


def _wide(plain: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalpha() else c for c in plain)


@pytest.fixture(scope="module")
def pseudo_app(
    app: Flask, database_uri: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """The app with the pseudo-translation standing in for the Kazakh catalogue."""
    folder = tmp_path_factory.mktemp("pseudo")
    with KAZAKH.open("rb") as po:
        catalogue = read_po(po, locale="kk")
    INTERFACE.update(m.id for m in catalogue if isinstance(m.id, str) and m.id)
    for message in catalogue:
        if message.id:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            forms = [pseudo(ids[min(i, len(ids) - 1)]) for i in range(catalogue.num_plurals)]
            message.string = tuple(forms) if isinstance(message.id, tuple) else forms[0]
    target = folder / "kk" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as mo:
        write_mo(mo, catalogue)
    instance = tmp_path_factory.mktemp("pseudo-instance")
    with extra_app(
        database_uri,
        instance,
        app,
        BABEL_TRANSLATION_DIRECTORIES=str(folder),
        BASE_URL="http://localhost",
        SERVER_NAME=None,
        SESSION_COOKIE_SECURE=False,
    ) as application:
        # Flask-Babel caches catalogues by language in its one Domain, across apps: neither
        # app may read the other's Kazakh.
        with application.app_context():
            cache = babel.domain_instance.cache
        cache.clear()
        yield application
        cache.clear()


class _TextNodes(HTMLParser):
    """Interface text of a page: text nodes and the attributes people hear, outside elements
    in another language than the page's, outside code and data lists and outside what is
    marked translate="no" (identifiers)."""

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.found: list[tuple[str, bool]] = []  # (text, whether an attribute's)

    def _skipped(self) -> bool:
        return any(skipped for _, skipped in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        lang = found.get("lang")
        skipped = (
            tag in NOT_TEXT
            or (lang is not None and lang != self.language)
            or found.get("translate") == "no"  # identifiers, such as time-zone names
        )
        if not (skipped or self._skipped()):
            self.found += [
                (found[name] or "", True) for name in CHECKED_ATTRIBUTES if name in found
            ]
            if tag == "input" and found.get("type") in {"submit", "button"}:
                self.found.append((found.get("value") or "", False))
        if tag not in VOID:
            self.stack.append((tag, skipped))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if data.strip() and not self._skipped():
            self.found.append((data, False))


def english_words(html: str, language: str, stored: list[str]) -> set[str]:
    """Latin words of the page's interface text once the stored values in it are taken out.
    A stored value that is also an interface string (a status, a label stored in English) is
    no excuse in a text node: shown as data it would carry a `lang` (WCAG 3.1.2); attributes
    cannot, so there it is taken out too."""
    parser = _TextNodes(language)
    parser.feed(html)
    words = set()
    for piece, attribute in parser.found:
        if LATIN_WORD.search(piece):
            for value in stored:
                if value in piece and (attribute or value not in INTERFACE):
                    piece = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", piece)
        for token in piece.split():
            if any(c in token for c in "/@_:") or any(c.isdigit() for c in token):
                continue  # addresses, e-mail, codes, times, numbers: data, not words
            words |= set(LATIN_WORD.findall(token))
    return words - SAME_IN_EVERY_LANGUAGE


# Stored in English but shown in the reader's language (member states' and organisations'
# names, by pycountry and the directory's catalogue): no excuse for English on a Kazakh page.
# Answers stay excused: a free-text answer is the registrant's own words.
SHOWN_TRANSLATED = {("members", "name")}


def stored_values() -> list[str]:
    """Every text stored in the database (JSON values' strings too), longest first, but for
    the columns that pages show translated."""
    values: set[str] = set()
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            columns = [
                c
                for c in table.columns
                if isinstance(c.type, (String, JSON))
                and (table.name, c.name) not in SHOWN_TRANSLATED
            ]
            if not columns:
                continue
            for row in connection.execute(select(*columns)):
                for value in row:
                    values |= set(_strings(value))
    return sorted((v for v in values if LATIN_WORD.search(v)), key=len, reverse=True)


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value.strip()
        if "\n" in value:  # a list typed one per line (a question's choices) is shown per line
            yield from (line.strip() for line in value.splitlines() if line.strip())
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _walked(page: Page) -> bool:
    return not ENGLISH_ONLY.search(page.url.split("?")[0])


def test_every_interface_string_of_the_site_is_marked(pseudo_app: Flask) -> None:
    site = fill_site(pseudo_app)
    try:
        walk = [page for page in pages(site, pseudo_app) if _walked(page)]
        with pseudo_app.app_context():
            stored = stored_values()
        clients = {user: signed_in(pseudo_app, user) for user in {p.user for p in walk if p.user}}
        clients[None] = pseudo_app.test_client()
        unmarked = []
        for page in walk:
            joiner = "&" if "?" in page.url else "?"
            html = clients[page.user].get(f"{page.url}{joiner}lang=kk").text
            words = english_words(html, "kk", stored)
            if words:
                unmarked.append(f"{page.url}: {sorted(words)}")
        assert len(walk) > 30, [page.url for page in walk]
        assert {ORGANISER, FOCAL_POINT, None} <= {page.user for page in walk}
        paths = {page.url.split("?")[0] for page in walk}
        for family in WALKED_FAMILIES:
            assert any(family.search(path) for path in paths), f"no page matches {family.pattern}"
        assert not unmarked, "English words not marked for translation:\n" + "\n".join(unmarked)
    finally:
        tidy(pseudo_app)


def test_the_pseudo_translation_keeps_what_the_code_fills_in() -> None:
    assert pseudo("Save") == "Ｓａｖｅ"
    assert pseudo("Move %(title)s up") == "Ｍｏｖｅ %(title)s ｕｐ"
    assert pseudo('See <a href="%(url)s">it</a>') == 'Ｓｅｅ <a href="%(url)s">ｉｔ</a>'
    page = "<p>Ｓａｖｅ Save <span lang='en'>Forum</span> Hall A · <b title='Back'>Ｏ</b></p>"
    assert english_words(page, "kk", ["Hall A"]) == {"Save", "Back"}


# What the page walk cannot see: a sentence raised in an error or given to abort() as the
# error page's description is shown to someone, so it is marked (N_, gettext) where it is
# written. Internal messages are written in lower case; the terminal (cli), the demo seed,
# the settings and the API (English by design) are not checked.
SENTENCE = re.compile(r"^[A-Z][a-z].*[.?!]$", re.DOTALL)
NOT_SHOWN = re.compile(r"(^|/)(cli\.py|demo/|config\.py|api/)")


def _literal(node: ast.expr) -> str | None:
    """A string written in the code (an f-string's placeholders as {}), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def _shown_literals(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            arguments = node.exc.args[:1]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "abort":
            arguments = node.args[1:2]
        else:
            continue
        for argument in arguments:
            text = _literal(argument)
            if text is not None and SENTENCE.match(text):
                yield node.lineno, text


def test_raised_errors_and_error_pages_say_marked_sentences() -> None:
    package = ROOT / "registration"
    unmarked = [
        f"{path.relative_to(ROOT)}:{line}: {text}"
        for path in sorted(package.rglob("*.py"))
        if not NOT_SHOWN.search(path.relative_to(package).as_posix())
        for line, text in _shown_literals(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert unmarked == []
