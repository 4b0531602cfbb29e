"""Erasing personal data from the outbox: who a message went to and what it said."""

from __future__ import annotations

import re
from collections.abc import Iterable
from email.parser import BytesHeaderParser
from email.utils import getaddresses
from pathlib import Path

from flask import current_app
from sqlalchemy import Select, String, Subquery, and_, cast, literal, update

from registration.database import db
from registration.i18n import N_
from registration.mail.models import UNSENT_FOR_GOOD, MailStatus, OutgoingMail

ERASED_RECIPIENT = "erased@erased.invalid"
# Stored as this marker, shown translated (the outbox page's `|translate`).
ERASED_SUBJECT = N_("(erased)")
# Messages still to be sent keep their data until they are sent (or given up).
DONE = (MailStatus.SENT, MailStatus.FAILED, *UNSENT_FOR_GOOD)
# Messages no worker holds yet; one INFLIGHT is being sent and is erased once it is done.
UNSENT = (MailStatus.QUEUED, MailStatus.AWAITING_RETRY)
CANCELLED = N_("cancelled: the person's data was erased before it went")
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


def messages_about(owners: Subquery, word: str) -> Select[tuple[int]]:
    """`messages_to` in SQL, for the counts: ids of the sent or given-up rows to an owner
    (a subquery of `email` and `id`) whose key names it, "<word>:<id>[:...]"."""
    key = OutgoingMail.idempotency_key
    word_pattern = "[a-z-]+" if word == "*" else re.escape(word)
    named = literal(f"^{word_pattern}:") + cast(owners.c.id, String) + literal("(:|$)")
    about = [OutgoingMail.recipient == owners.c.email, key.regexp_match(named)]
    if word == "*":
        about.append(~key.startswith("invitation:"))
    return (
        db.select(OutgoingMail.id).join(owners, and_(*about)).where(OutgoingMail.status.in_(DONE))
    )


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


def cancel_unsent(outbox_ids: list[int]) -> int:
    """Cancel these messages that no worker has taken yet and blank what they would have
    said (the stored body or the intent); does not commit. A worker's claim holds its rows
    locked, so a row it took is left to it. Returns how many were cancelled."""
    if not outbox_ids:
        return 0
    result = db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id.in_(outbox_ids), OutgoingMail.status.in_(UNSENT))
        .values(
            status=MailStatus.SKIPPED,
            recipient=ERASED_RECIPIENT,
            subject=ERASED_SUBJECT,
            message=b"",
            intent=None,
            last_error=CANCELLED,
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def erase_mailbox_files(addresses: Iterable[str]) -> int:
    """Delete the messages the local mail catcher stored (MAILBOX_FOLDER, development
    delivery to files) that were addressed to any of `addresses`; how many went."""
    wanted = {address.lower() for address in addresses}
    folder = Path(current_app.config["MAILBOX_FOLDER"])
    if not wanted or not folder.is_dir():
        return 0
    removed = 0
    for path in folder.glob("*.eml"):
        try:
            with path.open("rb") as handle:
                headers = BytesHeaderParser().parse(handle)
        except OSError:  # gone meanwhile, or unreadable: nothing to erase here
            continue
        named = headers.get_all("To", []) + headers.get_all("Cc", [])
        if wanted & {address.lower() for _, address in getaddresses(named)}:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
