"""Two-factor sign-in: TOTP codes from an authenticator app (pyotp), and recovery codes.

pyotp implements RFC 6238 as every authenticator app reads it (30-second steps, six digits,
SHA-1); a code is accepted one step early or late, and never twice (the last step used is
kept). Ten recovery codes are shown once at enrolment; each works once, stored as SHA-256.

Until its first code confirms it, the key being set up waits in the session (in Redis or the
instance folder), sealed like the stored keys (totp_keys) together with the account's id:
it opens for ENROLMENT_MINUTES, and only for that account.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, update

from registration.accounts import totp_keys
from registration.accounts.models import RecoveryCode, User
from registration.accounts.totp_keys import UnreadableTotpKeyError
from registration.database import db, utcnow

ISSUER = "CICA events"
RECOVERY_CODES = 10
_DIGITS = re.compile(r"\d{6}")
ENROLMENT_MINUTES = 15  # time to scan the code and type the first one; then a new key


def new_secret() -> str:
    return pyotp.random_base32()


def seal_enrolment(user: User, secret: str) -> str:
    """The key being set up, sealed with the account's id, for the session to keep."""
    return totp_keys.seal(f"{user.id}:{secret}")


def open_enrolment(user: User, sealed: str) -> str | None:
    """The key `seal_enrolment` sealed for this account less than ENROLMENT_MINUTES ago;
    None when older, sealed under a key no longer configured, or sealed for another account."""
    try:
        opened = totp_keys.unseal(sealed, ttl=ENROLMENT_MINUTES * 60)
    except UnreadableTotpKeyError:
        return None
    account, _, secret = opened.partition(":")
    if account != str(user.id):
        current_app.logger.warning("two-factor set-up of account %s: another's key", user.id)
        return None
    return secret


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The address as an inline <svg> (no style attributes, CSP-safe)."""
    return segno.make_qr(uri, error="m").svg_inline(
        scale=4, border=2, omitsize=True, title="QR code for your authenticator app"
    )


def _step_accepted(secret: str, code: str, after: int | None) -> int | None:
    """The time step a six-digit code belongs to (this one, or one either side), unless
    that step is not later than `after`."""
    code = code.replace(" ", "")
    if not secret or not _DIGITS.fullmatch(code):  # no key: no code is right
        return None
    totp = pyotp.TOTP(secret)
    now = int(time.time()) // totp.interval
    for step in (now, now - 1, now + 1):
        fresh = after is None or step > after
        if fresh and secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").replace(" ", "").lower().encode()).hexdigest()


def enable(user: User, secret: str, code: str) -> list[str] | None:
    """Turn two-factor sign-in on when `code` proves the app has `secret`; the recovery codes
    (shown once), or None for a wrong code. Commits."""
    step = _step_accepted(secret, code, None)
    if step is None:
        return None
    user.totp_secret, user.totp_last_step = secret, step
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(c)) for c in codes)
    db.session.commit()
    current_app.logger.info("two-factor sign-in enabled for account %s", user.id)
    return codes


def disable(user: User) -> None:
    user.totp_secret, user.totp_last_step = None, None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.commit()


def _secret(user: User) -> str:
    """The account's TOTP key; "" when its sealing key is gone (then only a recovery code
    signs in, and the account sets two-factor sign-in up again)."""
    try:
        return user.totp_secret or ""
    except UnreadableTotpKeyError:
        current_app.logger.error("account %s: two-factor key unreadable", user.id, exc_info=True)
        return ""


def verify(user: User, code: str) -> bool:
    """Is this the account's current TOTP code, or one of its unused recovery codes? A code
    that passes is used up. Commits."""
    if not user.has_two_factor:
        return False
    step = _step_accepted(_secret(user), code, user.totp_last_step)
    if step is not None:
        # Only one request can move the step forward: a code replayed at once fails here.
        moved = db.session.execute(
            update(User)
            .where(User.id == user.id)
            .where(User.totp_last_step.is_(None) | (User.totp_last_step < step))
            .values(totp_last_step=step)
        ).rowcount
        db.session.commit()
        return bool(moved)
    used = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
    ).rowcount
    db.session.commit()
    return bool(used)


def recovery_codes_left(user: User) -> int:
    return (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        )
        or 0
    )
