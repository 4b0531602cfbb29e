"""The public read API: what a partner's website reads without signing in."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registration.conferences.models import (
    Conference,
    ConferenceStatus,
    PanelPerson,
    PanelRole,
    Person,
)
from registration.database import db
from registration.signup.models import AttendanceMode, Registration, RegistrationStatus
from tests.conftest import at


@pytest.fixture
def forum(
    app: Flask,
    members: None,
    make_series: Callable[..., int],
    make_conference: Callable[..., int],
    make_panel: Callable[..., int],
) -> str:
    """A published meeting in Shanghai with one panel, a speaker and two registrations."""
    series_id = make_series()
    conference_id = make_conference(slug="ttf-9", series_id=series_id, number=9)
    panel_id = make_panel(conference_id, starts_at=at("2030-12-28 01:30"))
    with app.app_context():
        person = Person(name="Chen Dongxiao", honorific="Dr.", position="President")
        db.session.add(PanelPerson(panel_id=panel_id, person=person, role=PanelRole.SPEAKER))
        for email, consent in (("listed@example.org", True), ("private@example.org", False)):
            db.session.add(
                Registration(
                    conference_id=conference_id,
                    member_id=_member_id("CHN"),
                    email=email,
                    name=email.split("@")[0].title(),
                    mode=AttendanceMode.IN_PERSON,
                    consent_to_list=consent,
                    status=RegistrationStatus.APPROVED,
                )
            )
        db.session.commit()
    return "ttf-9"


def _member_id(code: str) -> int:
    from registration.directory.models import Member

    return db.session.scalar(db.select(Member.id).filter_by(code=code))


def test_a_conference_gives_times_in_utc_and_in_its_own_zone(
    client: FlaskClient, forum: str
) -> None:
    response = client.get(f"/api/v1/conferences/{forum}")
    assert response.status_code == 200
    body = response.json
    assert body["timezone"] == "Asia/Shanghai"
    assert body["series"] == "ttf"
    assert (body["status"], body["format"]) == ("published", "hybrid")
    panel = body["panels"][0]
    assert panel["kind"] == "panel"
    assert panel["starts_at"] == "2030-12-28T01:30:00+00:00"
    assert panel["starts_at_local"] == "2030-12-28T09:30:00+08:00"
    assert panel["speakers"][0]["name"] == "Chen Dongxiao"
    assert "email" not in panel["speakers"][0]


def test_lists_show_published_conferences_and_series(
    client: FlaskClient, forum: str, make_conference: Callable[..., int]
) -> None:
    make_conference(slug="draft-one", status=ConferenceStatus.DRAFT)
    slugs = [c["slug"] for c in client.get("/api/v1/conferences").json]
    assert slugs == [forum]
    assert client.get("/api/v1/conferences/draft-one").status_code == 404
    assert client.get("/api/v1/series/ttf").json["conferences"] == [forum]


def test_the_participant_list_names_only_those_who_agreed(client: FlaskClient, forum: str) -> None:
    groups = client.get(f"/api/v1/conferences/{forum}/participants").json
    assert [g["member"]["code"] for g in groups] == ["CHN"]
    assert [p["name"] for p in groups[0]["participants"]] == ["Listed"]


def test_an_unchanged_answer_is_not_sent_again(client: FlaskClient, forum: str) -> None:
    first = client.get(f"/api/v1/conferences/{forum}")
    etag = first.headers["ETag"]
    again = client.get(f"/api/v1/conferences/{forum}", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""


def test_any_website_may_read_it(client: FlaskClient, forum: str) -> None:
    origin = {"Origin": "https://www.s-cica.org"}
    response = client.get("/api/v1/conferences", headers=origin)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/conferences",
        headers={
            **origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match",
        },
    )
    assert preflight.status_code == 200
    assert "if-none-match" in preflight.headers["Access-Control-Allow-Headers"].lower()


def test_errors_are_problem_details(client: FlaskClient) -> None:
    response = client.get("/api/v1/conferences/no-such-meeting")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "No such conference.",
        "instance": "/api/v1/conferences/no-such-meeting",
    }
    unknown = client.get("/api/v1/nothing-here")
    assert unknown.mimetype == "application/problem+json"
    assert unknown.json["status"] == 404
    wrong_method = client.delete("/api/v1/conferences")
    assert wrong_method.status_code == 405
    assert "GET" in wrong_method.headers["Allow"]


def test_the_document_and_its_page_are_served_here(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json")
    assert document.status_code == 200
    assert document.json["openapi"].startswith("3.1")
    assert "/api/v1/conferences/{slug}/panels" in document.json["paths"]
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    assert 'href="/api/v1/openapi.json"' in page.text
    for asset in ("swagger-ui.css", "swagger-ui-bundle.js"):
        assert f"/api/v1/docs/assets/{asset}" in page.text
        assert client.get(f"/api/v1/docs/assets/{asset}").status_code == 200
    assert "//" not in page.text.replace("http://", "").replace("https://", "")


def test_public_documents_are_listed_with_their_language_versions(
    app: Flask, client: FlaskClient, forum: str
) -> None:
    from registration.documents.models import (
        Document,
        DocumentFile,
        DocumentKind,
        DocumentStatus,
        FileFormat,
        Visibility,
    )

    with app.app_context():
        conference_id = db.session.scalar(db.select(Conference.id).filter_by(slug=forum))
        for visibility, title in ((Visibility.PUBLIC, "Summary"), (Visibility.INTERNAL, "Notes")):
            document = Document(
                conference_id=conference_id,
                kind=DocumentKind.SUMMARY,
                titles={"en": title, "ru": f"{title} (ru)"},
                visibility=visibility,
                status=DocumentStatus.ISSUED,
                issued_at=at("2030-12-30 08:00"),
            )
            document.files = [
                DocumentFile(language="en", format=FileFormat.PDF, filename="summary.pdf",
                             content=b"%PDF-1.4", size=8, pages=1, sha256="0" * 64)
            ]  # fmt: skip
            db.session.add(document)
        db.session.commit()
    listed = client.get(f"/api/v1/conferences/{forum}/documents").json
    assert [d["titles"]["en"] for d in listed] == ["Summary"]
    url = listed[0]["files"][0]["url"]
    assert client.get(url.removeprefix("http://localhost")).data == b"%PDF-1.4"
