"""The addresses the Secretariat writes to, per member state, with their languages."""

from __future__ import annotations

from dataclasses import dataclass

from registration.accounts.services import normalize_email
from registration.audit.recorder import record
from registration.database import db
from registration.directory.models import Contact, ContactKind, Member, MemberKind
from registration.directory.services import member_key
from registration.i18n import N_

CONTACT_LANGUAGES = ("en", "ru", "kk")


class ContactError(Exception):
    """A change refused; `field` names the form field it concerns."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class ContactData:
    member_id: int
    kind: ContactKind
    name: str
    email: str
    languages: list[str]
    active: bool = True


def _checked(data: ContactData) -> ContactData:
    languages = [code for code in CONTACT_LANGUAGES if code in data.languages]
    if not languages:
        raise ContactError("languages", N_("Choose at least one language."))
    if db.session.get(Member, data.member_id) is None:
        raise ContactError("member", N_("Choose a member state."))
    email = normalize_email(data.email)
    return ContactData(data.member_id, data.kind, data.name.strip(), email, languages, data.active)


def save_contact(data: ContactData, contact: Contact | None = None) -> Contact:
    """Add a contact, or change one; commits. One address per member once: a refusal
    (ContactError) comes before anything is changed, so the session stays clean."""
    checked = _checked(data)
    clash = db.session.scalar(
        db.select(Contact).filter_by(member_id=checked.member_id, email=checked.email)
    )
    if clash is not None and clash is not contact:
        raise ContactError("email", N_("This member has a contact with this address already."))
    if contact is None:
        contact = Contact()
        db.session.add(contact)
    contact.member_id = checked.member_id
    contact.kind = checked.kind
    contact.name = checked.name
    contact.email = checked.email
    contact.languages = checked.languages
    contact.active = checked.active
    db.session.flush()
    record("contacts.saved", subject_type="contact", subject_id=contact.id, subject=contact.email)
    db.session.commit()
    return contact


def remove_contact(contact: Contact) -> None:
    record("contacts.removed", subject_type="contact", subject_id=contact.id, subject=contact.email)
    db.session.delete(contact)
    db.session.commit()


def contacts_by_member(language: str) -> list[tuple[Member, list[Contact]]]:
    """Every member state with its contacts (states without contacts too), by name in
    `language`."""
    states = sorted(
        db.session.scalars(db.select(Member).where(Member.kind == MemberKind.MEMBER_STATE)),
        key=lambda state: member_key(state, language),
    )
    contacts = db.session.scalars(db.select(Contact).order_by(Contact.kind, Contact.name)).all()
    grouped: dict[int, list[Contact]] = {}
    for contact in contacts:
        grouped.setdefault(contact.member_id, []).append(contact)
    return [(state, grouped.get(state.id, [])) for state in states]


def active_contacts(member_ids: list[int] | None = None) -> list[Contact]:
    """The active contacts of these members (all member states' when None)."""
    query = db.select(Contact).join(Contact.member).where(Contact.active.is_(True))
    if member_ids is None:
        query = query.where(Member.kind == MemberKind.MEMBER_STATE)
    else:
        query = query.where(Contact.member_id.in_(member_ids))
    return list(db.session.scalars(query.order_by(Member.name, Contact.id)))
