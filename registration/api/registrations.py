"""The authenticated API: the token, and a conference's registrations as its owner sees them."""

from __future__ import annotations

from typing import Any

from flask import Response, url_for
from flask_smorest import Blueprint
from sqlalchemy.orm import selectinload

from registration.api import auth, present
from registration.api.registration_schemas import (
    ExportQuerySchema,
    RegistrationPageSchema,
    RegistrationQuerySchema,
    TokenInfoSchema,
)
from registration.database import db
from registration.directory.models import Member
from registration.downloads import download
from registration.signup import export, lists
from registration.signup.models import Registration, RegistrationPanel
from registration.staff.roles import Permission

bp = Blueprint(
    "registrations-api",
    __name__,
    url_prefix="/api/v1",
    description="Registrations, with a personal access token: the owner's rights exactly.",
)
auth.guard(bp)


def cursor_after(value: str | None) -> int:
    """The id a cursor stands for (0: the first page); the query schema checked its form."""
    return int(value.removeprefix("r"), 16) if value else 0


def cursor_of(registration_id: int) -> str:
    return f"r{registration_id:x}"


@bp.get("/token")
@bp.response(200, TokenInfoSchema)
@bp.doc(security=auth.SECURITY)
def token_info() -> dict[str, Any]:
    """The token in use: its scope, expiry, owner and conferences."""
    token = auth.current_token()
    return {
        "name": token.name,
        "scope": token.scope,
        "expires_at": token.expires_at,
        "owner": token.user.email,
        "organizer": token.user.is_administrator,
        "conferences": None if token.all_conferences else [c.slug for c in token.conferences],
    }


def _registrations_query(access: auth.ConferenceAccess, query: dict[str, Any]) -> Any:
    chosen = (
        db.select(Registration)
        .where(
            Registration.conference_id == access.conference.id,
            Registration.id > cursor_after(query.get("cursor")),
        )
        .options(selectinload(Registration.panel_links).load_only(RegistrationPanel.panel_id))
        .order_by(Registration.id)
        .limit(query["limit"] + 1)
    )
    if access.member_ids is not None:
        chosen = chosen.where(Registration.member_id.in_(access.member_ids))
    if "status" in query:
        chosen = chosen.where(Registration.status == query["status"])
    if "mode" in query:
        chosen = chosen.where(Registration.mode == query["mode"])
    if "member" in query:
        chosen = chosen.join(Member, Member.id == Registration.member_id).where(
            Member.code == query["member"].upper()
        )
    if "panel" in query:
        chosen = chosen.where(
            Registration.panel_links.any(RegistrationPanel.panel_id == query["panel"])
        )
    return chosen


@bp.get("/conferences/<slug>/registrations")
@bp.arguments(RegistrationQuerySchema, location="query", as_kwargs=False)
@bp.response(200, RegistrationPageSchema)
@bp.doc(security=auth.SECURITY)
def registrations(query: dict[str, Any], slug: str) -> Any:
    """Registrations in the order they came, a page at a time (`cursor`, `limit`),
    filtered by status, mode, member or panel; a focal point sees their delegation only."""
    access = auth.conference_access(slug, Permission.READ_REGISTRATIONS)
    found = list(db.session.scalars(_registrations_query(access, query)))
    page, more = found[: query["limit"]], len(found) > query["limit"]
    next_cursor = cursor_of(page[-1].id) if more else None
    headers = {}
    if next_cursor:
        link = url_for(
            ".registrations", slug=slug, **{**query, "cursor": next_cursor}, _external=True
        )
        headers["Link"] = f'<{link}>; rel="next"'
    body = {"items": [present.registration(r) for r in page], "next_cursor": next_cursor}
    return body, 200, headers


@bp.get("/conferences/<slug>/registrations.csv")
@bp.arguments(ExportQuerySchema, location="query", as_kwargs=False)
@bp.response(200, content_type="text/csv", description="The secretariat's CSV export")
@bp.doc(security=auth.SECURITY)
def export_csv(query: dict[str, Any], slug: str) -> Response:
    """The registrations as the CSV file of the management pages, with the same filters."""
    access = auth.conference_access(slug, Permission.EXPORT)
    member_id = None
    if "member" in query:
        code = query["member"].upper()
        member_id = db.session.scalar(db.select(Member.id).filter_by(code=code)) or 0
    chosen = lists.RegistrationFilter(
        member_id=member_id,
        status=query.get("status"),
        mode=query.get("mode"),
        panel_id=query.get("panel"),
    )
    found = lists.filtered_registrations(access.conference.id, chosen, access.member_ids)
    return download(export.to_csv(found), "text/csv", f"{access.conference.slug}-registrations.csv")
