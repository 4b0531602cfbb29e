"""Every management route, for every role: what each one may reach and what it is refused.

Written against `app.url_map` and each route's declaration, so routes added later are walked
too; the spot checks below say in words what the roles are for (issue 18).
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
from registration.conferences.models import Conference
from registration.database import db
from registration.signup.models import FocalPoint, Registration
from registration.staff.access import need_of
from registration.staff.roles import ROLE_PERMISSIONS, Permission, Role
from registration.tokens.models import TokenScope
from tests.api_support import bearer, make_token, register_people
from tests.conftest import PASSWORD
from tests.routes import DUMMY_BY_CONVERTER, methods
from tests.signup_support import member_id, open_registration
from tests.staff_support import make_account, make_staff

SLUG = "ttf9"
OTHER = "ttf10"


def _protected(app: Flask, rule: Rule) -> bool:
    blueprint = app.blueprints.get(rule.endpoint.rpartition(".")[0])
    return blueprint is not None and hasattr(blueprint, "staff_default")


def _url(app: Flask, rule: Rule) -> str:
    values: dict[str, object] = {}
    for name, converter in rule._converters.items():
        kind = type(converter).__name__
        if name == "slug":
            values[name] = SLUG
        elif kind == "AnyConverter":
            values[name] = sorted(converter.items)[0]  # type: ignore[attr-defined]
        elif "Integer" in kind or kind == "IdConverter":
            values[name] = DUMMY_BY_CONVERTER["IntegerConverter"]
        else:
            values[name] = "no-such-thing"
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def _walk(app: Flask) -> Iterator[tuple[str, str, Permission, bool]]:
    """(method, url, permission needed) for every protected route."""
    for rule in app.url_map.iter_rules():
        if not _protected(app, rule):
            continue
        blueprint = app.blueprints[rule.endpoint.rpartition(".")[0]]
        need = need_of(rule.endpoint, blueprint)
        conference_bound = "slug" in rule.arguments
        for method in methods(rule):
            yield method, _url(app, rule), need.for_method(method), conference_bound


def _call(client: FlaskClient, method: str, url: str) -> TestResponse:
    return client.open(url, method=method, data={})


def _refused(response: TestResponse) -> bool:
    return response.status_code in {401, 403} or "/account/login" in response.headers.get(
        "Location", ""
    )


@pytest.fixture
def staff(app: Flask, members: None, make_conference: Callable[..., int]) -> dict[str, FlaskClient]:
    """A signed-in client per role in conference SLUG, and the outsiders."""
    ours = make_conference(slug=SLUG)
    theirs = make_conference(slug=OTHER)
    emails = {role.value: f"{role.value}@cica.example" for role in Role}
    for role in Role:
        make_staff(app, emails[role.value], role, ours)
    emails["other_organiser"] = "organiser@other.example"
    make_staff(app, emails["other_organiser"], Role.ORGANISER, theirs)
    emails["administrator"] = "admin@cica.example"
    make_account(app, emails["administrator"], is_administrator=True)
    emails["focal_point"] = "focal@mfa.kz.example"
    focal = make_account(app, emails["focal_point"])
    with app.app_context():
        kaz = member_id(app, "KAZ")
        db.session.add(FocalPoint(user_id=focal, conference_id=ours, member_id=kaz))
        db.session.commit()
    clients = {"anonymous": app.test_client()}
    for who, email in emails.items():
        client = app.test_client()
        response = client.post("/account/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302, (who, response.text)
        clients[who] = client
    return clients


def _allowed(who: str, permission: Permission, conference_bound: bool) -> bool:
    if who == "administrator":
        return True
    if who in {"anonymous", "focal_point"}:
        return False
    if who == "other_organiser":
        return permission is Permission.ENTER
    if not conference_bound and permission is not Permission.ENTER:
        return False
    return permission in ROLE_PERMISSIONS[Role(who)]


def test_every_management_route_declares_a_permission(app: Flask) -> None:
    """Every page and session API under /manage (the token API at /api/v1 checks its token's
    owner with the same permissions in registration/api/auth.py: walked below)."""
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/manage"):
            assert _protected(app, rule), rule.rule


def test_every_role_reaches_exactly_what_its_permissions_say(
    app: Flask, staff: dict[str, FlaskClient]
) -> None:
    with app.app_context():
        walked = list(_walk(app))
    assert len(walked) > 40
    for who, client in staff.items():
        for method, url, permission, conference_bound in walked:
            response = _call(client, method, url)
            assert response.status_code < 500, (who, method, url, response.status_code)
            if _allowed(who, permission, conference_bound):
                assert not _refused(response), (who, method, url, response.status_code)
            else:
                assert _refused(response), (who, method, url, response.status_code)


WHAT_EACH_ROLE_IS_FOR = [
    # The volunteer at the door: the check-in page and figures, no lists, no exports.
    ("check_in", "GET", "/checkin", True),
    ("check_in", "GET", "/attendance", True),
    ("check_in", "GET", "/registrations", False),
    ("check_in", "GET", "/registrations.csv", False),
    ("check_in", "GET", "/attendance/export.csv", False),
    ("check_in", "GET", "/attendance/participants", False),
    ("check_in", "POST", "/badges.pdf", False),
    # The reviewer: reads, decides and exports registrations; changes nothing else.
    ("reviewer", "GET", "/registrations.xlsx", True),
    ("reviewer", "GET", "/attendance/export.csv", True),
    ("reviewer", "GET", "/edit", False),
    ("reviewer", "GET", "/staff/", False),
    ("reviewer", "GET", "/checkin", False),
    # The observer reads and exports nothing.
    ("observer", "GET", "/registrations", True),
    ("observer", "GET", "/registrations.csv", False),
    ("observer", "GET", "/registration/settings", False),
    # The organiser manages the staff of their own conference only.
    ("organiser", "GET", "/staff/", True),
    ("organiser", "GET", "/registration/settings", True),
    ("other_organiser", "GET", "/staff/", False),
    ("other_organiser", "GET", "", False),
    ("focal_point", "GET", "", False),
]


def test_what_each_role_is_for(staff: dict[str, FlaskClient]) -> None:
    for who, method, path, allowed in WHAT_EACH_ROLE_IS_FOR:
        response = _call(staff[who], method, f"/manage/conferences/{SLUG}{path}")
        assert response.status_code == (200 if allowed else 403), (who, path, response.status_code)
    # Only administrators create conferences and see all mail.
    for path in ("/manage/conferences/new", "/manage/series/", "/manage/mail/"):
        assert staff["administrator"].get(path).status_code == 200
        assert staff["organiser"].get(path).status_code == 403
    # The start page lists only the conferences of one's roles.
    page = staff["check_in"].get("/manage/").text
    assert f"/manage/conferences/{SLUG}/checkin" in page
    assert OTHER not in page
    assert "New conference" not in page
    assert OTHER in staff["administrator"].get("/manage/").text


# --- the token API: every authenticated operation, with a token of each role ---------------

API = f"/api/v1/conferences/{SLUG}"
KAZ_EMAIL = "kaz1@example.org"

# Each token operation: the permission its management page needs (None: any token), whether a
# focal point reaches it for their own delegation, and whether it names KAZ's registrations.
API_NEEDS: dict[str, tuple[Permission | None, bool, bool]] = {
    "registrations-api.token_info": (None, False, False),
    "registrations-api.registrations": (Permission.READ_REGISTRATIONS, True, False),
    "registrations-api.export_csv": (Permission.EXPORT, True, False),
    "registration-writes-api.register": (Permission.ADMINISTER, True, True),
    "registration-writes-api.decide": (Permission.DECIDE, True, True),
    "attendance-api.attendance_figures": (Permission.FIGURES, False, False),
    "attendance-api.records": (Permission.EXPORT, False, False),
    "attendance-api.check_in": (Permission.CHECK_IN, False, False),
    "webhooks-api.listing": (None, False, False),
    "webhooks-api.create": (Permission.EDIT, False, False),
}


@pytest.fixture
def tokens(
    app: Flask, members: None, make_conference: Callable[..., int]
) -> tuple[dict[str, dict[str, str]], int]:
    """A read and write token's header per role in SLUG and per outsider; KAZ's registration."""
    ours = make_conference(slug=SLUG)
    theirs = make_conference(slug=OTHER)
    open_registration(app, ours)
    register_people(app, SLUG, [("kaz1", "KAZ")])
    users = {role.value: make_staff(app, f"{role.value}@cica.example", role, ours) for role in Role}
    users["other_organiser"] = make_staff(app, "organiser@other.example", Role.ORGANISER, theirs)
    users["administrator"] = make_account(app, "admin@cica.example", is_administrator=True)
    users["focal_point"] = make_account(app, "focal@mfa.kz.example")
    users["other_state"] = make_account(app, "focal@mfa.cn.example")
    with app.app_context():
        for who, code in (("focal_point", "KAZ"), ("other_state", "CHN")):
            point = FocalPoint(user_id=users[who], conference_id=ours)
            point.member_id = member_id(app, code)
            db.session.add(point)
        db.session.commit()
        kaz1 = db.session.scalar(db.select(Registration.id).filter_by(email=KAZ_EMAIL))
    headers = {who: bearer(make_token(app, user_id)) for who, user_id in users.items()}
    headers["anonymous"] = {}
    approved = app.test_client().post(
        f"{API}/registrations/{kaz1}/decision",
        json={"decision": "approve"},
        headers=headers["administrator"],
    )
    assert approved.status_code in {200, 409}, approved.json  # checked in below: admitted
    return headers, kaz1


def _api_operations(app: Flask, kaz1: int) -> Iterator[tuple[str, str, str, dict | None]]:
    """(endpoint, method, url, body) for every operation that answers only a token."""
    bodies = {
        "registration-writes-api.register": {
            "name": "kaz2", "email": "kaz2@example.org", "member": "KAZ", "mode": "in_person"
        },
        "registration-writes-api.decide": {"decision": "approve"},
        "attendance-api.check_in": {
            "client_id": "phone-1-scan-0001", "registration": kaz1, "day": "2030-12-28"
        },
        "webhooks-api.create": {
            "url": "https://93.184.215.14/hooks", "events": ["conference.changed"],
            "conference": SLUG,
        },
    }  # fmt: skip
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if rule.endpoint.rpartition(".")[0] not in TOKEN_BLUEPRINTS:
            continue
        if "subscription_id" in rule.arguments:
            continue  # one subscription answers its owner only: tests/test_webhook_api.py
        values = {"slug": SLUG, "registration_id": kaz1}
        url = adapter.build(rule.endpoint, {k: values[k] for k in rule.arguments})
        for method in methods(rule):
            yield rule.endpoint, method, url, bodies.get(rule.endpoint)


def _api_allowed(who: str, endpoint: str) -> bool:
    permission, focal_points, names_kaz = API_NEEDS[endpoint]
    if who == "anonymous":
        return False
    if permission is None or who == "administrator":
        return True
    if who in {"focal_point", "other_state"}:
        return focal_points and not (who == "other_state" and names_kaz)
    if who == "other_organiser":
        return False
    return permission in ROLE_PERMISSIONS[Role(who)]


def test_every_token_reaches_exactly_what_its_owners_role_allows(
    app: Flask, tokens: tuple[dict[str, dict[str, str]], int]
) -> None:
    headers, kaz1 = tokens
    operations = list(_api_operations(app, kaz1))
    assert {endpoint for endpoint, *_ in operations} == set(API_NEEDS)  # every one declared
    client = app.test_client()
    for who, header in headers.items():
        for endpoint, method, url, body in operations:
            response = client.open(url, method=method, json=body, headers=header)
            status = response.status_code
            assert status < 500, (who, method, url, status)
            if _api_allowed(who, endpoint):
                assert status in {200, 201, 409}, (who, method, url, status, response.text)
            else:
                # Outsiders are not told the conference exists; a focal point of another
                # state is refused KAZ's registrations (404) or registering KAZ's delegates.
                assert status in {401, 403, 404, 422}, (who, method, url, status)
                assert response.mimetype == "application/problem+json", (who, url)


def test_what_each_roles_token_is_for(
    app: Flask, client: FlaskClient, tokens: tuple[dict[str, dict[str, str]], int]
) -> None:
    headers, kaz1 = tokens
    # The reviewer reads, exports and decides; the observer reads only.
    assert KAZ_EMAIL in client.get(f"{API}/registrations.csv", headers=headers["reviewer"]).text
    assert client.get(f"{API}/registrations.csv", headers=headers["observer"]).status_code == 403
    listed = client.get(f"{API}/registrations", headers=headers["observer"]).json["items"]
    assert [r["id"] for r in listed] == [kaz1]
    # Check-in staff check people in and read the figures; no personal data.
    figures = client.get(f"{API}/attendance", headers=headers["check_in"]).json
    assert figures["total"]["registered"] >= 1
    for path in ("/registrations", "/registrations.csv", "/attendance/records"):
        refused = client.get(f"{API}{path}", headers=headers["check_in"])
        assert refused.status_code == 403, path
    # A focal point of another state sees none of KAZ's registrations.
    theirs = client.get(f"{API}/registrations", headers=headers["other_state"]).json["items"]
    assert theirs == []
    # The token's own scope stays on top of the role: read only, and its conferences.
    with app.app_context():
        reviewer = db.session.scalar(db.select(User.id).filter_by(email="reviewer@cica.example"))
        other_id = db.session.scalar(db.select(Conference.id).filter_by(slug=OTHER))
    read_only = bearer(make_token(app, reviewer, TokenScope.READ))
    decided = client.post(
        f"{API}/registrations/{kaz1}/decision", json={"decision": "approve"}, headers=read_only
    )
    assert decided.status_code == 403
    elsewhere = bearer(make_token(app, reviewer, conference_ids=[other_id]))
    assert client.get(f"{API}/registrations", headers=elsewhere).status_code == 404
