"""Demo contacts: for every member state its ministry of foreign affairs and its embassy in
Astana, each reading English, and Russian or Kazakh where the state writes in them."""

from __future__ import annotations

from registration.database import db
from registration.directory.models import Contact, ContactKind, Member, MemberKind

# The states whose ministries read Russian (and Kazakhstan's, Kazakh too) besides English.
READS_RUSSIAN = {"AZE", "KAZ", "KGZ", "RUS", "TJK", "UZB", "MNG"}


def languages_of(code: str) -> list[str]:
    if code == "KAZ":
        return ["en", "ru", "kk"]
    return ["en", "ru"] if code in READS_RUSSIAN else ["en"]


def seed_contacts() -> int:
    """Adds the demo contacts that are missing; returns how many there are."""
    states = db.session.scalars(db.select(Member).filter_by(kind=MemberKind.MEMBER_STATE))
    existing = {(c.member_id, c.email) for c in db.session.scalars(db.select(Contact))}
    for state in states:
        code = state.code.lower()
        addresses = (
            (ContactKind.MFA, f"Ministry of Foreign Affairs of {state.name}", "notes@mfa"),
            (ContactKind.EMBASSY, f"Embassy of {state.name} in Astana", "astana@embassy"),
        )
        for kind, name, mailbox in addresses:
            email = f"{mailbox}.{code}.example"
            if (state.id, email) not in existing:
                db.session.add(
                    Contact(
                        member=state,
                        kind=kind,
                        name=name,
                        email=email,
                        languages=languages_of(state.code),
                    )
                )
    db.session.commit()
    return db.session.scalar(db.select(db.func.count()).select_from(Contact)) or 0
