"""Flask's Celery pattern: tasks run inside the app context of the app that made them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from celery import Celery, Task
from flask import Flask

TASK_MODULES: list[str] = [
    "workers.mail",
    "workers.jobs",
    "workers.reminders",
    "workers.retention",
    "workers.webhooks",
    "workers.correspondence",
]


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    options = app.config["CELERY"].get("broker_transport_options", {})
    for folder in ("data_folder_in", "processed_folder", "control_folder"):
        if folder in options:
            Path(options[folder]).mkdir(parents=True, exist_ok=True)
    celery = Celery(app.name, task_cls=FlaskTask, include=TASK_MODULES)
    celery.config_from_object(app.config["CELERY"])
    celery.set_default()
    app.extensions["celery"] = celery
    return celery
