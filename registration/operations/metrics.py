"""Prometheus metrics (prometheus-client) at `/metrics`, for a scraper holding METRICS_TOKEN.

- `http_request_duration_seconds{route,method,status}`: a histogram of request latency by
  route (the URL rule, e.g. `/conferences/<slug>/register`, never the URL itself);
- `mail_outbox_messages{state}`: outbox rows by state, counted when scraped;
- `mail_dead_letters`: messages that gave up (state failed), waiting for a Resend;
- `fanout_jobs_running` / `fanout_jobs_queued`: fan-out jobs (a panel moved, invitations,
  certificates) a worker is expanding / waiting for a worker, counted when scraped.

gunicorn runs several worker processes: `gunicorn.conf.py` gives them a
PROMETHEUS_MULTIPROC_DIR, where each writes its samples, and a scrape (answered by any
worker) adds up every process's files (prometheus-client's multiprocess mode). Without that
variable (`flask run`, one process) the process's own samples are exposed.

The path is not public: without METRICS_TOKEN it is a 404; with it, only a request with
`Authorization: Bearer <METRICS_TOKEN>` gets the figures (Prometheus: `authorization:
credentials`), others a 404 too, so the endpoint is not advertised.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Iterator

from flask import Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from registration.database import db
from registration.jobs.models import Job, JobState
from registration.mail.models import MailStatus, OutgoingMail

# prometheus-client picks where samples live when it is imported: decided once, here too.
MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
_OWN = CollectorRegistry()  # this process's samples (in multiprocess mode: its files)
REQUEST_SECONDS = Histogram(
    "http_request_duration_seconds",
    "Time to answer a request, by route, method and status.",
    ["route", "method", "status"],
    registry=_OWN,
)


def init_app(app: Flask) -> None:
    app.before_request(_start_clock)
    app.after_request(_observe)
    app.add_url_rule("/metrics", "metrics", exposition)


def _start_clock() -> None:
    g.request_started = time.perf_counter()


def _observe(response: Response) -> Response:
    started = g.get("request_started")
    if started is not None:
        route = request.url_rule.rule if request.url_rule is not None else "unmatched"
        REQUEST_SECONDS.labels(route, request.method, str(response.status_code)).observe(
            time.perf_counter() - started
        )
    return response


def exposition() -> Response:
    token = current_app.config["METRICS_TOKEN"]
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not token or not hmac.compare_digest(sent.encode(), token.encode()):
        abort(404)
    requests = _OWN
    if MULTIPROCESS:
        requests = CollectorRegistry()
        multiprocess.MultiProcessCollector(requests)
    outbox = CollectorRegistry()
    outbox.register(OutboxCollector())
    outbox.register(JobsCollector())
    body = generate_latest(requests) + generate_latest(outbox)
    return Response(body, mimetype=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


class OutboxCollector(Collector):
    """The outbox by state, read from the database when scraped (one GROUP BY)."""

    def collect(self) -> Iterator[Metric]:
        counts = dict.fromkeys(MailStatus, 0)
        for status, count in db.session.execute(
            db.select(OutgoingMail.status, db.func.count()).group_by(OutgoingMail.status)
        ):
            counts[MailStatus(status)] = count
        depth = GaugeMetricFamily(
            "mail_outbox_messages", "Messages in the mail outbox, by state.", labels=["state"]
        )
        for status, count in counts.items():
            depth.add_metric([status.value], count)
        yield depth
        yield GaugeMetricFamily(
            "mail_dead_letters",
            "Messages that gave up after their retries (state failed), waiting for a Resend.",
            value=counts[MailStatus.FAILED],
        )


class JobsCollector(Collector):
    """Fan-out jobs running and queued, read from the database when scraped (one GROUP BY)."""

    def collect(self) -> Iterator[Metric]:
        counts = dict(
            db.session.execute(
                db.select(Job.state, db.func.count())
                .where(Job.state.in_((JobState.RUNNING, JobState.QUEUED)))
                .group_by(Job.state)
            ).all()
        )
        yield GaugeMetricFamily(
            "fanout_jobs_running",
            "Fan-out jobs a worker is expanding into messages now.",
            value=counts.get(JobState.RUNNING, 0),
        )
        yield GaugeMetricFamily(
            "fanout_jobs_queued",
            "Fan-out jobs written and waiting for a worker.",
            value=counts.get(JobState.QUEUED, 0),
        )
