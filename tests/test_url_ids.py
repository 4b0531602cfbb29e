"""`<int:...>` in every route takes only numbers an id column (PostgreSQL INTEGER) can hold:
a larger one is an unknown page (404), never a database error (500)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.web import IdConverter

# Beyond INTEGER (2**31 - 1), beyond BIGINT, and far beyond.
TOO_LARGE = (2**31, 2**40, 2**63 - 1, 2**63, 10**30)
ROUTES = (
    ("GET", "/documents/files/{}"),
    ("GET", "/manage/conferences/ttf9/registrations/{}"),
    ("GET", "/manage/conferences/ttf9/registrations/{}/certificate.pdf"),
    ("GET", "/manage/conferences/ttf9/registrations/{}/badge.png"),
    ("GET", "/manage/conferences/ttf9/panels/{}/edit"),
    ("GET", "/manage/conferences/ttf9/attendance/panels/{}"),
    ("POST", "/manage/mail/{}/resend"),
    ("GET", "/manage/documents/{}"),
    ("GET", "/conferences/ttf9/panels/{}/calendar.ics"),
)


@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_ids_too_large_for_the_database_are_404(
    app: Flask,
    organizer_client: FlaskClient,
    make_conference: Callable[..., int],
    method: str,
    route: str,
) -> None:
    make_conference(slug="ttf9")
    for number in TOO_LARGE:
        response = organizer_client.open(route.format(number), method=method)
        assert response.status_code == 404, (route, number, response.status_code)
    largest = organizer_client.open(route.format(2**31 - 1), method=method)
    assert largest.status_code < 500, (route, largest.status_code)


def test_every_int_in_the_routes_is_the_bounded_converter(app: Flask) -> None:
    bounded = [
        rule.rule
        for rule in app.url_map.iter_rules()
        for converter in rule._converters.values()
        if type(converter).__name__ == "IntegerConverter"
    ]
    assert bounded == []
    assert app.url_map.converters["int"] is IdConverter
