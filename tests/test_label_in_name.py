"""Label in Name (WCAG 2.5.3): a control whose name is set with aria-label or aria-labelledby
is named starting with the words people see on it, in every language the service offers, so
someone who says "click Send again" (speech input) reaches the button a screen reader calls
"Send again to someone@example.org". axe's label-content-name-mismatch looks at some of
these only (it is experimental, and skips names it cannot compare); this needs no browser.

- Every page of the accessibility walk (tests/browser/site_walk.py), as its user sees it
  through the test client, in each language: each link, button, summary, control with a
  visible <label> (or, lacking one, a placeholder) named by aria-label or aria-labelledby.
  Visible text leaves out what is hidden (`hidden`, aria-hidden, .visually-hidden); letters
  and digits are compared, case aside, as axe does (a "↑ Up" button may be named "Up: …").
- The templates, for controls a walk page does not show (a failed delivery's Resend): a link
  or button with an aria-label whose label and text are marked strings is checked in each
  language's catalogue; one whose text is an expression must start its label with that
  expression. A control the scan cannot read fails, so a new one cannot slip by.
- The check-in page's script names each found person's Check in button from `checkin_texts`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import gettext

from registration.attendance.script_texts import checkin_texts
from tests.browser.site_walk import fill_site, pages, signed_in, tidy

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
NAMED_BY_CONTENT = {"a", "button", "summary"}
CONTENT_ROLES = {"button", "link", "tab", "menuitem", "option", "switch", "checkbox", "radio"}
LABELLED = {"input", "select", "textarea"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    def hidden(self) -> bool:
        return (
            "hidden" in self.attrs
            or self.attrs.get("aria-hidden") == "true"
            or "visually-hidden" in self.attrs.get("class", "").split()
            or self.tag in {"script", "style", "template"}
        )

    def text(self, visible: bool = False) -> str:
        return " ".join(
            child
            if isinstance(child, str)
            else ("" if visible and child.hidden() else child.text(visible))
            for child in self.children
        )

    def walk(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.walk()


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        if any(open_.tag == tag for open_ in self.stack[1:]):
            while self.stack.pop().tag != tag:
                pass

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def words(text: str) -> str:
    """Letters and digits only, lower case, one space between words."""
    return " ".join(re.sub(r"[^\w]+|_", " ", text.casefold()).split())


def mismatches(html: str) -> list[str]:
    """Controls on the page whose name does not start with their visible text."""
    root = _Tree()
    root.feed(html)
    elements = list(root.root.walk())
    by_id = {e.attrs["id"]: e for e in elements if "id" in e.attrs}
    labels: dict[str, str] = {}
    for e in elements:
        if e.tag == "label" and "for" in e.attrs:
            labels[e.attrs["for"]] = labels.get(e.attrs["for"], "") + " " + e.text(visible=True)
    found = []
    for e in elements:
        if "aria-label" not in e.attrs and "aria-labelledby" not in e.attrs:
            continue
        if e.tag in NAMED_BY_CONTENT or e.attrs.get("role") in CONTENT_ROLES:
            visible = e.text(visible=True)
        elif e.tag in LABELLED:
            visible = labels.get(e.attrs.get("id", ""), "") or e.attrs.get("placeholder", "")
        else:
            continue  # landmarks, regions, images: their name is not a visible label
        if "aria-labelledby" in e.attrs:
            ids = e.attrs["aria-labelledby"].split()
            name = " ".join(by_id[i].text() for i in ids if i in by_id)
        else:
            name = e.attrs["aria-label"]
        if words(visible) and not words(name).startswith(words(visible)):
            found.append(f"<{e.tag}> shows {' '.join(visible.split())!r}, named {name!r}")
    return found


def test_a_name_that_does_not_start_with_the_visible_words_is_found() -> None:
    page = """<button aria-label="Move Panel 1 up">↑ Up</button>
      <button aria-label="Up: Panel 1">↑ Up<span class="visually-hidden"> (first)</span></button>
      <a href="#" aria-label="Cancel No. 12">Cancel…</a>
      <label for="q">Find</label><input id="q" aria-label="Search the list">
      <input id="f" placeholder="Type to filter" aria-label="Type to filter the members">
      <nav aria-label="Main"><a href="/">Home</a></nav>"""
    assert mismatches(page) == [
        "<button> shows '↑ Up', named 'Move Panel 1 up'",
        "<input> shows 'Find', named 'Search the list'",
    ]


@pytest.mark.postgres
@pytest.mark.usefixtures("members")
def test_every_page_names_controls_by_their_visible_words_in_every_language(
    app: Flask,
) -> None:
    site = fill_site(app)
    try:
        walk = pages(site, app)
        clients = {user: signed_in(app, user) for user in {p.user for p in walk if p.user}}
        clients[None] = app.test_client()
        found = []
        for language in app.config["LANGUAGES"]:
            for page in walk:
                joiner = "&" if "?" in page.url else "?"
                response = clients[page.user].get(f"{page.url}{joiner}lang={language}")
                assert response.status_code == page.status, page.url
                found += [f"{page.url} ({language}): {m}" for m in mismatches(response.text)]
        assert len(walk) > 60, [page.url for page in walk]
        assert not found, "\n".join(found)
    finally:
        tidy(app)


# A link or button with an aria-label in a template: its opening tag, then its content.
CONTROL = re.compile(r"<(a|button)\b([^>]*?\baria-label=\"([^\"]*)\"[^>]*)>(.*?)</\1>", re.S)
MARKED = re.compile(r"""_\((['"])(.+?)\1""")
EXPRESSION = re.compile(r"\{\{(.*?)\}\}", re.S)


@dataclass(frozen=True)
class TemplateControl:
    where: str
    label: str  # the aria-label's template source
    content: str  # the element's content's template source


def template_controls() -> list[TemplateControl]:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        source = path.read_text(encoding="utf-8")
        for match in CONTROL.finditer(source):
            line = source.count("\n", 0, match.start()) + 1
            where = f"{path.relative_to(TEMPLATES)}:{line}"
            found.append(TemplateControl(where, match.group(3), match.group(4)))
    return found


def _visible_source(content: str) -> str:
    """The content's template source without markup that hides its text."""
    return re.sub(r"<(\w+)[^>]*(visually-hidden|aria-hidden=\"true\")[^>]*>.*?</\1>", "", content)


def _problems(control: TemplateControl, languages: list[str], app: Flask) -> list[str]:
    content = _visible_source(control.content)
    shown = [m.group(2) for m in MARKED.finditer(content)]
    named = [m.group(2) for m in MARKED.finditer(control.label)]
    if shown and named:
        problems = []
        for language in languages:
            with app.test_request_context(f"/?lang={language}"):
                visible = words(" ".join(gettext(s) for s in shown))
                for label in named:
                    name = words(re.sub(r"%\(\w+\)[sd]", " ", gettext(label)))
                    if not name.startswith(visible):
                        problems.append(f"{control.where} ({language}): {gettext(label)!r}")
        return problems
    expressions = [e.strip() for e in EXPRESSION.findall(content)]
    label = EXPRESSION.findall(control.label)
    if len(expressions) == 1 and not shown and label and label[0].strip() == expressions[0]:
        return []
    return [f"{control.where}: cannot tell whether {control.label!r} starts with its text"]


def test_every_control_of_the_templates_is_named_by_its_visible_words(app: Flask) -> None:
    controls = template_controls()
    problems = [p for c in controls for p in _problems(c, app.config["LANGUAGES"], app)]
    assert len(controls) >= 10, controls
    assert not problems, "\n".join(problems)


def test_the_check_in_buttons_of_found_people_are_named_by_their_visible_words(
    app: Flask,
) -> None:
    for language in app.config["LANGUAGES"]:
        with app.test_request_context(f"/?lang={language}"):
            texts = checkin_texts()
            name = str(texts["checkInPerson"]).replace("{name}", "Aigerim Sample")
            assert words(name).startswith(words(str(texts["checkIn"]))), (language, name)
