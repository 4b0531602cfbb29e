"""The Secretariat's rules for staff accounts, set by an administrator."""

from __future__ import annotations

from registration.database import db, utcnow
from registration.staff.models import StaffPolicy

POLICY_ID = 1


def current() -> StaffPolicy:
    """The policy in force (its defaults until an administrator saves it)."""
    return db.session.get(StaffPolicy, POLICY_ID) or StaffPolicy(
        id=POLICY_ID, two_factor_required=False
    )


def two_factor_required() -> bool:
    return bool(
        db.session.scalar(db.select(StaffPolicy.two_factor_required).filter_by(id=POLICY_ID))
    )


def require_two_factor(required: bool) -> None:
    """Commits."""
    policy = db.session.get(StaffPolicy, POLICY_ID)
    if policy is None:
        policy = StaffPolicy(id=POLICY_ID)
        db.session.add(policy)
    policy.two_factor_required, policy.updated_at = required, utcnow()
    db.session.commit()
