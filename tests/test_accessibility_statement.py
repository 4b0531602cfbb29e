"""The accessibility statement: linked from every page, in the visitor's language, with a
contact that comes from the configuration; every page starts with a skip link."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient


def test_the_statement_says_what_conforms_what_does_not_and_whom_to_write_to(
    client: FlaskClient,
) -> None:
    page = client.get("/accessibility").text
    assert "<h1>Accessibility statement</h1>" in page
    assert "WCAG" in page
    assert "EN 301 549" in page
    assert "What is not accessible yet" in page
    assert "not tagged PDFs" in page
    # Each kind of PDF the service makes, with where its content is in an accessible form.
    exception = page[page.index('id="pdf-exception"') : page.index("Checking people in")]
    for kind in ("badges:", "lists of participants:", "certificates of attendance:",
                 "visa support letters:", "notes verbales:"):  # fmt: skip
        assert f"<li>{kind}" in exception, kind
    assert '<a href="mailto:secretariat@cica.example">secretariat@cica.example</a>' in page
    assert "prepared on 04 December 2026" in page


def test_the_contact_is_a_setting(app: Flask, client: FlaskClient) -> None:
    app.config["ACCESSIBILITY_CONTACT"] = "access@cica.example"
    try:
        page = client.get("/accessibility").text
    finally:
        app.config["ACCESSIBILITY_CONTACT"] = "secretariat@cica.example"
    assert 'href="mailto:access@cica.example"' in page


def test_the_statement_in_russian(client: FlaskClient) -> None:
    page = client.get("/accessibility?lang=ru").text
    assert '<html lang="ru">' in page
    assert "<h1>Заявление о доступности</h1>" in page
    assert "Что пока недоступно" in page
    assert "<li>вербальные ноты: в письме, к которому приложена нота, есть её текст" in page
    assert "подготовлено 4 декабря 2026\u202fг." in page, "Babel's Russian date"


def test_every_page_starts_with_a_skip_link_and_ends_with_the_statement(
    client: FlaskClient,
) -> None:
    for path in ("/", "/account/login", "/accessibility", "/conferences/no-such-thing"):
        page = client.get(path).text
        body = page[page.index("<body>") :]
        first_link = body[body.index("<a ") : body.index("</a>")]
        assert 'class="skip-link" href="#main"' in first_link, path
        assert '<main id="main" tabindex="-1">' in page, path
        assert 'href="/accessibility" id="accessibility-link"' in page, path
