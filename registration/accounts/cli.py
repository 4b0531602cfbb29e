"""`flask create-administrator EMAIL` and `flask deactivate-account EMAIL`."""

from __future__ import annotations

import click
from flask import Blueprint

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
