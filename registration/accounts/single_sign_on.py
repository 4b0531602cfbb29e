"""Signing in through the Secretariat's identity provider (OpenID Connect, with Authlib).

Optional: on when OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set. Authlib reads
the provider's discovery document, runs the authorization-code flow with state and nonce,
and checks the ID token's signature against the provider's keys. The account is the active
one whose e-mail the provider says it has verified; roles are still granted here.
"""

from __future__ import annotations

from typing import Any

from authlib.integrations.flask_client import OAuth
from flask import current_app
from flask_babel import gettext

from registration.accounts.models import User
from registration.accounts.services import normalize_email
from registration.database import db
from registration.i18n import N_

NAME = "secretariat"
SETTINGS = ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET")


class SignOnError(ValueError):
    """Why the provider's answer signs nobody in, fit to show the person."""


def enabled() -> bool:
    return all(current_app.config.get(name) for name in SETTINGS)


def provider_name() -> str:
    return current_app.config["OIDC_PROVIDER_NAME"]


def client() -> Any:
    """The provider's Authlib client, made again when the settings changed."""
    config = current_app.config
    settings = tuple(config[name] for name in SETTINGS)
    made = current_app.extensions.get("oidc")
    if made is None or made[0] != settings:
        oauth = OAuth(current_app._get_current_object())  # type: ignore[attr-defined]
        remote = oauth.register(
            NAME,
            client_id=config["OIDC_CLIENT_ID"],
            client_secret=config["OIDC_CLIENT_SECRET"],
            server_metadata_url=config["OIDC_ISSUER"].rstrip("/")
            + "/.well-known/openid-configuration",
            client_kwargs={"scope": "openid email profile"},
        )
        made = current_app.extensions["oidc"] = (settings, remote)
    return made[1]


def account_for(claims: dict[str, Any]) -> User:
    """The active account whose verified e-mail the ID token names."""
    email = normalize_email(str(claims.get("email") or ""))
    if not email or claims.get("email_verified") is not True:
        raise SignOnError(N_("The identity provider did not confirm a verified e-mail address."))
    user = db.session.scalar(db.select(User).filter_by(email=email))
    if user is None or not user.is_active:
        raise SignOnError(
            gettext(
                "There is no active account for %(email)s here. "
                "Ask the Secretariat to grant you a role.",
                email=email,
            )
        )
    return user
