"""Which models the audit log watches, their fields in words (marked: stored in English,
shown translated) and how each change is named."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from registration.audit.recorder import TEXT_ALONE, TRANSLATIONS, Watch, watch
from registration.conferences.models import (
    Conference,
    ConferenceStatus,
    Panel,
    PanelStatus,
    Series,
)
from registration.directory.services import member_name
from registration.i18n import N_, in_languages, message_value
from registration.invitations.models import Invitation
from registration.signup.models import (
    FocalPoint,
    Registration,
    RegistrationSettings,
    RegistrationStatus,
)
from registration.staff.models import StaffRole
from registration.stored_text import TEXT_LANGUAGES

Changed = dict[str, tuple[Any, Any]]


def _status_action(prefix: str, verb: str, changed: Changed, named: dict[Any, str]) -> str:
    if verb != "updated":
        return f"{prefix}.{verb}"
    after = changed.get("status", (None, None))[1]
    return f"{prefix}.{named.get(after, 'edited')}"


def _conference_action(_obj: Any, verb: str, changed: Changed) -> str:
    named = {ConferenceStatus.PUBLISHED: "published", ConferenceStatus.CANCELLED: "cancelled"}
    return _status_action("conference", verb, changed, named)


def _panel_action(_obj: Any, verb: str, changed: Changed) -> str:
    return _status_action("panel", verb, changed, {PanelStatus.CANCELLED: "cancelled"})


QUOTA_FIELDS = {"in_person_capacity", "delegation_in_person_quota", "delegation_total_quota"}


def _settings_action(_obj: Any, verb: str, changed: Changed) -> str:
    if verb == "updated" and QUOTA_FIELDS & changed.keys():
        return "registration_settings.quotas_changed"
    return f"registration_settings.{verb}"


def _registration_action(_obj: Any, verb: str, changed: Changed) -> str | None:
    if verb != "updated":
        return f"registration.{verb}"
    if "status" not in changed:
        return "registration.changed"
    before, after = changed["status"]
    if before is RegistrationStatus.WAITLISTED and after is RegistrationStatus.PENDING:
        return "registration.promoted"
    if before is RegistrationStatus.WITHDRAWN:
        return "registration.registered_again"
    return f"registration.{after.value}"


def _focal_point_action(_obj: Any, verb: str, _changed: Changed) -> str | None:
    return {"created": "focal_point.assigned", "deleted": "focal_point.removed"}.get(verb)


def _invitation_action(_obj: Any, verb: str, changed: Changed) -> str | None:
    """Only an answer: the invitations themselves are one entry per list sent."""
    if verb != "updated" or "status" not in changed:
        return None
    return f"invitation.{changed['status'][1].value}"


Subject = str | tuple[str, dict[str, Any]]


def _text(field: str, kind: str) -> Callable[[dict[str, Any]], Subject]:
    """A record's `field` in its languages (its `language` the main one), or its kind and id
    when it has none."""

    def subject(values: dict[str, Any]) -> Subject:
        main = values.get("language") or "en"
        texts = {code: t.get(field, "") for code, t in (values.get(TRANSLATIONS) or {}).items()}
        texts[main] = values.get(field) or ""
        if not any(texts.values()):
            return _numbered(kind, values.get("id"))
        return TEXT_ALONE, {"text": in_languages(texts, main)}

    return subject


def _numbered(kind: str, row_id: Any) -> Subject:
    """A record by its kind and id: "conference #12"."""
    return N_("%(kind)s #%(id)s"), {"kind": kind, "id": str(row_id)}


def _focal_point_subject(values: dict[str, Any]) -> Subject:
    user, member = values.get("user"), values.get("member")
    account = _numbered(N_("account"), values.get("user_id")) if user is None else user.email
    if member is None:
        return account
    who = account if isinstance(account, str) else message_value(*account)
    names = {code: member_name(member, code) for code in TEXT_LANGUAGES}
    return N_("%(account)s for %(member)s"), {"account": who, "member": in_languages(names, "en")}


CONFERENCE = Watch(
    "conference",
    {
        "title": N_("Title"),
        "theme": N_("Theme"),
        "description": N_("Description"),
        "status": N_("Status"),
        "format": N_("Format"),
        "starts_at": N_("Starts"),
        "ends_at": N_("Ends"),
        "timezone": N_("Time zone"),
        "venue": N_("Venue"),
        "city": N_("City"),
        "online_url": N_("Online link"),
        "erase_personal_data_months": N_("Erase personal data (months after the end)"),
        TRANSLATIONS: N_("Texts in other languages"),
    },
    _conference_action,
    subject=_text("title", N_("conference")),
    conference_id=lambda v: v.get("id"),
)
PANEL = Watch(
    "panel",
    {
        "title": N_("Title"),
        "kind": N_("Kind"),
        "status": N_("Status"),
        "starts_at": N_("Starts"),
        "ends_at": N_("Ends"),
        "room": N_("Room"),
        "join_url": N_("Join link"),
        TRANSLATIONS: N_("Texts in other languages"),
    },
    _panel_action,
    subject=lambda v: v.get("title") or _numbered(N_("panel"), v.get("id")),
    conference_id=lambda v: v.get("conference_id"),
)
SERIES = Watch(
    "series",
    {
        "name": N_("Name"),
        "short_name": N_("Short name"),
        "slug": N_("Address"),
        "description": N_("Description"),
        "language": N_("Main language"),
        TRANSLATIONS: N_("Texts in other languages"),
    },
    lambda _obj, verb, _changed: "series.edited" if verb == "updated" else f"series.{verb}",
    subject=_text("name", N_("series")),
    conference_id=lambda v: None,
)
REGISTRATION_SETTINGS = Watch(
    "registration_settings",
    {
        "opens_at": N_("Opens"),
        "closes_at": N_("Closes"),
        "approval_required": N_("Approval required"),
        "in_person_capacity": N_("Seats in the room"),
        "delegation_in_person_quota": N_("In-person places per delegation"),
        "delegation_total_quota": N_("Places per delegation"),
    },
    _settings_action,
    subject=lambda v: N_("Registration settings"),
    conference_id=lambda v: v.get("conference_id"),
)
REGISTRATION = Watch(
    "registration",
    {
        "status": N_("Status"),
        "status_reason": N_("Reason"),
        "mode": N_("Attendance"),
        "role": N_("Role"),
        "name": N_("Name"),
        "email": N_("E-mail"),
        "position": N_("Position"),
        "institution": N_("Institution"),
        "consent_to_list": N_("Listed among participants"),
        "email_confirmed_at": N_("Address confirmed"),
    },
    _registration_action,
    subject=lambda v: v.get("name") or _numbered(N_("registration"), v.get("id")),
    conference_id=lambda v: v.get("conference_id"),
    registration_id=lambda v: v.get("id"),
    personal=frozenset({"name", "email", "position", "institution", "status_reason"}),
)
INVITATION = Watch(
    "invitation",
    {"status": N_("Status")},
    _invitation_action,
    subject=lambda v: v.get("name") or _numbered(N_("invitation"), v.get("id")),
    conference_id=lambda v: v.get("conference_id"),
)
FOCAL_POINT = Watch(
    "focal_point",
    {},
    _focal_point_action,
    subject=_focal_point_subject,
    conference_id=lambda v: v.get("conference_id"),
)


STAFF_ROLE_ACTIONS = {
    "created": "staff_role.granted",
    "updated": "staff_role.changed",
    "deleted": "staff_role.removed",
}


def _staff_role_action(_obj: Any, verb: str, _changed: Changed) -> str | None:
    return STAFF_ROLE_ACTIONS.get(verb)


STAFF_ROLE = Watch(
    "staff_role",
    {"role": N_("Role")},
    _staff_role_action,
    subject=lambda v: (
        v["user"].email if v.get("user") else _numbered(N_("account"), v.get("user_id"))
    ),
    conference_id=lambda v: v.get("conference_id"),
)


def register_watches() -> None:
    """Watch the models whose changes the secretariat must be able to trace."""
    for model, spec in (
        (Series, SERIES),
        (Conference, CONFERENCE),
        (Panel, PANEL),
        (RegistrationSettings, REGISTRATION_SETTINGS),
        (Registration, REGISTRATION),
        (FocalPoint, FOCAL_POINT),
        (Invitation, INVITATION),
        (StaffRole, STAFF_ROLE),
    ):
        watch(model, spec)
