"""What the retention rule erases of in-person delegates: every answer to the conference's
questions with its files, badge photos, and the passport data of visa letters (their
numbers, states and dates stay, so the register keeps no gap). Called by
registration/retention/erasure.py with the other personal data; does not commit."""

from __future__ import annotations

from collections.abc import Iterable

from registration.delegates.letters import erase_passport_data
from registration.signup.answers import erase_answers
from registration.signup.photos import erase_photos


def erase_delegate_data(registration_ids: Iterable[int]) -> int:
    """Erase these registrations' answers, photos and passport data; how many rows changed.
    Files leave the disk when the transaction commits."""
    ids = list(registration_ids)
    if not ids:
        return 0
    return erase_answers(ids) + erase_photos(ids) + erase_passport_data(ids)
