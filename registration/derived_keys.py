"""Fernet keys derived from SECRET_KEY, one per purpose (HKDF-SHA256), so that each kind of
secret at rest (webhook signing secrets, two-factor keys) is sealed under its own key."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def derived_fernet(secret_key: str, purpose: bytes) -> Fernet:
    """The Fernet whose key HKDF derives from `secret_key` for `purpose`."""
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))
