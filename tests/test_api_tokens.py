"""Personal access tokens: made on the account's page, shown once, stored hashed, scoped,
expiring and revocable; a token has exactly its owner's rights."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.accounts.models import User
from registration.database import db, utcnow
from registration.tokens.models import ApiToken, TokenScope
from tests.api_support import bearer, make_focal_point, make_token, register_people
from tests.signup_support import open_registration

PEOPLE = [("kaz1", "KAZ"), ("chn1", "CHN"), ("kaz2", "KAZ"), ("rus1", "RUS"), ("kaz3", "KAZ")]


@pytest.fixture
def ttf9(app: Flask, members: None, make_conference: Callable[..., int]) -> int:
    conference_id = make_conference(slug="ttf9")
    open_registration(app, conference_id)
    register_people(app, "ttf9", PEOPLE)
    return conference_id


@pytest.fixture
def organiser(app: Flask, organizer_client: FlaskClient) -> User:
    """The organiser `organizer_client` is signed in as."""
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(email="organizer@cica.example"))
        assert user is not None
        db.session.expunge(user)
        return user


def names(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [item["name"] for item in response.json["items"]]


def test_a_token_is_shown_once_and_stored_hashed(
    app: Flask, organizer_client: FlaskClient, ttf9: int
) -> None:
    page = organizer_client.post(
        "/account/tokens/",
        data={"name": "Ministry system", "scope": "read", "days": "30", "reach": "all"},
    )
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    secret = re.search(r'value="(cica_pat_[^"]+)"', page.text)
    assert secret is not None
    with app.app_context():
        stored = db.session.scalar(db.select(ApiToken))
        assert stored is not None
        assert secret.group(1) not in (stored.secret_hash, stored.prefix)
        assert stored.prefix in secret.group(1)
    again = organizer_client.get("/account/tokens/")
    assert secret.group(1) not in again.text
    assert "Ministry system" in again.text
    answer = organizer_client.get("/api/v1/token", headers=bearer(secret.group(1)))
    assert answer.json["scope"] == "read"
    assert answer.json["conferences"] is None


def test_the_form_says_what_is_missing(organizer_client: FlaskClient, ttf9: int) -> None:
    page = organizer_client.post(
        "/account/tokens/", data={"name": " ", "scope": "write", "days": "30", "reach": "some"}
    )
    assert "Give the token a name." in page.text
    assert "Choose at least one conference, or all of them." in page.text
    assert "cica_pat_" not in page.text


def test_a_revoked_or_expired_token_is_refused_with_a_reason(
    app: Flask, organizer_client: FlaskClient, organiser: User, ttf9: int
) -> None:
    secret = make_token(app, organiser.id)
    assert organizer_client.get("/api/v1/token", headers=bearer(secret)).status_code == 200
    with app.app_context():
        token_id = db.session.scalar(db.select(ApiToken.id))
    response = organizer_client.post(f"/account/tokens/{token_id}/revoke")
    assert response.status_code == 302
    refused = organizer_client.get("/api/v1/token", headers=bearer(secret))
    assert refused.status_code == 401
    assert refused.mimetype == "application/problem+json"
    assert "personal access token" in refused.json["detail"]
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")

    expiring = make_token(app, organiser.id)
    with app.app_context():
        for token in db.session.scalars(db.select(ApiToken)):
            token.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert organizer_client.get("/api/v1/token", headers=bearer(expiring)).status_code == 401


def test_someone_elses_token_cannot_be_revoked(
    app: Flask, client: FlaskClient, organiser: User, make_organizer, login, ttf9: int
) -> None:
    secret = make_token(app, organiser.id)
    other = make_organizer("other@cica.example")
    login(other.email)
    with app.app_context():
        token_id = db.session.scalar(db.select(ApiToken.id))
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 404
    assert client.get("/api/v1/token", headers=bearer(secret)).status_code == 200


def test_a_signed_in_browser_is_not_an_api_client(organizer_client: FlaskClient, ttf9: int) -> None:
    response = organizer_client.get("/api/v1/conferences/ttf9/registrations")
    assert response.status_code == 401


def test_an_organisers_token_lists_every_registration_page_by_page(
    app: Flask, client: FlaskClient, organiser: User, ttf9: int
) -> None:
    headers = bearer(make_token(app, organiser.id, TokenScope.READ))
    seen, url = [], "/api/v1/conferences/ttf9/registrations?limit=2"
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200
        seen += names(response)
        cursor = response.json["next_cursor"]
        url = f"/api/v1/conferences/ttf9/registrations?limit=2&cursor={cursor}" if cursor else ""
        if cursor:
            assert 'rel="next"' in response.headers["Link"]
    assert seen == [who for who, _ in PEOPLE]
    kaz = client.get("/api/v1/conferences/ttf9/registrations?member=kaz", headers=headers)
    assert names(kaz) == ["kaz1", "kaz2", "kaz3"]


def test_a_focal_points_token_sees_only_their_delegation(
    app: Flask, client: FlaskClient, make_organizer, ttf9: int, make_conference
) -> None:
    focal = make_focal_point(app, make_organizer, ttf9, "KAZ")
    headers = bearer(make_token(app, focal.id))
    response = client.get("/api/v1/conferences/ttf9/registrations", headers=headers)
    assert names(response) == ["kaz1", "kaz2", "kaz3"]
    chn = client.get("/api/v1/conferences/ttf9/registrations?member=CHN", headers=headers)
    assert names(chn) == []
    make_conference(slug="elsewhere")
    other = client.get("/api/v1/conferences/elsewhere/registrations", headers=headers)
    assert other.status_code == 404


def test_a_token_limited_to_some_conferences_reaches_only_those(
    app: Flask, client: FlaskClient, organiser: User, ttf9: int, make_conference
) -> None:
    other_id = make_conference(slug="ttf10")
    headers = bearer(make_token(app, organiser.id, conference_ids=[other_id]))
    assert client.get("/api/v1/conferences/ttf9/registrations", headers=headers).status_code == 404
    assert client.get("/api/v1/conferences/ttf10/registrations", headers=headers).status_code == 200
    assert client.get("/api/v1/token", headers=headers).json["conferences"] == ["ttf10"]


def test_a_wrong_query_is_a_problem_naming_the_field(
    app: Flask, client: FlaskClient, organiser: User, ttf9: int
) -> None:
    headers = bearer(make_token(app, organiser.id))
    response = client.get(
        "/api/v1/conferences/ttf9/registrations?limit=0&status=maybe", headers=headers
    )
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert set(response.json["errors"]["query"]) == {"limit", "status"}
    bad_cursor = client.get("/api/v1/conferences/ttf9/registrations?cursor=zz", headers=headers)
    assert bad_cursor.status_code == 422
    assert "cursor" in bad_cursor.json["errors"]["query"]
