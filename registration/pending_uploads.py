"""Uploads kept while a form comes back for a mistake in another field: the file as sent is
stored as a pending upload (under `FILES_FOLDER/pending`, outside the web root) and the page
carries a signed token for it in a hidden field, so the person need not choose it again.

A token names its purpose (the question or the photo it was sent for) and is good for
`MAX_AGE_SECONDS`; the hourly retention beat sweeps pending files older than that.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

SALT = "files.pending.v1"
MAX_AGE_SECONDS = 24 * 3600
_KEY = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Kept:
    """A pending upload: the token the page carries and the file's name as sent."""

    token: str
    filename: str


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _folder() -> Path:
    folder = Path(current_app.config["FILES_FOLDER"]) / "pending"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def keep(content: bytes, filename: str, purpose: str) -> Kept:
    """Store the bytes as sent; the token names them, their name and their purpose."""
    key = secrets.token_hex(16)
    path = _folder() / key
    path.write_bytes(content)
    path.chmod(0o600)
    name = filename[:255]
    return Kept(_serializer().dumps({"k": key, "n": name, "p": purpose}), name)


def take(token: str, purpose: str) -> tuple[bytes, Kept] | None:
    """The bytes of a pending upload and what the page shows of it; None when the token is
    not ours, is for another purpose, is too old or its file is gone."""
    if not token or len(token) > 1000:
        return None
    try:
        value = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
    except BadData:
        return None
    if not isinstance(value, dict) or value.get("p") != purpose:
        return None
    key, name = value.get("k"), value.get("n")
    if not isinstance(key, str) or not _KEY.fullmatch(key) or not isinstance(name, str):
        return None
    path = _folder() / key
    if not path.is_file():
        return None
    return path.read_bytes(), Kept(token, name)


def sweep(now: float | None = None) -> int:
    """Remove pending uploads older than a token lives; returns how many went."""
    oldest = (now if now is not None else time.time()) - MAX_AGE_SECONDS
    removed = 0
    for path in _folder().iterdir():
        if path.is_file() and path.stat().st_mtime < oldest:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
