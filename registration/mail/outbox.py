"""Queueing mail: an outbox row in the caller's transaction; workers send it after commit."""

from __future__ import annotations

from typing import Any

from registration.database import insert_ignoring_conflicts, insert_many_ignoring_conflicts
from registration.mail.compose import new_message_id
from registration.mail.models import OutgoingMail
from registration.mail.services import SEND_TASK, publish_after_commit


def queue_intent(
    composer: str,
    intent: dict[str, Any],
    *,
    key: str,
    recipient: str,
    batch: str | None = None,
    thread: str | None = None,
    sequence: int | None = None,
) -> int | None:
    """Add what a message is about to the outbox (the worker composes it with `composer`)
    unless a row with this idempotency key exists; its id, or None when the key was taken.

    Does not commit: the row lands with the change that caused it, or not at all. Two
    transactions queueing the same key at once end with one row, never a unique-key error.
    """
    outbox_id = insert_ignoring_conflicts(
        OutgoingMail,
        {
            "idempotency_key": key,
            "batch": batch,
            "recipient": recipient,
            "subject": "",
            "message_id": new_message_id(),
            "composer": composer,
            "intent": intent,
            "thread": thread,
            "sequence": sequence,
        },
    )
    if outbox_id is not None:
        publish_after_commit(SEND_TASK, outbox_id)
    return outbox_id


def queue_intents(composer: str, messages: list[dict[str, Any]]) -> set[str]:
    """Many `queue_intent`s of one composer in one statement; each message is a dict of
    `queue_intent`'s arguments (key, recipient, intent, batch, thread, sequence). Returns
    the keys that were free (their rows written). Does not commit."""
    rows = [
        {
            "idempotency_key": message["key"],
            "batch": message.get("batch"),
            "recipient": message["recipient"],
            "subject": "",
            "message_id": new_message_id(),
            "composer": composer,
            "intent": message["intent"],
            "thread": message.get("thread"),
            "sequence": message.get("sequence"),
        }
        for message in messages
    ]
    written = sorted(insert_many_ignoring_conflicts(OutgoingMail, rows))
    for outbox_id, _ in written:
        publish_after_commit(SEND_TASK, outbox_id)
    return {key for _, key in written}
