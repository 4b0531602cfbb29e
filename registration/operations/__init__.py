"""What operators and their tools use: health and readiness checks, request ids in the logs,
Prometheus metrics (installed by `init_app`); and the organisers' pages of the plumbing
below the capabilities: the outbox and dead letters, the local mailbox, fan-out progress
(`mail_views`, `job_views`), which sit here so that `mail` and `jobs` import no capability."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from registration.operations import health, metrics, request_log

    request_log.init_app(app)
    metrics.init_app(app)
    app.register_blueprint(health.bp)
