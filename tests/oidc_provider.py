"""A small OpenID Connect provider for the tests: a real HTTP server on 127.0.0.1.

Discovery, an authorization endpoint that signs in whoever the test says (no login page),
a token endpoint checking the client's secret, the code and the redirect address, ID tokens
signed RS256 with joserfc (the JOSE library Authlib itself uses), the key set, and userinfo.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import Flask, abort, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

CLIENT_ID = "cica-events"
CLIENT_SECRET = "provider-secret-for-tests"


@dataclass
class Provider:
    """The running provider; set `person` to who signs in there next."""

    issuer: str
    person: dict[str, Any] = field(default_factory=dict)
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)


def _app(provider: Provider, key: RSAKey) -> Flask:
    app = Flask("oidc-provider")
    public = key.as_dict(private=False)

    @app.get("/.well-known/openid-configuration")
    def discovery() -> Any:
        return jsonify(
            issuer=provider.issuer,
            authorization_endpoint=f"{provider.issuer}/authorize",
            token_endpoint=f"{provider.issuer}/token",
            jwks_uri=f"{provider.issuer}/jwks",
            userinfo_endpoint=f"{provider.issuer}/userinfo",
            response_types_supported=["code"],
            subject_types_supported=["public"],
            id_token_signing_alg_values_supported=["RS256"],
            token_endpoint_auth_methods_supported=["client_secret_basic"],
        )

    @app.get("/jwks")
    def jwks() -> Any:
        return jsonify(keys=[public])

    @app.get("/authorize")
    def authorize() -> Any:
        if request.args.get("client_id") != CLIENT_ID or not provider.person:
            abort(400)
        code = secrets.token_urlsafe(16)
        provider.codes[code] = {
            "redirect_uri": request.args["redirect_uri"],
            "nonce": request.args.get("nonce"),
            "person": dict(provider.person),
        }
        query = urlencode({"code": code, "state": request.args.get("state", "")})
        return redirect(f"{request.args['redirect_uri']}?{query}")

    @app.post("/token")
    def token() -> Any:
        auth = request.authorization
        if auth is None or (auth.username, auth.password) != (CLIENT_ID, CLIENT_SECRET):
            return jsonify(error="invalid_client"), 401
        grant = provider.codes.pop(request.form.get("code", ""), None)
        if grant is None or grant["redirect_uri"] != request.form.get("redirect_uri"):
            return jsonify(error="invalid_grant"), 400
        now = int(time.time())
        claims = {
            "iss": provider.issuer,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "sub": grant["person"]["email"],
            "nonce": grant["nonce"],
            **grant["person"],
        }
        id_token = jwt.encode({"alg": "RS256", "kid": public["kid"]}, claims, key)
        return jsonify(
            access_token=secrets.token_urlsafe(16),
            token_type="Bearer",
            expires_in=300,
            id_token=id_token,
        )

    @app.get("/userinfo")
    def userinfo() -> Any:
        return jsonify(provider.person)

    return app


@contextmanager
def oidc_provider() -> Iterator[Provider]:
    key = RSAKey.generate_key(2048, parameters={"kid": "test-key"})
    server = make_server("127.0.0.1", 0, None, threaded=True)  # type: ignore[arg-type]
    provider = Provider(issuer=f"http://127.0.0.1:{server.server_port}")
    server.app = _app(provider, key)
    thread = threading.Thread(target=server.serve_forever, name="oidc-provider", daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        thread.join(timeout=5)
