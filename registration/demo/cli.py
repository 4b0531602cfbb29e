"""`flask seed-demo [--organizer EMAIL --password PW]`."""

from __future__ import annotations

import click
from flask import Blueprint

from registration.accounts.services import AccountError
from registration.demo.seed import seed_demo

cli = Blueprint("demo_cli", __name__, cli_group=None)


@cli.cli.command("seed-demo")
@click.option("--organizer", "organizer_email", help="Also create this demo organiser account.")
@click.option("--password", help="Password of the demo organiser (with --organizer).")
def seed_demo_command(organizer_email: str | None, password: str | None) -> None:
    """Load the CICA member states and the two conferences of the source documents."""
    if organizer_email and not password:
        raise click.UsageError("--organizer needs --password.")
    if password and not organizer_email:
        raise click.UsageError("--password is only used with --organizer.")
    try:
        summary = seed_demo(organizer_email, password)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(summary)
