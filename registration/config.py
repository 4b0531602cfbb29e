"""All configuration, read from environment variables with defaults for a laptop."""

from __future__ import annotations

import os
import secrets
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cryptography.fernet import Fernet
from kombu import Queue


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def _zone(name: str, default: str) -> str:
    """An IANA time zone name; a wrong one stops the start with a clear message."""
    value = os.environ.get(name) or default
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{name}={value!r} is not an IANA time zone such as Asia/Almaty") from None
    return value


def _fernet_key(name: str) -> str:
    """A Fernet key (32 bytes, url-safe base64) or empty; a wrong one stops the start."""
    value = os.environ.get(name, "").strip()
    if value:
        try:
            Fernet(value.encode())
        except ValueError:
            raise ValueError(
                f"{name} is not a Fernet key (32 bytes in url-safe base64, as "
                "Fernet.generate_key() writes)"
            ) from None
    return value


def _fernet_keys(name: str) -> list[str]:
    """Comma-separated Fernet keys, newest first; a wrong one stops the start."""
    keys = [key.strip() for key in os.environ.get(name, "").split(",") if key.strip()]
    for key in keys:
        try:
            Fernet(key.encode())
        except ValueError:
            raise ValueError(
                f"{name} holds a value that is not a Fernet key (32 bytes in url-safe "
                "base64, as Fernet.generate_key() writes)"
            ) from None
    return keys


