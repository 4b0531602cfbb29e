"""`flask create-administrator EMAIL`, `flask deactivate-account EMAIL` and
`flask reseal-totp-keys` (after a change of the keys sealing two-factor keys)."""

from __future__ import annotations

import click
from flask import Blueprint

from registration.accounts import totp_keys
from registration.accounts.models import User
from registration.accounts.services import AccountError, create_user, deactivate, normalize_email
from registration.database import db

cli = Blueprint("accounts_cli", __name__, cli_group=None)


@cli.cli.command("create-administrator")
@click.argument("email")
@click.option("--name", default="", help="Name shown in the interface.")
@click.password_option(help="Asked for when not given.")
def create_administrator(email: str, name: str, password: str) -> None:
    """Create a Secretariat-wide administrator account (every conference, every role)."""
    try:
        user = create_user(email, password, name=name, administrator=True)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Administrator {user.email} created.")


@cli.cli.command("deactivate-account")
@click.argument("email")
def deactivate_account(email: str) -> None:
    """Stop an account from signing in; its sign-ins end at once, on every node."""
    user = db.session.scalar(db.select(User).filter_by(email=normalize_email(email)))
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    deactivate(user)
    click.echo(f"{user.email} is deactivated; its sign-ins have ended.")


@cli.cli.command("reseal-totp-keys")
def reseal_totp_keys() -> None:
    """Seal every stored two-factor key again under the first key of TOTP_SECRET_KEYS (or
    SECRET_KEY's derived key): run after putting a new key first, before dropping the old."""
    users = db.session.scalars(db.select(User).where(User.sealed_totp_secret.is_not(None)))
    count = 0
    for user in users:
        user.sealed_totp_secret = totp_keys.reseal(user.sealed_totp_secret or "")
        count += 1
    db.session.commit()
    click.echo(f"{count} two-factor keys sealed under the first key.")
