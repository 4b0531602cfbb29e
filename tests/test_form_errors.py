"""One error pattern for every form (WCAG 1.3.1, 3.3.1): a form sent back with mistakes opens
with a summary that lists and links every field in error, each control names its error in
`aria-describedby` (radio and checkbox groups too), and the page title says "Error". Before a
failed submit there is no summary at all. The browser tests check the focus and the
announcements; these read the HTML every form is rendered with."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.signup_support import form_data, member_id, open_registration


class Elements(HTMLParser):
    """Every element's tag and attributes, in document order; the title's text."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []
        self.title = ""
        self._in_title = False
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name: value or "" for name, value in attrs}))
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def by_id(self, element_id: str) -> dict[str, str]:
        matches = [attrs for _, attrs in self.found if attrs.get("id") == element_id]
        assert len(matches) == 1, f"{len(matches)} elements with id {element_id!r}"
        return matches[0]

    def with_attribute(self, name: str) -> list[tuple[str, dict[str, str]]]:
        return [(tag, attrs) for tag, attrs in self.found if name in attrs]


def summary_links(page: str) -> list[str]:
    """The targets the error summary links to, in order."""
    start = page.index("data-error-summary")
    summary = page[start : page.index("</ul>", start)]
    return [attrs["href"] for tag, attrs in Elements(summary).found if tag == "a"]


def assert_every_error_is_tied_to_its_field(page: str) -> None:
    elements = Elements(page)
    error_ids = [
        attrs["id"]
        for tag, attrs in elements.found
        if tag == "p" and attrs.get("class") == "error" and attrs.get("id")
    ]
    described = {
        error_id
        for _, attrs in elements.with_attribute("aria-describedby")
        for error_id in attrs["aria-describedby"].split()
    }
    assert error_ids
    assert set(error_ids) <= described, set(error_ids) - described
    for _, attrs in elements.with_attribute("aria-invalid"):
        assert any(i in error_ids for i in attrs["aria-describedby"].split()), attrs
    for target in summary_links(page):
        elements.by_id(target.removeprefix("#"))  # each link has exactly one target


@pytest.fixture
def conference(
    app: Flask, members: None, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> int:
    conference_id = make_conference(slug="ttf9")
    make_panel(conference_id, title="Realistic security challenges")
    open_registration(app, conference_id)
    return conference_id


def test_a_fresh_form_has_no_error_summary(client: FlaskClient, conference: int) -> None:
    page = client.get("/conferences/ttf9/register").text
    assert "error-summary" not in page
    assert "aria-invalid" not in page
    assert Elements(page).title.startswith("Register · ")


def test_the_summary_links_every_field_in_error_radio_groups_included(
    app: Flask, client: FlaskClient, conference: int
) -> None:
    data = form_data(member_id(app, "KAZ"), email="not-an-address", institution="", member="")
    del data["mode"]
    page = client.post("/conferences/ttf9/register", data=data).text
    assert Elements(page).title.startswith("Error: Register · ")
    assert summary_links(page) == ["#email", "#institution", "#member", "#mode-0"]
    assert_every_error_is_tied_to_its_field(page)
    elements = Elements(page)
    assert elements.by_id("member")["aria-describedby"] == "member-error"
    assert elements.by_id("member")["aria-invalid"] == "true"
    group = elements.by_id("mode-field")
    assert group["aria-describedby"] == "mode-error"
    for option in ("mode-0", "mode-1"):
        assert elements.by_id(option)["aria-describedby"] == "mode-error"
        assert "aria-invalid" not in elements.by_id(option)  # ARIA gives radios none
    assert "Choose how you will attend." in page


def test_the_summary_and_the_title_are_in_the_page_language(
    app: Flask, client: FlaskClient, conference: int
) -> None:
    data = form_data(member_id(app, "KAZ"), name="")
    page = client.post("/conferences/ttf9/register?lang=ru", data=data).text
    assert Elements(page).title.startswith("Ошибка: ")
    assert "Пожалуйста, исправьте отмеченные ниже поля." in page
    assert summary_links(page) == ["#name"]


def test_a_hint_and_an_error_both_describe_the_field(organizer_client: FlaskClient) -> None:
    page = organizer_client.post("/manage/conferences/new", data={"timezone": "Mars/Olympus"}).text
    elements = Elements(page)
    assert elements.by_id("timezone")["aria-describedby"] == "timezone-hint timezone-error"
    assert "An IANA name such as Asia/Shanghai" in page
    assert_every_error_is_tied_to_its_field(page)
    assert summary_links(page)[0] == "#title"


def test_a_checkbox_list_is_a_group_described_by_its_error(
    organizer_client: FlaskClient,
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
) -> None:
    conference_id = make_conference(slug="ttf9")
    make_panel(conference_id)
    page = organizer_client.post(
        "/manage/conferences/ttf9/invitations/one", data={"one-panels": "999999"}
    ).text
    elements = Elements(page)
    elements.by_id("one-error-summary")
    group = elements.by_id("one-panels-field")
    assert group["aria-describedby"] == "one-panels-error"
    assert elements.by_id("one-panels-0")["aria-describedby"] == "one-panels-error"
    assert elements.by_id("one-panels-0")["aria-invalid"] == "true"
    assert '<label for="one-panels">' not in page  # no label pointing at the list itself
    assert_every_error_is_tied_to_its_field(page)


def test_an_unticked_withdrawal_comes_back_with_the_error_next_to_the_box(
    app: Flask, client: FlaskClient, conference: int
) -> None:
    client.post("/conferences/ttf9/register", data=form_data(member_id(app, "KAZ")))
    with client.session_transaction() as session:
        token = session["signup_result"]["token"]
    page = client.post(f"/conferences/ttf9/registration/{token}/withdraw", data={}).text
    assert summary_links(page) == ["#confirm"]
    assert Elements(page).by_id("confirm")["aria-describedby"] == "confirm-error"
    assert_every_error_is_tied_to_its_field(page)
    change_form = page[page.index('id="change-form"') - 200 : page.index('id="change-form"')]
    assert f'action="/conferences/ttf9/registration/{token}"' in change_form
