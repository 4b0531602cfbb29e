"""Demo staff of the sample meeting, one per role, signing in with the demo password."""

from __future__ import annotations

from registration.accounts.models import User
from registration.accounts.services import authenticate, create_user, set_password
from registration.conferences.models import Conference
from registration.database import db
from registration.staff.models import StaffRole
from registration.staff.roles import Role

DEMO_STAFF = {
    Role.REVIEWER: ("reviewer.demo@cica.example", "Demo registrations reviewer"),
    Role.CHECK_IN: ("door.demo@cica.example", "Demo door volunteer"),
    Role.OBSERVER: ("observer.demo@cica.example", "Demo observer"),
}


def seed_staff(conference: Conference, password: str) -> list[str]:
    """An account per role in `conference` (created or brought back); their e-mails."""
    emails = []
    for role, (email, name) in DEMO_STAFF.items():
        user = db.session.scalar(db.select(User).filter_by(email=email))
        if user is None:
            user = create_user(email, password, name=name)
        elif authenticate(email, password) is None:
            user.is_active_account = True
            set_password(user, password)
        held = db.session.scalar(
            db.select(StaffRole).filter_by(user_id=user.id, conference_id=conference.id)
        )
        if held is None:
            db.session.add(StaffRole(user_id=user.id, conference_id=conference.id, role=role))
        else:
            held.role = role
        emails.append(email)
    db.session.commit()
    return emails
