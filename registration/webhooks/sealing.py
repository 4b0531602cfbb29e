"""Signing secrets at rest: sealed with Fernet (cryptography) under WEBHOOK_SECRET_KEY, or a
key derived from SECRET_KEY (HKDF-SHA256), so a copy of the database alone signs nothing."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

from registration.derived_keys import derived_fernet
from registration.i18n import N_

PURPOSE = b"cica webhook signing secrets"


class UnreadableSecretError(RuntimeError):
    """The stored secret was sealed under another key (the key setting changed)."""


def fernet(config: dict | None = None) -> Fernet:
    """The Fernet of the app's key: WEBHOOK_SECRET_KEY, else derived from SECRET_KEY."""
    config = config if config is not None else current_app.config
    chosen = config.get("WEBHOOK_SECRET_KEY") or ""
    if chosen:
        return Fernet(chosen.encode())
    return derived_fernet(str(config["SECRET_KEY"]), PURPOSE)


def seal(secret: str) -> str:
    return fernet().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str:
    try:
        return fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:
        raise UnreadableSecretError(
            N_(
                "This webhook secret was sealed under another key: restore WEBHOOK_SECRET_KEY "
                "(or SECRET_KEY), or delete the subscription and subscribe again."
            )
        ) from None
