"""docker-compose.yml runs the service: web, worker, beat, PostgreSQL, Redis, a mail catcher."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("migrate", "web", "worker", "beat")


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return compose["services"]


def _command(service: dict[str, Any]) -> list[str]:
    command = service["command"]
    return shlex.split(command) if isinstance(command, str) else list(command)


def test_all_services_are_declared(services: dict[str, Any]) -> None:
    assert set(services) >= {"web", "worker", "beat", "postgres", "redis", "mailpit"}


def test_commands(services: dict[str, Any]) -> None:
    web = _command(services["web"])
    assert web[0] == "gunicorn"
    assert "registration:create_app()" in web
    assert _command(services["worker"])[:4] == ["celery", "-A", "workers.app", "worker"]
    assert _command(services["beat"])[:4] == ["celery", "-A", "workers.app", "beat"]
    assert _command(services["migrate"]) == ["flask", "--app", "registration", "db", "upgrade"]
    assert services["mailpit"]["image"].startswith("axllent/mailpit")
    assert services["postgres"]["image"].startswith("postgres")
    assert services["redis"]["image"].startswith("redis")


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_use_the_app_image_and_the_servers(
    services: dict[str, Any], name: str
) -> None:
    service = services[name]
    assert service["build"] == "."
    env = service["environment"]
    assert env["DATABASE_URL"].startswith("postgresql://")
    assert "@postgres:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:6379/")
    assert env["MAIL_SERVER"] == "mailpit"
    assert env["MAIL_PORT"] == "1025"
    assert "SECRET_KEY" in env


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_services_wait_for_the_database_and_migrations(
    services: dict[str, Any], name: str
) -> None:
    depends = services[name]["depends_on"]
    assert depends["postgres"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"
    assert "mailpit" in depends
    assert depends["migrate"]["condition"] == "service_completed_successfully"


def test_dockerfile_installs_the_package_on_python_311() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11-slim" in dockerfile
    assert "ENV PYTHONPATH=/app" in dockerfile
    assert "pip install ." in dockerfile
    for folder in ("registration", "workers", "migrations", "templates"):
        assert f"COPY {folder} ./{folder}" in dockerfile


def test_the_image_has_the_fonts_the_pdfs_use() -> None:
    """Badges and certificates print Cyrillic and Kazakh names in DejaVu Sans, which
    Debian's fonts-dejavu-core installs where registration/pdf.py looks first."""
    from registration.pdf import FONT_CANDIDATES

    dockerfile = (ROOT / "Dockerfile").read_text()
    install = dockerfile.index("apt-get install -y --no-install-recommends fonts-dejavu-core")
    assert install < dockerfile.index("pip install .")
    assert all(
        path.startswith("/usr/share/fonts/truetype/dejavu/DejaVuSans")
        for path in FONT_CANDIDATES[0]
    )
