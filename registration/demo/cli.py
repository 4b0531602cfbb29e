"""`flask seed-demo`."""

from __future__ import annotations

import click
from flask import Blueprint

from registration.demo.seed import seed_demo

cli = Blueprint("demo_cli", __name__, cli_group=None)


@cli.cli.command("seed-demo")
def seed_demo_command() -> None:
    """Load the CICA member states and the two conferences of the source documents."""
    summary = seed_demo()
    click.echo(summary)
