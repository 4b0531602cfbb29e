"""`flask create-organizer EMAIL`."""

from __future__ import annotations

import click
from flask import Blueprint

from registration.accounts.services import AccountError, create_user

cli = Blueprint("accounts_cli", __name__, cli_group=None)


@cli.cli.command("create-organizer")
@click.argument("email")
@click.option("--name", default="", help="Name shown in the interface.")
@click.password_option(help="Asked for when not given.")
def create_organizer(email: str, name: str, password: str) -> None:
    """Create a secretariat organiser account."""
    try:
        user = create_user(email, password, name=name, organizer=True)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Organiser {user.email} created.")
