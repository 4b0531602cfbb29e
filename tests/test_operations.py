"""What operators rely on: /healthz and /readyz for load balancers, a request id in every log
line and response, Prometheus metrics behind a token (added up across gunicorn's workers)."""

from __future__ import annotations

import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask import Flask, current_app
from flask.logging import default_handler
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from registration import create_app
from registration.database import db
from registration.jobs import services as jobs
from registration.jobs.models import Job
from registration.mail.compose import Mail
from registration.mail.models import MailStatus, OutgoingMail
from tests import services
from tests.apps import empty_database, extra_app
from tests.mail_support import queue_note

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "scrape-token-for-tests"


def test_healthz_answers_without_the_database(app: Flask, database_uri: str) -> None:
    assert app.test_client().get("/healthz").json == {"status": "ok"}
    down = create_app({"SQLALCHEMY_DATABASE_URI": _unreachable(database_uri), "TESTING": True})
    response = down.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def _unreachable(database_uri: str) -> str:
    if not database_uri.startswith("postgresql"):
        return "sqlite:////nonexistent-folder/registration.db"
    return make_url(database_uri).set(port=1).render_as_string(hide_password=False)


def test_readyz_is_ready_on_a_migrated_database_with_its_broker(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json == {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "broker": "ok"},
    }


def test_readyz_says_when_the_database_is_unreachable(app: Flask, database_uri: str) -> None:
    down = create_app({"SQLALCHEMY_DATABASE_URI": _unreachable(database_uri), "TESTING": True})
    response = down.test_client().get("/readyz")
    assert response.status_code == 503
    checks = response.json["checks"]
    assert checks["database"].startswith("unreachable (")
    assert checks["migrations"] == "not checked"
    assert "postgres" not in str(response.json), "no connection string in the answer"
    with down.app_context():
        db.engine.dispose()


def test_readyz_says_when_migrations_are_missing_or_behind(
    app: Flask, tmp_path: Path, database_uri: str
) -> None:
    kind = "postgresql" if database_uri.startswith("postgresql") else "sqlite"
    with (
        empty_database(kind, tmp_path) as uri,
        extra_app(uri, tmp_path, restore=app) as fresh,
    ):
        response = fresh.test_client().get("/readyz")
        assert response.status_code == 503
        assert response.json["checks"]["migrations"] == "not applied (run `flask db upgrade`)"
        with fresh.app_context():
            upgrade(revision="5d1e7c2a9b40")
        behind = fresh.test_client().get("/readyz").json["checks"]["migrations"]
        assert behind.startswith("at 5d1e7c2a9b40, expected ")


def test_readyz_says_when_the_broker_is_unreachable(
    app: Flask, tmp_path: Path, database_uri: str
) -> None:
    with extra_app(database_uri, tmp_path, restore=app) as application:
        application.extensions["celery"].conf.broker_url = "redis://127.0.0.1:1/0"
        response = application.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["broker"].startswith("unreachable (")
    assert response.json["checks"]["database"] == "ok"


