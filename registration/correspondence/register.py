"""The register's API: take the next number of a scheme, cancel one. That is all.

    entry = register.take_number(scheme_id, "Summary of ...", user_id)
    entry.reference("ru")  # 'ТТФ/374'

`take_number` does not commit: the number belongs to the caller's transaction, so a
rolled-back issue gives its number back and no number is ever skipped. The scheme's counter
row is locked (SELECT ... FOR UPDATE) until that transaction ends, so two organisers issuing
at the same moment get consecutive numbers, one after the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext

from registration.audit.recorder import record
from registration.correspondence.models import EntryStatus, NumberingScheme, RegisterEntry
from registration.database import db, utcnow
from registration.i18n import N_, in_language, message_value, worded


class RegisterError(Exception):
    """A register change refused, in words for the organiser."""


# How the audit log names a register entry, in its reader's language.
NUMBER = N_("No. %(number)s")
NUMBER_ABOUT = N_("No. %(number)s: %(subject)s")


def take_number(
    scheme_id: int,
    subject: str,
    issued_by_id: int | None = None,
    *,
    subject_values: Mapping[str, Any] | None = None,
    conference_id: int | None = None,
) -> RegisterEntry:
    """The next number of the scheme, recorded as issued in the caller's transaction.
    `subject` is text as typed, or with `subject_values` a marked message: the register keeps
    its English words, the audit log the message, worded in its reader's language."""
    scheme = db.session.scalar(
        db.select(NumberingScheme)
        .where(NumberingScheme.id == scheme_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if scheme is None:
        raise RegisterError(N_("There is no such numbering scheme."))
    entry = RegisterEntry(
        scheme=scheme,
        number=scheme.next_number,
        subject=_english(subject, subject_values)[:300],
        issued_by_id=issued_by_id,
    )
    scheme.next_number += 1
    db.session.add(entry)
    db.session.flush()
    about = subject if subject_values is None else message_value(subject, subject_values)
    record(
        "correspondence.number_taken",
        subject_type="register_entry",
        subject_id=entry.id,
        subject=NUMBER_ABOUT,
        subject_values={"number": entry.references(), "subject": about},
        conference_id=conference_id,
    )
    return entry


def cancel(
    entry: RegisterEntry,
    reason: str,
    *,
    reason_values: Mapping[str, Any] | None = None,
    conference_id: int | None = None,
) -> None:
    """Mark a number as cancelled (it stays in the register); in the caller's transaction.
    `reason` as typed, or with `reason_values` a marked message (as `take_number`'s subject)."""
    if entry.status is EntryStatus.CANCELLED:
        raise RegisterError(
            gettext("No. %(number)s is already cancelled.", number=entry.reference())
        )
    if not reason.strip():
        raise RegisterError(N_("Say why the number is cancelled."))
    entry.status = EntryStatus.CANCELLED
    entry.cancelled_at = utcnow()
    entry.cancel_reason = _english(reason.strip(), reason_values)
    record(
        "correspondence.number_cancelled",
        subject_type="register_entry",
        subject_id=entry.id,
        subject=NUMBER,
        subject_values={"number": entry.references()},
        conference_id=conference_id,
        note=reason.strip(),
        note_values=reason_values,
    )


def _english(text: str, values: Mapping[str, Any] | None) -> str:
    """What the register keeps: typed text as it is, a message worded in English."""
    if values is None:
        return text
    with in_language("en"):
        return worded(text, values)


def take_number_by_hand(scheme_id: int, subject: str, issued_by_id: int) -> RegisterEntry:
    """A number taken on the register's page, for a letter written elsewhere. Commits."""
    entry = take_number(scheme_id, subject, issued_by_id)
    db.session.commit()
    return entry


def cancel_by_hand(entry: RegisterEntry, reason: str) -> None:
    """A number cancelled on the register's page; nothing changes on a RegisterError. Commits."""
    try:
        cancel(entry, reason)
    except RegisterError:
        db.session.rollback()
        raise
    db.session.commit()


def create_scheme(
    code: str, name: str, prefix: str, prefix_cyrillic: str, first_number: int = 1
) -> NumberingScheme:
    """A new numbering scheme whose first number is `first_number`; commits. A code taken
    is refused (RegisterError) before anything is added."""
    if db.session.scalar(db.select(NumberingScheme).filter_by(code=code)) is not None:
        raise RegisterError(gettext("A scheme with the code %(code)s exists already.", code=code))
    scheme = NumberingScheme(
        code=code,
        name=name,
        prefix=prefix,
        prefix_cyrillic=prefix_cyrillic,
        next_number=first_number,
    )
    db.session.add(scheme)
    db.session.commit()
    return scheme


def schemes() -> list[NumberingScheme]:
    return list(db.session.scalars(db.select(NumberingScheme).order_by(NumberingScheme.code)))
