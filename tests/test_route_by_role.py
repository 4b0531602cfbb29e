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

from registration.database import db
from registration.signup.models import FocalPoint
from registration.staff.access import need_of
from registration.staff.roles import ROLE_PERMISSIONS, Permission, Role
from tests.conftest import PASSWORD
from tests.routes import DUMMY_BY_CONVERTER, methods
from tests.signup_support import member_id
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
    owner in registration/api/auth.py)."""
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
    ("check_in", "GET", "/badges.pdf", False),
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