def test_every_response_carries_a_request_id_and_the_logs_name_it(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    client = app.test_client()
    fresh = client.get("/healthz").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", fresh)
    assert client.get("/healthz").headers["X-Request-ID"] != fresh
    sent = "lb-4f1c2a9e-77b0"
    assert client.get("/healthz", headers={"X-Request-ID": sent}).headers["X-Request-ID"] == sent
    odd = client.get("/healthz", headers={"X-Request-ID": "<script>x"}).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", odd), "a malformed id is replaced"
    with caplog.at_level(logging.INFO, logger=app.logger.name):
        with app.test_request_context(headers={"X-Request-ID": sent}):
            app.preprocess_request()
            current_app.logger.warning("something to look into")
        current_app_free = logging.getLogger(app.logger.name)
        current_app_free.warning("outside any request")
    inside, outside = (r for r in caplog.records if r.name == app.logger.name)
    assert inside.request_id == sent
    assert outside.request_id == "-"
    assert f"[request {sent}]: something to look into" in default_handler.format(inside)


@pytest.fixture
def scraped(app: Flask) -> Iterator[FlaskClient]:
    app.config["METRICS_TOKEN"] = TOKEN
    yield app.test_client()
    app.config["METRICS_TOKEN"] = ""


def test_metrics_are_hidden_without_the_token(app: Flask, scraped: FlaskClient) -> None:
    assert scraped.get("/metrics").status_code == 404
    assert scraped.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    app.config["METRICS_TOKEN"] = ""
    assert scraped.get("/metrics", headers=_bearer()).status_code == 404, "off without a token"


def _bearer() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


def test_metrics_show_latency_by_route_and_the_outbox_by_state(
    app: Flask, scraped: FlaskClient, make_conference
) -> None:
    make_conference(slug="ttf9")
    route = 'method="GET",route="/conferences/<slug>",status="200"'
    before = _sample(scraped.get("/metrics", headers=_bearer()).text, route)
    for _ in range(3):
        scraped.get("/conferences/ttf9")
    scraped.get("/conferences/no-such-thing")
    with app.app_context():
        for n in range(3):
            queue_note(Mail(to=f"p{n}@example.org", subject="Hello", text="Hi"), key=f"k{n}")
        db.session.execute(
            db.update(OutgoingMail)
            .where(OutgoingMail.idempotency_key == "k2")
            .values(status=MailStatus.FAILED)
        )
        for n in range(2):  # fan-out jobs as organisers' actions leave them: one running
            jobs.start("test.fan-out", f"Job {n}")
        db.session.commit()
        db.session.execute(db.update(Job).where(Job.label == "Job 0").values(state="running"))
        db.session.commit()
    response = scraped.get("/metrics", headers=_bearer())
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    text = response.text
    assert _sample(text, route) == before + 3
    assert 'route="/conferences/<slug>",status="404"' in text
    assert 'mail_outbox_messages{state="queued"} 2.0' in text
    assert 'mail_outbox_messages{state="failed"} 1.0' in text
    assert "mail_dead_letters 1.0" in text
    assert "fanout_jobs_running 1.0" in text
    assert "fanout_jobs_queued 1.0" in text


def _sample(exposition: str, labels: str) -> float:
    """The request count of one route in a scrape (0 before the route's first request)."""
    found = re.search(rf"http_request_duration_seconds_count\{{{labels}\}} (\S+)", exposition)
    return float(found.group(1)) if found else 0.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _gunicorn(workers: int, environment: dict[str, str], port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "registration:create_app()",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _environment(database_uri: str, **extra: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "PROMETHEUS_MULTIPROC_DIR"}
    }
    environment.update(
        DATABASE_URL=database_uri,
        SECRET_KEY="test-secret",
        SESSION_COOKIE_SECURE="0",
        METRICS_TOKEN=TOKEN,
        **extra,
    )
    return environment


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (127.0.0.1)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _wait_until_serving(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited: {server.stdout.read() if server.stdout else ''}")
        try:
            if _get(f"{base}/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail("gunicorn did not answer within 60 s")


@pytest.mark.postgres
@pytest.mark.redis
def test_metrics_add_up_every_gunicorn_worker(
    app: Flask, database_uri: str, tmp_path: Path
) -> None:
    port = _free_port()
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_99999.db").write_bytes(b"samples of an earlier start")
    environment = _environment(
        database_uri,
        REDIS_URL=services.redis_url(),
        REDIS_KEY_PREFIX=os.environ.get("REDIS_KEY_PREFIX", "test-metrics:"),
        PROMETHEUS_MULTIPROC_DIR=str(folder),
    )
    server = _gunicorn(2, environment, port)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base, server)
        assert not list(folder.glob("*99999*")), "emptied at start"
        made, deadline = 0, time.monotonic() + 90
        while len(_worker_files(folder)) < 2:  # until the second worker booted and served
            assert time.monotonic() < deadline, "one worker served everything for 90 s"
            with ThreadPoolExecutor(8) as pool:  # concurrent, so that both workers serve
                statuses = list(pool.map(lambda _: _get(f"{base}/readyz")[0], range(16)))
            assert statuses == [200] * 16
            made += 16
        counts = set()
        for _ in range(6):  # each scrape is answered by one worker or the other
            status, text = _get(f"{base}/metrics", _bearer())
            assert status == 200
            found = re.search(
                r'http_request_duration_seconds_count\{method="GET",route="/readyz",'
                r'status="200"\} (\d+)',
                text,
            )
            assert found, text
            counts.add(int(found.group(1)))
        assert counts == {made}, "every worker's requests, whichever worker answers"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _worker_files(folder: Path) -> set[str]:
    """The processes that wrote samples (prometheus-client names files by pid)."""
    return set(re.findall(r"_(\d+)\.db", " ".join(os.listdir(folder))))


def test_several_workers_without_redis_refuse_to_start(database_uri: str) -> None:
    server = _gunicorn(3, _environment(database_uri), _free_port())
    try:
        output, _ = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode != 0
    assert "3 worker processes without REDIS_URL" in output
    assert "--workers 1 --threads 8" in output


@pytest.mark.postgres
def test_one_worker_without_redis_starts(database_uri: str) -> None:
    port = _free_port()
    server = _gunicorn(1, _environment(database_uri), port)
    try:
        _wait_until_serving(f"http://127.0.0.1:{port}", server)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert server.returncode == 0
