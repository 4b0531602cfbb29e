"""What organisers see of the outbox: counts per batch, dead letters."""

from __future__ import annotations

from sqlalchemy import func

from registration.database import db
from registration.mail.models import MailStatus, OutgoingMail


def conference_batch_prefix(conference_id: int) -> str:
    """Batches (bulk sends, fan-out jobs) of one conference start with this."""
    return f"conference-{conference_id}-"


def outbox_summary(prefix: str = "") -> list[tuple[str, dict[MailStatus, int]]]:
    """Status counts per batch, newest batch first; `prefix` narrows to one conference."""
    query = db.select(
        OutgoingMail.batch, OutgoingMail.status, func.count(), func.max(OutgoingMail.id)
    ).group_by(OutgoingMail.batch, OutgoingMail.status)
    if prefix:
        query = query.where(OutgoingMail.batch.startswith(prefix, autoescape=True))
    summary: dict[str, dict[MailStatus, int]] = {}
    newest: dict[str, int] = {}
    for batch, status, count, last_id in db.session.execute(query):
        name = batch or "(none)"
        summary.setdefault(name, {})[MailStatus(status)] = count
        newest[name] = max(newest.get(name, 0), last_id)
    return sorted(summary.items(), key=lambda item: -newest[item[0]])


def dead_letters(prefix: str = "", limit: int = 200) -> list[OutgoingMail]:
    query = (
        db.select(OutgoingMail)
        .where(OutgoingMail.status == MailStatus.FAILED)
        .order_by(OutgoingMail.updated_at.desc())
        .limit(limit)
    )
    if prefix:
        query = query.where(OutgoingMail.batch.startswith(prefix, autoescape=True))
    return list(db.session.scalars(query))
