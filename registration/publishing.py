"""Publishing Celery tasks after the transaction that asked for them commits.

A service calls `publish_after_commit(task, *args)` inside its transaction; once the session
commits, a request hands the tasks to the background publisher (its response does not wait
for the broker) and CLI commands and workers publish at once. A rollback forgets them. If the
process dies in between, the rows the tasks point at stay in the database and a beat sweeper
publishes them again: work is delayed, never lost.

Tasks that many requests publish one by one can be folded into batch tasks (`fold`): the mail
outbox folds single sends into sends of MAIL_BATCH_SIZE ids.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from flask import Flask, current_app, has_app_context, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from registration.database import db
from registration.publisher import BackgroundPublisher, drain_at_exit

log = logging.getLogger(__name__)

Task = tuple[str, tuple[Any, ...]]
_PUBLISH_KEY = "publish-after-commit"
_FOLDS: dict[str, str] = {}
_installed = False


def init_app(app: Flask) -> None:
    """Publish the tasks a transaction asked for (`publish_after_commit`) once it commits."""
    global _installed
    if _installed:
        return
    event.listen(Session, "after_commit", _publish_collected)
    event.listen(Session, "after_rollback", _forget_collected)
    drain_at_exit(background)
    _installed = True


def fold(single: str, batch: str) -> None:
    """Publish several `single` tasks of one id each as `batch` tasks of a list of ids."""
    _FOLDS[single] = batch


def publish_after_commit(task: str, *args: Any) -> None:
    """Publish a Celery task by name once the current transaction commits."""
    db.session.info.setdefault(_PUBLISH_KEY, []).append((task, args))


def _forget_collected(session: Session) -> None:
    session.info.pop(_PUBLISH_KEY, None)


def _publish_collected(session: Session) -> None:
    pending = session.info.pop(_PUBLISH_KEY, None)
    if not pending or not has_app_context():
        return
    if has_request_context() and current_app.config["MAIL_PUBLISH_LINGER_MS"] > 0:
        background.submit(current_app._get_current_object(), pending)
    else:
        publish(pending)


def _grouped(tasks: Iterable[Task]) -> list[Task]:
    """Single tasks folded into batch tasks of MAIL_BATCH_SIZE ids; other tasks as they are."""
    size = current_app.config["MAIL_BATCH_SIZE"]
    others: list[Task] = []
    ids: dict[str, list[Any]] = {}
    for name, args in tasks:
        if name in _FOLDS:
            ids.setdefault(name, []).append(args[0])
        else:
            others.append((name, args))
    grouped: list[Task] = []
    for name, collected in ids.items():
        if len(collected) == 1:
            grouped.append((name, (collected[0],)))
            continue
        batch = _FOLDS[name]
        grouped += [(batch, (collected[i : i + size],)) for i in range(0, len(collected), size)]
    return grouped + others


def publish(tasks: Iterable[Task], countdown: int | None = None) -> bool:
    """Send tasks to the broker; if it is down, log and leave the rows to the sweepers."""
    celery = current_app.extensions["celery"]
    try:
        with celery.pool.acquire(block=True) as connection:
            connection.ensure_connection(max_retries=0)  # fail fast: the sweepers catch up
            producer = celery.amqp.Producer(connection)
            for name, args in _grouped(tasks):
                celery.send_task(
                    name, args=args, producer=producer, retry=False, countdown=countdown
                )
    except Exception as error:  # the broker's errors vary by transport
        log.warning("broker unavailable (%s); the sweepers will publish later", error)
        return False
    return True


background = BackgroundPublisher(publish)
