"""Two-factor (TOTP) keys at rest: sealed with Fernet from `cryptography`, so a copy of the
database (a backup, a replica, a dump for support) alone gives nobody a second factor. A key
being set up is sealed the same way in the session (two_factor.seal_enrolment), so a copy of
the session store gives nobody one either.

`MultiFernet` seals with the first key and opens with any: the keys of TOTP_SECRET_KEYS
(comma-separated Fernet keys, newest first), then a key derived from SECRET_KEY
(HKDF-SHA256, its own purpose, so it is not the key that seals webhook secrets). With
TOTP_SECRET_KEYS empty the derived key seals: nothing to set up on a laptop.

Rotating (README, "Two-factor keys"): put the new key first in TOTP_SECRET_KEYS, keep the
old after it, run `flask --app registration reseal-totp-keys` (it seals every stored key
again under the first), then drop the old key. Before changing SECRET_KEY with
TOTP_SECRET_KEYS empty, set TOTP_SECRET_KEYS first and reseal: the keys sealed under the
derived key are opened by it until SECRET_KEY changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

from registration.derived_keys import derived_fernet

PURPOSE = b"cica two-factor keys"


class UnreadableTotpKeyError(RuntimeError):
    """The stored key was sealed under a key that is no longer configured."""


def keys(config: Mapping[str, Any] | None = None) -> MultiFernet:
    """TOTP_SECRET_KEYS' keys, then SECRET_KEY's derived one; the first seals."""
    config = config if config is not None else current_app.config
    chosen = [Fernet(key.encode()) for key in config.get("TOTP_SECRET_KEYS", ())]
    return MultiFernet([*chosen, derived_fernet(str(config["SECRET_KEY"]), PURPOSE)])


def seal(secret: str) -> str:
    return keys().encrypt(secret.encode()).decode()


def unseal(sealed: str, ttl: int | None = None) -> str:
    """What `seal` sealed; with `ttl`, only when sealed at most that many seconds ago (a key
    still being set up, which the session keeps sealed too)."""
    try:
        return keys().decrypt(sealed.encode(), ttl).decode()
    except InvalidToken:
        raise UnreadableTotpKeyError(
            "a two-factor key sealed under a key no longer in TOTP_SECRET_KEYS (or under an "
            "earlier SECRET_KEY), or sealed longer ago than its time to live: restore that "
            "key, or the account signs in with a recovery code and sets two-factor sign-in "
            "up again"
        ) from None


def reseal(sealed: str, config: Mapping[str, Any] | None = None) -> str:
    """The same key sealed under the first key (MultiFernet.rotate)."""
    return keys(config).rotate(sealed.encode()).decode()
