"""Erasing personal data from the outbox: who a message went to and what it said."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import update

from registration.database import db
from registration.mail.models import UNSENT_FOR_GOOD, MailStatus, OutgoingMail

ERASED_RECIPIENT = "erased@erased.invalid"
ERASED_SUBJECT = "(erased)"
# Messages still to be sent keep their data until they are sent (or given up).
DONE = (MailStatus.SENT, MailStatus.FAILED, *UNSENT_FOR_GOOD)
_OWNER = re.compile(r"^([a-z-]+):(\d+)(?::|$)")


def messages_to(owners: Iterable[tuple[str, str, int]], *, done_only: bool = True) -> list[int]:
    """Outbox rows to these (address, key word, id): a key "<word>:<id>[:...]" names the
    registration or invitation a message was about; the address must match too, so one
    person's messages about another conference are left alone. `word` "*" is any word
    but "invitation"."""
    wanted: dict[str, list[tuple[str, int]]] = {}
    for address, word, owner_id in owners:
        wanted.setdefault(address, []).append((word, owner_id))
    if not wanted:
        return []
    query = db.select(OutgoingMail.id, OutgoingMail.idempotency_key, OutgoingMail.recipient).where(
        OutgoingMail.recipient.in_(list(wanted))
    )
    if done_only:
        query = query.where(OutgoingMail.status.in_(DONE))
    found = []
    for outbox_id, key, recipient in db.session.execute(query):
        match = _OWNER.match(key)
        if match is None:
            continue
        word, owner_id = match.group(1), int(match.group(2))
        for wanted_word, wanted_id in wanted[recipient]:
            same_word = word == wanted_word or (wanted_word == "*" and word != "invitation")
            if same_word and owner_id == wanted_id:
                found.append(outbox_id)
                break
    return found


def erase_messages(outbox_ids: list[int]) -> int:
    """Blank the address, subject and body of these messages (sent or given up); does not
    commit. Returns how many were erased."""
    if not outbox_ids:
        return 0
    result = db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id.in_(outbox_ids), OutgoingMail.status.in_(DONE))
        .values(recipient=ERASED_RECIPIENT, subject=ERASED_SUBJECT, message=b"", last_error="")
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
