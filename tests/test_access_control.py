"""Walks every route of the app: who may reach it.

Written against `app.url_map`, so routes that other capabilities add later are covered
without touching this file. Converter arguments get dummy values: a 404 for a slug that does
not exist is fine for an organiser, but anonymous users never see a management page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from registration.accounts.models import User
from registration.api.auth import TOKEN_BLUEPRINTS
from tests.routes import dummy_url, methods

MANAGE_PREFIX = "/manage"


def _routes(app: Flask, managed: bool) -> Iterator[tuple[str, str, Rule]]:
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        if rule.rule.startswith(MANAGE_PREFIX) == managed:
            for method in methods(rule):
                yield method, dummy_url(app, rule), rule


def _call(client: FlaskClient, method: str, url: str) -> TestResponse:
    return client.open(url, method=method, data={})


def test_there_are_management_routes(app: Flask) -> None:
    assert list(_routes(app, managed=True))


def test_anonymous_users_are_sent_to_login_or_refused_on_every_management_route(
    app: Flask, client: FlaskClient
) -> None:
    for method, url, _ in _routes(app, managed=True):
        response = _call(client, method, url)
        if "/api/" in url:
            assert response.status_code == 401, (method, url, response.status_code)
            assert response.json is not None, (method, url)
            assert response.json["reason"], (method, url)
            continue
        assert response.status_code == 302, (method, url, response.status_code)
        assert "/account/login" in response.headers["Location"], (method, url)


def test_signed_in_non_organisers_are_refused_every_management_route(
    app: Flask,
    client: FlaskClient,
    make_organizer: Callable[..., User],
    login: Callable[[str], None],
) -> None:
    user = make_organizer("expert@member.example", organizer=False)
    login(user.email)
    for method, url, _ in _routes(app, managed=True):
        response = _call(client, method, url)
        assert response.status_code == 403, (method, url, response.status_code)


def test_organisers_reach_every_management_route(app: Flask, organizer_client: FlaskClient) -> None:
    for method, url, rule in _routes(app, managed=True):
        response = _call(organizer_client, method, url)
        acceptable = {404} if rule.arguments else set()
        if method != "GET":
            acceptable.add(400)  # an empty form or API call, refused with a reason
        assert response.status_code < 400 or response.status_code in acceptable, (
            method,
            url,
            response.status_code,
        )
        assert response.status_code != 403, (method, url)
        assert "/account/login" not in response.headers.get("Location", ""), (method, url)


# Outside /manage but not for the public: answered only with a token, a 404 otherwise.
TOKEN_ONLY = {"metrics"}


@pytest.mark.usefixtures("members")
def test_public_routes_are_reachable_without_signing_in(app: Flask, client: FlaskClient) -> None:
    for method, url, rule in _routes(app, managed=False):
        response = _call(client, method, url)
        if rule.endpoint in TOKEN_ONLY:
            assert response.status_code == 404, (method, url, response.status_code)
            continue
        if rule.endpoint.partition(".")[0] in TOKEN_BLUEPRINTS:  # the API with a token
            assert response.status_code == 401, (method, url, response.status_code)
            assert response.mimetype == "application/problem+json", (method, url)
            assert response.headers["WWW-Authenticate"].startswith("Bearer"), (method, url)
            continue
        assert response.status_code < 500, (method, url, response.status_code)
        assert response.status_code not in {401, 403}, (method, url, response.status_code)
        if method == "GET" and not rule.arguments:
            assert response.status_code < 400, (method, url, response.status_code)
