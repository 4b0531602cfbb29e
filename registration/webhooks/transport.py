"""One POST of a webhook: signed (Standard Webhooks), no redirects, no proxies, and over a
connection whose peer address is checked once connected (`guard.check_peer`)."""

from __future__ import annotations

import base64
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from standardwebhooks.webhooks import Webhook
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from registration.webhooks.guard import check_peer

SECRET_PREFIX = "whsec_"  # noqa: S105 (how a secret is written, not a secret)
EXCERPT_BYTES = 1000


def new_secret() -> str:
    """A signing secret as Standard Webhooks writes it: whsec_ and 24 random bytes, base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def signed_headers(secret: str, message_id: str, body: str, now: datetime) -> dict[str, str]:
    """webhook-id, webhook-timestamp and webhook-signature (v1, HMAC-SHA256) of a body."""
    signature = Webhook(secret).sign(message_id, now, body)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/json",
        "user-agent": "CICA-registration-webhooks/1",
    }


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    excerpt: str
    error: str
    milliseconds: int

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _checked(base: type[Any], allowlist: tuple[str, ...]) -> type[Any]:
    def _new_conn(self: Any) -> Any:
        sock = base._new_conn(self)
        try:
            check_peer(self.host, sock.getpeername()[0], allowlist)
        except Exception:
            sock.close()
            raise
        return sock

    return type(f"Checked{base.__name__}", (base,), {"_new_conn": _new_conn})


class _CheckedAdapter(HTTPAdapter):
    def __init__(self, allowlist: tuple[str, ...]) -> None:
        self.allowlist = allowlist
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        http = type("Pool", (HTTPConnectionPool,), {})
        http.ConnectionCls = _checked(HTTPConnection, self.allowlist)
        https = type("TLSPool", (HTTPSConnectionPool,), {})
        https.ConnectionCls = _checked(HTTPSConnection, self.allowlist)
        self.poolmanager.pool_classes_by_scheme = {"http": http, "https": https}


class _Sessions(threading.local):
    session: requests.Session | None = None
    allowlist: tuple[str, ...] = ()


_sessions = _Sessions()


def _session(allowlist: tuple[str, ...]) -> requests.Session:
    """This thread's session (connections kept between deliveries)."""
    if _sessions.session is None or _sessions.allowlist != allowlist:
        session = requests.Session()
        session.trust_env = False  # no proxy from the environment: the peer is the target
        adapter = _CheckedAdapter(allowlist)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        _sessions.session, _sessions.allowlist = session, allowlist
    return _sessions.session


def post(url: str, body: str, headers: dict[str, str], *, timeout: float,
         allowlist: tuple[str, ...]) -> Answer:  # fmt: skip
    """POST and read the start of the answer; every failure becomes an Answer."""
    started = time.monotonic()
    try:
        response = _session(allowlist).post(
            url, data=body.encode(), headers=headers, timeout=timeout,
            allow_redirects=False, stream=True,
        )  # fmt: skip
        with response:
            excerpt = response.raw.read(EXCERPT_BYTES, decode_content=True) or b""
        code, text, error = response.status_code, excerpt.decode("utf-8", "replace"), ""
    except Exception as failure:  # network, TLS, refused peer: all worth a retry
        code, text, error = None, "", f"{type(failure).__name__}: {failure}"[:1000]
    elapsed = int((time.monotonic() - started) * 1000)
    return Answer(code, text, error, elapsed)


def now_utc() -> datetime:
    return datetime.now(UTC)
