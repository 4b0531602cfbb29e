"""The roles staff hold and the permissions each one grants: the one table of who may do what.

Views declare the permission they need (`registration.staff.access`); nothing else names a
role. A Secretariat-wide administrator holds every permission in every conference; the other
roles are held per conference.
"""

from __future__ import annotations

import enum

from registration.i18n import N_


class Permission(enum.StrEnum):
    """What a management route needs; conference permissions apply to the `<slug>` in its URL."""

    ADMINISTER = "administer"  # series, new conferences, all mail, staff accounts, settings
    ENTER = "enter"  # the management start page: any staff member
    VIEW = "view"  # the conference's management pages, read-only
    EDIT = "edit"  # change the conference, its panels, registration settings, invitations
    READ_REGISTRATIONS = "read_registrations"  # lists and answers of registrations
    DECIDE = "decide"  # approve, reject, wait-list registrations
    EXPORT = "export"  # files with personal data: lists, badges, certificates
    CHECK_IN = "check_in"  # the check-in page and its API
    FIGURES = "figures"  # attendance figures, without personal data
    MANAGE_STAFF = "manage_staff"  # grant and remove roles in the conference


class Role(enum.StrEnum):
    ORGANISER = "organiser"
    REVIEWER = "reviewer"
    CHECK_IN = "check_in"
    OBSERVER = "observer"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def description(self) -> str:
        return ROLE_DESCRIPTIONS[self]

    @property
    def permissions(self) -> frozenset[Permission]:
        return ROLE_PERMISSIONS[self]


ROLE_LABELS = {
    Role.ORGANISER: N_("Organiser"),
    Role.REVIEWER: N_("Registrations reviewer"),
    Role.CHECK_IN: N_("Check-in staff"),
    Role.OBSERVER: N_("Observer"),
}

ROLE_DESCRIPTIONS = {
    Role.ORGANISER: N_("Everything in this conference, including its staff."),
    Role.REVIEWER: N_("Reads, decides and exports registrations; sees attendance figures."),
    Role.CHECK_IN: N_("The check-in page and attendance figures; no lists of personal data."),
    Role.OBSERVER: N_("Reads the management pages and registrations; changes and exports nothing."),
}

CONFERENCE_PERMISSIONS = frozenset(Permission) - {Permission.ADMINISTER}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ORGANISER: CONFERENCE_PERMISSIONS,
    Role.REVIEWER: frozenset(
        {
            Permission.ENTER,
            Permission.VIEW,
            Permission.READ_REGISTRATIONS,
            Permission.DECIDE,
            Permission.EXPORT,
            Permission.FIGURES,
        }
    ),
    Role.CHECK_IN: frozenset({Permission.ENTER, Permission.CHECK_IN, Permission.FIGURES}),
    Role.OBSERVER: frozenset(
        {Permission.ENTER, Permission.VIEW, Permission.READ_REGISTRATIONS, Permission.FIGURES}
    ),
}
