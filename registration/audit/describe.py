"""Audit actions in words, and the groups the log's filter offers."""

from __future__ import annotations

ACTIONS = {
    "conference.created": "Conference created",
    "conference.edited": "Conference edited",
    "conference.published": "Conference published",
    "conference.cancelled": "Conference cancelled",
    "conference.deleted": "Conference deleted",
    "panel.created": "Panel added",
    "panel.edited": "Panel edited",
    "panel.cancelled": "Panel cancelled",
    "panel.deleted": "Panel removed",
    "panel.people_changed": "Speakers or moderators changed",
    "series.created": "Series created",
    "series.edited": "Series edited",
    "series.deleted": "Series deleted",
    "registration_settings.created": "Registration opened (settings created)",
    "registration_settings.updated": "Registration settings changed",
    "registration_settings.quotas_changed": "Seats or quotas changed",
    "registration.created": "Registered",
    "registration.changed": "Registration changed",
    "registration.pending": "Set to pending",
    "registration.approved": "Approved",
    "registration.rejected": "Rejected",
    "registration.waitlisted": "Put on the waiting list",
    "registration.withdrawn": "Withdrawn",
    "registration.promoted": "Given a place from the waiting list",
    "registration.registered_again": "Registered again after withdrawing",
    "registration.deleted": "Registration deleted",
    "registration.erased": "Personal data erased at the participant's request",
    "registration.bulk": "Bulk action started (approve, reject or write to many)",
    "focal_point.assigned": "Focal point assigned",
    "focal_point.removed": "Focal point removed",
    "staff_role.granted": "Staff role granted",
    "staff_role.changed": "Staff role changed",
    "staff_role.removed": "Staff role removed",
    "staff_account.deactivated": "Staff account deactivated",
    "staff_account.reactivated": "Staff account reactivated",
    "staff_account.invited_again": "Staff invitation sent again",
    "attendance.checked_in": "Checked in",
    "attendance.check_in_undone": "Check-in undone",
    "attendance.report_imported": "Meeting report imported",
    "invitations.sent": "Invitations sent",
    "invitations.reminded": "Invitation reminders sent",
    "invitation.declined": "Invitation declined",
    "invitation.accepted": "Invitation accepted",
    "mail.resent": "Mail resent",
    "export.personal_data": "Personal data exported",
    "retention.erased": "Personal data erased (retention period over)",
    "documents.issued": "Document issued",
    "documents.withdrawn": "Document withdrawn",
    "documents.draft": "Document back to draft",
    "correspondence.number_taken": "Register number given",
    "correspondence.number_cancelled": "Register number cancelled",
    "correspondence.note_issued": "Note verbale issued",
    "correspondence.dispatched": "Note verbale dispatched",
    "correspondence.resent": "Note verbale sent again to one address",
    "contacts.saved": "Member state contact added or changed",
    "contacts.removed": "Member state contact removed",
}

GROUPS = {
    "conference": "Conferences, series and panels",
    "registration": "Registrations and decisions",
    "registration_settings": "Registration settings and quotas",
    "focal_point": "Focal points",
    "staff_role": "Staff roles and accounts",
    "attendance": "Check-in and attendance",
    "invitations": "Invitations",
    "mail": "Mail",
    "export": "Exports of personal data",
    "retention": "Erasure of personal data",
    "documents": "Documents",
    "correspondence": "Official correspondence",
    "contacts": "Member states' contacts",
}

# A group also covers actions whose prefix differs (panels belong with their conference).
GROUP_PREFIXES = {
    "conference": ("conference.", "panel.", "series."),
    "invitations": ("invitations.", "invitation."),
    "staff_role": ("staff_role.", "staff_account."),
}

ACTOR_KINDS = {
    "organiser": "Secretariat staff",
    "focal point": "Focal points",
    "participant": "Participants",
    "system": "System",
}


def action_words(action: str) -> str:
    return ACTIONS.get(action, action.replace("_", " ").replace(".", ": ").capitalize())


def group_prefixes(group: str) -> tuple[str, ...]:
    return GROUP_PREFIXES.get(group, (f"{group}.",))
