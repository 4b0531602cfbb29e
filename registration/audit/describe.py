"""Audit actions in words, and the groups the log's filter offers."""

from __future__ import annotations

from flask_babel import LazyString, gettext, lazy_pgettext

from registration.i18n import N_

ACTIONS: dict[str, str | LazyString] = {
    "conference.created": N_("Conference created"),
    "conference.edited": N_("Conference edited"),
    "conference.published": N_("Conference published"),
    "conference.cancelled": N_("Conference cancelled"),
    "conference.deleted": N_("Conference deleted"),
    "panel.created": N_("Panel added"),
    "panel.edited": N_("Panel edited"),
    "panel.cancelled": N_("Panel cancelled"),
    "panel.deleted": N_("Panel removed"),
    "panel.people_changed": N_("Speakers or moderators changed"),
    "series.created": N_("Series created"),
    "series.edited": N_("Series edited"),
    "series.deleted": N_("Series deleted"),
    "registration_settings.created": N_("Registration opened (settings created)"),
    "registration_settings.updated": N_("Registration settings changed"),
    "registration_settings.quotas_changed": N_("Seats or quotas changed"),
    # "Registered" also heads the statistics' counts of people: a context tells them apart.
    "registration.created": lazy_pgettext("audit action: a registration was made", "Registered"),
    "registration.changed": N_("Registration changed"),
    "registration.pending": N_("Set to pending"),
    "registration.approved": N_("Approved"),
    "registration.rejected": N_("Rejected"),
    "registration.waitlisted": N_("Put on the waiting list"),
    "registration.withdrawn": N_("Withdrawn"),
    "registration.promoted": N_("Given a place from the waiting list"),
    "registration.registered_again": N_("Registered again after withdrawing"),
    "registration.deleted": N_("Registration deleted"),
    "registration.erased": N_("Personal data erased at the participant's request"),
    "registration.bulk": N_("Bulk action started (approve, reject or write to many)"),
    "focal_point.assigned": N_("Focal point assigned"),
    "focal_point.removed": N_("Focal point removed"),
    "staff_role.granted": N_("Staff role granted"),
    "staff_role.changed": N_("Staff role changed"),
    "staff_role.removed": N_("Staff role removed"),
    "staff_account.deactivated": N_("Staff account deactivated"),
    "staff_account.reactivated": N_("Staff account reactivated"),
    "staff_account.invited_again": N_("Staff invitation sent again"),
    "attendance.checked_in": N_("Checked in"),
    "attendance.check_in_undone": N_("Check-in undone"),
    "attendance.report_imported": N_("Meeting report imported"),
    "invitations.sent": N_("Invitations sent"),
    "invitations.reminded": N_("Invitation reminders sent"),
    "invitation.declined": N_("Invitation declined"),
    "invitation.accepted": N_("Invitation accepted"),
    "mail.resent": N_("Mail resent"),
    "export.personal_data": N_("Personal data exported"),
    "retention.erased": N_("Personal data erased (retention period over)"),
    "documents.issued": N_("Document issued"),
    "documents.withdrawn": N_("Document withdrawn"),
    "documents.draft": N_("Document back to draft"),
    "correspondence.number_taken": N_("Register number given"),
    "correspondence.number_cancelled": N_("Register number cancelled"),
    "correspondence.note_issued": N_("Note verbale issued"),
    "correspondence.dispatched": N_("Note verbale dispatched"),
    "correspondence.resent": N_("Note verbale sent again to one address"),
    "contacts.saved": N_("Member state contact added or changed"),
    "contacts.removed": N_("Member state contact removed"),
    "webhook subscription created": N_("Webhook subscription created"),
    "webhook subscription deleted": N_("Webhook subscription deleted"),
    "webhook subscription enabled": N_("Webhook subscription enabled again"),
    "webhook subscription disabled": N_("Webhook subscription disabled after failures"),
}

GROUPS = {
    "conference": N_("Conferences, series and panels"),
    "registration": N_("Registrations and decisions"),
    "registration_settings": N_("Registration settings and quotas"),
    "focal_point": N_("Focal points"),
    "staff_role": N_("Staff roles and accounts"),
    "attendance": N_("Check-in and attendance"),
    "invitations": N_("Invitations"),
    "mail": N_("Mail"),
    "export": N_("Exports of personal data"),
    "retention": N_("Erasure of personal data"),
    "documents": N_("Documents"),
    "correspondence": N_("Official correspondence"),
    "contacts": N_("Member states' contacts"),
    "webhooks": N_("Webhooks"),
}

# A group also covers actions whose prefix differs (panels belong with their conference).
GROUP_PREFIXES = {
    "conference": ("conference.", "panel.", "series."),
    "invitations": ("invitations.", "invitation."),
    "staff_role": ("staff_role.", "staff_account."),
    "webhooks": ("webhook subscription ",),
}

ACTOR_KINDS = {
    "organiser": N_("Secretariat staff"),
    "focal point": N_("Focal points"),
    "participant": N_("Participants"),
    "system": N_("System"),
}


# How entries name who acted (`actor_kind`), shown translated.
ACTOR_KIND_WORDS = (N_("organiser"), N_("focal point"), N_("participant"), N_("system"))


def action_words(action: str) -> str:
    """The action in the page's language."""
    words = ACTIONS.get(action)
    if words is None:
        return action.replace("_", " ").replace(".", ": ").capitalize()
    return str(words) if isinstance(words, LazyString) else gettext(words)


def group_prefixes(group: str) -> tuple[str, ...]:
    return GROUP_PREFIXES.get(group, (f"{group}.",))
