"""What operators and their tools use: health and readiness checks, request ids in the logs,
Prometheus metrics. Installed by `init_app`."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from registration.operations import health, metrics, request_log

    request_log.init_app(app)
    metrics.init_app(app)
    app.register_blueprint(health.bp)