def load(instance_path: str) -> dict[str, Any]:
    """Build the Flask config mapping from the environment.

    Longer than 60 lines on purpose: one flat table of every setting, each with its
    variable and default (mirrored by the README's table), so a reader finds any one here.
    """
    instance = Path(instance_path)
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'registration.db'}"
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    redis_url = os.environ.get("REDIS_URL", "")
    debug = _flag("FLASK_DEBUG", False)
    broker_folder = Path(os.environ.get("BROKER_FOLDER") or instance / "broker")
    visibility_timeout = 2 * 3600
    mail_rate = _int("MAIL_RATE_PER_MINUTE", 600)
    inflight = _int("MAIL_INFLIGHT_TIMEOUT_SECONDS", 30)
    queue = os.environ.get("CELERY_QUEUE", "registration")
    sender = os.environ.get("MAIL_DEFAULT_SENDER", "CICA Secretariat <secretariat@cica.example>")
    upload_max_bytes = _int("UPLOAD_MAX_MB", 5) * 1024 * 1024
    if redis_url:
        broker: dict[str, Any] = {
            "broker_url": redis_url,
            "broker_transport_options": {
                "visibility_timeout": visibility_timeout,
                "global_keyprefix": os.environ.get("REDIS_KEY_PREFIX", ""),
            },
        }
    else:
        broker = {
            "broker_url": "filesystem://",
            "broker_transport_options": {
                "data_folder_in": str(broker_folder),
                "data_folder_out": str(broker_folder),
                "processed_folder": str(broker_folder / "processed"),
                "control_folder": str(broker_folder / "control"),
                "store_processed": False,
                "polling_interval": 0.1,
            },
        }
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or _instance_secret(instance),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # Pre-ping: a `SELECT 1` round trip on every pool checkout (every request) finds a
        # connection the server closed while it idled (restart, failover, idle kill) before
        # a request uses it; its cost is measured in BENCHMARKS.md. Connections lost during
        # a request are handled by registration/database_faults.py.
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": _flag("DATABASE_PRE_PING", True),
            "pool_recycle": _int("DATABASE_POOL_RECYCLE", 1800),
        },
        # Seconds to wait for PostgreSQL to accept a connection (a 503 page after that)
        # instead of holding the request until the operating system gives up (minutes).
        "DATABASE_CONNECT_TIMEOUT": _int("DATABASE_CONNECT_TIMEOUT", 5),
        "REDIS_URL": redis_url,
        # Put before every key this service keeps in Redis (tasks, sessions): several
        # deployments (or test runs) can share one Redis.
        "REDIS_KEY_PREFIX": os.environ.get("REDIS_KEY_PREFIX", ""),
        # The largest file (or pasted text) a request may carry; larger ones get a 413 page.
        "UPLOAD_MAX_BYTES": upload_max_bytes,
        # /metrics answers only a request with "Authorization: Bearer <this>"; empty: off.
        "METRICS_TOKEN": os.environ.get("METRICS_TOKEN", ""),
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "127.0.0.1"),
        "MAIL_PORT": _int("MAIL_PORT", 8025),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS", False),
        "MAIL_DEFAULT_SENDER": sender,
        "MAIL_RATE_PER_MINUTE": mail_rate,
        "MAIL_MAX_ATTEMPTS": _int("MAIL_MAX_ATTEMPTS", 8),
        # Messages a worker claims in one transaction and sends over one SMTP connection
        # (each still marked SENT on its own); BENCHMARKS.md, issue 11, "Run 4".
        "MAIL_BATCH_SIZE": _int("MAIL_BATCH_SIZE", 100),
        # Requests hand their sends to a background thread that publishes what arrives in
        # this window as one broker round; 0 publishes in the request itself.
        "MAIL_PUBLISH_LINGER_MS": _int("MAIL_PUBLISH_LINGER_MS", 50),
        "MAIL_RETRY_BASE_SECONDS": _int("MAIL_RETRY_BASE_SECONDS", 60),
        "MAIL_RETRY_MAX_SECONDS": min(
            _int("MAIL_RETRY_MAX_SECONDS", 3600), visibility_timeout // 2
        ),
        "MAIL_SWEEP_SECONDS": _int("MAIL_SWEEP_SECONDS", 15),
        "MAIL_SWEEP_AFTER_SECONDS": _int("MAIL_SWEEP_AFTER_SECONDS", 60),
        # The lease of a message being sent (renewed every third of it by its worker): after
        # a worker's crash its messages go again within this plus MAIL_SWEEP_SECONDS. One
        # SMTP exchange must fit in two thirds of it.
        "MAIL_INFLIGHT_TIMEOUT_SECONDS": inflight,
        "MAIL_SMTP_TIMEOUT_SECONDS": min(_int("MAIL_SMTP_TIMEOUT_SECONDS", 15), inflight * 2 // 3),
        # A fan-out job queued or running this long without news is published again (its
        # handler renews the lease at every chunk); it fails after JOB_MAX_ATTEMPTS runs.
        "JOB_RETRY_AFTER_SECONDS": _int("JOB_RETRY_AFTER_SECONDS", 120),
        "JOB_MAX_ATTEMPTS": _int("JOB_MAX_ATTEMPTS", 5),
        # Webhooks (registration/webhooks): a POST's connect and read timeout; attempts and
        # exponential backoff; a subscription is disabled after this many failed attempts
        # in a row over at least this many hours. Targets must be public hosts, except the
        # names, addresses and networks (CIDR) listed (tests, intranets).
        "WEBHOOK_TIMEOUT_SECONDS": _int("WEBHOOK_TIMEOUT_SECONDS", 10),
        "WEBHOOK_MAX_ATTEMPTS": _int("WEBHOOK_MAX_ATTEMPTS", 8),
        "WEBHOOK_RETRY_BASE_SECONDS": _int("WEBHOOK_RETRY_BASE_SECONDS", 30),
        "WEBHOOK_RETRY_MAX_SECONDS": min(
            _int("WEBHOOK_RETRY_MAX_SECONDS", 3600), visibility_timeout // 2
        ),
        "WEBHOOK_SWEEP_AFTER_SECONDS": _int("WEBHOOK_SWEEP_AFTER_SECONDS", 60),
        "WEBHOOK_DISABLE_AFTER_FAILURES": _int("WEBHOOK_DISABLE_AFTER_FAILURES", 20),
        "WEBHOOK_DISABLE_AFTER_HOURS": _int("WEBHOOK_DISABLE_AFTER_HOURS", 24),
        "WEBHOOK_ALLOWED_HOSTS": _list("WEBHOOK_ALLOWED_HOSTS", []),
        # A Fernet key sealing the signing secrets at rest; empty: derived from SECRET_KEY.
        "WEBHOOK_SECRET_KEY": _fernet_key("WEBHOOK_SECRET_KEY"),
        # Fernet keys sealing the two-factor keys, newest first; empty: derived from SECRET_KEY.
        "TOTP_SECRET_KEYS": _fernet_keys("TOTP_SECRET_KEYS"),
        # Where the accessibility statement asks people to report a barrier.
        "ACCESSIBILITY_CONTACT": os.environ.get("ACCESSIBILITY_CONTACT") or parseaddr(sender)[1],
        "REMINDER_LEAD_MINUTES": _int("REMINDER_LEAD_MINUTES", 24 * 60),
        "MAILBOX_FOLDER": os.environ.get("MAILBOX_FOLDER", str(instance / "mailbox")),
        # Personal files (answers to file questions, badge photos), outside the web root.
        "FILES_FOLDER": os.environ.get("FILES_FOLDER", str(instance / "files")),
        "BUILT_FILES_KEEP_HOURS": _int("BUILT_FILES_KEEP_HOURS", 24),
        # Reverse proxies in front of gunicorn whose X-Forwarded-For/-Proto/-Host to trust
        # (0: none). Behind one TLS-terminating proxy set 1, or every visitor shares the
        # proxy's address and with it one rate limit.
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        # Sign-in attempts (password or second-factor code) per account, from any address.
        "LOGIN_ACCOUNT_RATE_LIMIT": os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT", "20 per hour"),
        # Single sign-on through the Secretariat's OpenID Connect provider: on when all three
        # are set (registration/accounts/single_sign_on.py).
        "OIDC_ISSUER": os.environ.get("OIDC_ISSUER", ""),
        "OIDC_CLIENT_ID": os.environ.get("OIDC_CLIENT_ID", ""),
        "OIDC_CLIENT_SECRET": os.environ.get("OIDC_CLIENT_SECRET", ""),
        "OIDC_PROVIDER_NAME": os.environ.get("OIDC_PROVIDER_NAME", "the Secretariat's account"),
        "SIGNUP_RATE_LIMIT": os.environ.get("SIGNUP_RATE_LIMIT", "30 per minute"),
        # Requests one API token may make (the RateLimit headers say how many are left).
        "API_RATE_LIMIT": os.environ.get("API_RATE_LIMIT", "600 per minute"),
        "SIGNUP_LINK_MAX_AGE_DAYS": _int("SIGNUP_LINK_MAX_AGE_DAYS", 60),
        # Participants' personal data is erased this many months after a conference ends,
        # unless the conference says otherwise; 0 (the default) keeps it (registration/retention).
        "PERSONAL_DATA_RETENTION_MONTHS": _int("PERSONAL_DATA_RETENTION_MONTHS", 0),
        "PERSON_LINK_MAX_AGE_HOURS": _int("PERSON_LINK_MAX_AGE_HOURS", 24),
        # The Secretariat's office: a note verbale is dated with the day there when issued.
        "OFFICE_TIMEZONE": _zone("OFFICE_TIMEZONE", "Asia/Almaty"),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        # X-RateLimit-* headers would cost a storage round trip on every limited request;
        # refusals still carry Retry-After (registration/web.py).
        "RATELIMIT_HEADERS_ENABLED": False,
        "SESSION_COOKIE_SECURE": not debug and _flag("SESSION_COOKIE_SECURE", True),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # A sign-in ends after this many minutes without a request, and this many hours
        # after it began, whatever happens (registration/accounts/sessions.py).
        "SESSION_IDLE_MINUTES": _int("SESSION_IDLE_MINUTES", 30),
        "SESSION_MAX_HOURS": _int("SESSION_MAX_HOURS", 12),
        "BABEL_DEFAULT_LOCALE": "en",
        # Relative to the package (the app's root_path): registration/translations.
        "BABEL_TRANSLATION_DIRECTORIES": "translations",
        # Languages a page may be shown in (?lang=, then the browser's preference); the
        # public pages have catalogues for "ru" and "kk", others fall back to English.
        "LANGUAGES": _list("LANGUAGES", ["en", "ru", "kk"]),  # those with a catalogue
        "CELERY": {
            **broker,
            "task_ignore_result": True,
            "task_acks_late": True,
            "task_reject_on_worker_lost": True,
            "worker_prefetch_multiplier": 1,
            "worker_cancel_long_running_tasks_on_connection_loss": True,
            "broker_connection_retry_on_startup": True,
            "task_always_eager": False,
            "task_default_queue": queue,
            "task_queues": (Queue(queue), Queue(f"{queue}.mail")),
            "task_routes": {
                "workers.mail.send_mail": {"queue": f"{queue}.mail"},
                "workers.mail.send_mail_batch": {"queue": f"{queue}.mail"},
            },
            "broker_connection_timeout": 3,
            "beat_schedule_filename": os.environ.get("CELERY_BEAT_SCHEDULE")
            or str(instance / "celerybeat-schedule"),
            "beat_schedule": {
                "sweep-outbox": {
                    "task": "workers.mail.sweep_outbox",
                    "schedule": float(_int("MAIL_SWEEP_SECONDS", 15)),
                },
                "sweep-jobs": {
                    "task": "workers.jobs.sweep_jobs",
                    "schedule": float(_int("MAIL_SWEEP_SECONDS", 15)),
                },
                "sweep-webhooks": {
                    "task": "workers.webhooks.sweep",
                    "schedule": float(_int("MAIL_SWEEP_SECONDS", 15)),
                },
                "finish-dispatches": {
                    "task": "workers.correspondence.finish_dispatches",
                    "schedule": float(_int("MAIL_SWEEP_SECONDS", 15)),
                },
                "send-reminders": {"task": "workers.reminders.send_reminders", "schedule": 60.0},
                "sweep-built-files": {
                    "task": "workers.jobs.sweep_built_files",
                    "schedule": float(_int("BUILT_FILES_SWEEP_SECONDS", 900)),
                },
                "erase-personal-data": {
                    "task": "workers.retention.erase_personal_data",
                    "schedule": float(_int("RETENTION_CHECK_SECONDS", 3600)),
                },
            },
        },
    }


def _instance_secret(instance: Path) -> str:
    """A random key kept in the instance folder, so sessions survive restarts on a laptop."""
    instance.mkdir(parents=True, exist_ok=True)
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
