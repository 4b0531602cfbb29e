"""What the organisers' forms share: cleaned text, links, and local times made UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import gettext
from wtforms import Field
from wtforms.validators import ValidationError

from registration.input_policy import PolicyForm


@cache
def timezone_names() -> list[str]:
    """Every IANA time zone name this machine knows, sorted."""
    return sorted(available_timezones())


def text_of(value: str | None) -> str:
    return (value or "").strip()


def lines_of(value: str | None) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def http_url(form: PolicyForm, url_field: Field) -> None:
    """An optional link that must start with http:// or https://."""
    value = text_of(url_field.data)
    url_field.data = value
    if not value:
        return
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValidationError(gettext("Enter a full link starting with http:// or https://."))


def to_utc(local: datetime, zone: str) -> datetime:
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def exists_locally(local: datetime, zone: str) -> bool:
    """False for a wall-clock time skipped when the clocks go forward."""
    round_trip = to_utc(local, zone).astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    return round_trip == local
