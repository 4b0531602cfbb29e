"""`flask dev-services`: the local mail catcher and a real Celery worker with beat embedded."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import click
from flask import Blueprint, current_app

cli = Blueprint("mail_cli", __name__, cli_group=None)


def dev_commands(mailbox: str, port: int, concurrency: int) -> list[list[str]]:
    """The catcher and the worker (beat embedded with -B), as argv lists."""
    python = sys.executable
    return [
        [python, "-m", "registration.mail.catcher", "--port", str(port), "--folder", mailbox],
        [
            python, "-m", "celery", "-A", "workers.app", "worker", "-B",
            "--concurrency", str(concurrency), "--loglevel", "INFO",
        ],
    ]  # fmt: skip


@cli.cli.command("dev-services")
@click.option("--concurrency", default=1, show_default=True, help="Worker processes.")
def dev_services(concurrency: int) -> None:
    """Run the mail catcher and a Celery worker + beat until Ctrl-C; stops both on exit.

    Without REDIS_URL the worker uses the embedded filesystem broker in the instance folder;
    caught mail lands in MAILBOX_FOLDER and shows on /manage/mailbox.
    """
    config = current_app.config
    mailbox = config["MAILBOX_FOLDER"]
    broker = config["CELERY"]["broker_url"]
    environment = {**os.environ, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(config["MAIL_PORT"])}
    processes = [
        subprocess.Popen(command, env=environment)  # noqa: S603
        for command in dev_commands(mailbox, config["MAIL_PORT"], concurrency)
    ]
    click.echo(f"mail catcher on 127.0.0.1:{config['MAIL_PORT']} -> {mailbox}")
    click.echo(f"celery worker + beat on {broker.split('@')[-1]}; Ctrl-C stops both")

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)  # also when started in the background by a script
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
        click.echo("a dev service exited; stopping the others", err=True)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
