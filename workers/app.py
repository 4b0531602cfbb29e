"""Entry point for `celery -A workers.app worker` and `celery -A workers.app beat`."""

from registration import create_app

flask_app = create_app()
celery_app = flask_app.extensions["celery"]
