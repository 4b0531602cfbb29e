"""`flask personal-data erase [--dry-run]`: what the beat task erases, by hand."""

from __future__ import annotations

import click
from flask import Blueprint

from registration.retention import services

cli = Blueprint("retention_cli", __name__, cli_group="personal-data")


@cli.cli.command("erase")
@click.option("--dry-run", is_flag=True, help="List what would go; change nothing.")
def erase(dry_run: bool) -> None:
    """Erase participants' personal data of conferences whose retention period is over."""
    due = services.survey()
    if not due:
        click.echo("No conference is due for erasure.")
        return
    for item in due:
        conference = item.conference
        click.echo(
            f"{conference.slug}: ended {conference.ends_at:%Y-%m-%d}, "
            f"due {item.due_at:%Y-%m-%d} ({services.months_for(conference)} months): "
            f"{item.erased.words()}"
        )
    if dry_run:
        click.echo("Dry run: nothing was changed.")
        return
    done = services.erase_due()
    click.echo(f"Erased the personal data of {len(done)} conference(s).")
