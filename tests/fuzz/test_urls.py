"""Property-based test of every page's URL: any value in each path argument and any query
string, for an anonymous visitor and for an organiser. An error page or the page, never a
500, and a GET never writes."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.routing import Rule

from registration.database import db
from tests.fuzz.support import any_text, fuzz, submit, written
from tests.routes import methods

QUERY_NAMES = ["q", "lang", "member", "panel", "panel_id", "day", "status", "mode", "next",
               "invitation", "download", "consented", "group", "actor_kind", "text", "since",
               "until", "registration"]  # fmt: skip
KNOWN = {"slug": "ttf9", "panel_id": "1", "registration_id": "1", "token": "x", "key": "x"}


def _get_rules(app: Flask) -> list[Rule]:
    return [
        rule
        for rule in app.url_map.iter_rules()
        if "GET" in methods(rule) and rule.endpoint not in {"static", "metrics"}
    ]


ARGUMENT = re.compile(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>")


def _url(rule: Rule, values: dict[str, str]) -> str:
    """The rule's path with each argument replaced by a (percent-encoded) value."""
    return ARGUMENT.sub(lambda found: quote(values[found.group(1)], safe=""), rule.rule)


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_with_any_path_and_query(
    app: Flask,
    client: FlaskClient,
    organizer_client: FlaskClient,
    make_conference,
    make_panel,
    signed_in: bool,
) -> None:
    conference_id = make_conference(slug="ttf9")
    make_panel(conference_id)
    browser = organizer_client if signed_in else client
    if not signed_in:
        browser.post("/account/logout")
    rules = _get_rules(app)

    @fuzz(400)
    @given(
        rule=st.sampled_from(rules),
        data=st.data(),
        query=st.lists(
            st.tuples(st.one_of(st.sampled_from(QUERY_NAMES), any_text(8)), any_text(30)),
            max_size=3,
        ),
    )
    def visit(rule: Rule, data: st.DataObject, query: list[tuple[str, str]]) -> None:
        values = {
            name: data.draw(st.one_of(st.just(KNOWN.get(name, "x")), any_text(40)))
            for name in rule.arguments
        }
        submit(browser, "GET", _url(rule, values), query_string=query)
        # A page writes nothing, but an export of personal data notes itself in the audit log.
        assert written() <= {"audit_entries"}
        with app.app_context():
            db.session.remove()

    visit()
