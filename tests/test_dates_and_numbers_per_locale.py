"""Dates, times and numbers shown to people are written by Babel in the page's (or the
recipient's) language through registration/i18n.py, and a management time carries its zone's
label: a conference's things in the conference's zone (its id and UTC offset), what belongs to
no conference in UTC. A scan keeps hand formats out of registration/, workers/ and templates/;
what it allows is listed below with the reason (machine-readable exports, stored English
records, input formats)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from babel.dates import format_interval
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale

from registration import i18n
from registration.database import db
from registration.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)

ROOT = Path(__file__).resolve().parent.parent
NBSP = "\xa0"
# CLDR puts a narrow no-break space between the year and its Russian or Kazakh abbreviation.
NNBSP = "\u202f"

# Hand formats: strftime called directly, an f-string's date format, '{:,}', a number put in a
# message with %d (Babel's format_number writes it in the language instead), flask_babel's
# ngettext (it puts the count in as Python writes it; registration.i18n.ngettext uses Babel).
PYTHON_FORMATS = re.compile(
    r"(?<!i18n)\.strftime\(|\{[^{}'\"]*:%[A-Za-z]|\{:,|:,\}|%\([a-z_]+\)d"
    r"|from flask_babel import .*\bngettext"
)
# Jinja's ngettext puts the bare count in unless num= gives it written by Babel.
TEMPLATE_FORMATS = re.compile(
    r"(?<!i18n)\.strftime\(|\.isoformat\(\)|\|round\(|%\([a-z_]+\)d|\{:,"
    r"|ngettext\((?!.*\bnum=)"
)
# Attributes read by software, not people: an ISO date in <time datetime>, an <option>'s value,
# an SVG bar's geometry.
MACHINE_ATTRIBUTES = re.compile(r'\b(?:datetime|value|x|y|width|height|data-[\w-]+)="[^"]*"')

# (file, text on the line): why a hand format is right there.
ALLOWED = {
    ("registration/i18n.py", ""): "the helper itself: strftime patterns written by Babel",
    ("registration/attendance/documents.py", 'strftime("%Y-%m-%d %H:%M")'): (
        "the attendance CSV/XLSX columns are for software as much as people: ISO date and time "
        "(sortable, read as times by spreadsheets) in the conference's zone, named in the header"
    ),
    ("registration/signup/export.py", 'created_at.strftime("%Y-%m-%d %H:%M")'): (
        "the registrations export's 'Registered (UTC)' column: ISO date and time for software"
    ),
    ("registration/audit/queries.py", 'strftime("%Y-%m-%d %H:%M:%S")'): (
        "the audit log's CSV: ISO date and time, its zone in the next column"
    ),
    ("registration/webhooks/subscriptions.py", 'strftime("%Y-%m-%d %H:%M UTC")'): (
        "the stored reason a subscription was disabled, English like the audit's, labelled UTC"
    ),
    ("registration/retention/cli.py", "%Y-%m-%d}"): "the operator's command-line output",
    ("registration/staff/account_admin.py", "%Y%m%d%H%M}"): "an idempotency key, never shown",
}


def _hand_formats() -> Iterator[str]:
    files = [
        *sorted((ROOT / "registration").rglob("*.py")),
        *sorted((ROOT / "workers").rglob("*.py")),
        *sorted(p for p in (ROOT / "templates").rglob("*") if p.suffix in {".html", ".txt"}),
    ]
    for path in files:
        name = path.relative_to(ROOT).as_posix()
        template = name.startswith("templates/")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if template:
                line = MACHINE_ATTRIBUTES.sub("", line)
            found = (TEMPLATE_FORMATS if template else PYTHON_FORMATS).search(line)
            if found is None:
                continue
            if any(name == file and text in line for file, text in ALLOWED):
                continue
            yield f"{name}:{number}: {found.group(0)!r} in {line.strip()[:120]}"


def test_no_date_time_or_number_is_formatted_by_hand() -> None:
    assert list(_hand_formats()) == []


def test_every_allowance_still_matches_a_line() -> None:
    """An allowance whose line is gone is removed (else it would hide a new hand format)."""
    for file, text in ALLOWED:
        if text:
            assert text in (ROOT / file).read_text(encoding="utf-8"), (file, text)


@pytest.mark.parametrize(
    ("language", "day", "number", "share"),
    [
        ("en", "Tuesday 28 December 2021", "12,345.5", "88%"),
        ("ru", f"вторник, 28 декабря 2021{NNBSP}г.", f"12{NBSP}345,5", f"88{NBSP}%"),
        ("kk", f"2021{NNBSP}ж. 28 желтоқсан, сейсенбі", f"12{NBSP}345,5", "88%"),
    ],
)
def test_helpers_write_in_the_language(
    app: Flask, language: str, day: str, number: str, share: str
) -> None:
    with app.test_request_context(), force_locale(language):
        assert i18n.strftime(date(2021, 12, 28), "%A %d %B %Y") == day
        assert i18n.format_number(12345.5, 1) == number
        assert i18n.format_percent(0.875) == share


def test_english_reads_as_strftime_did_and_literals_survive(app: Flask) -> None:
    instant = datetime(2021, 12, 28, 1, 30, 5, tzinfo=UTC)
    with app.test_request_context():
        assert i18n.strftime(instant, "%d %b %Y, %H:%M UTC") == "28 Dec 2021, 01:30 UTC"
        assert i18n.strftime(instant, "%a %d %B %Y at %H:%M:%S") == instant.strftime(
            "%a %d %B %Y at %H:%M:%S"
        )
        assert i18n.zoned(instant, "UTC") == "28 December 2021, 01:30 UTC"
        assert i18n.zoned(instant, "Asia/Shanghai", seconds=True) == (
            "28 December 2021, 09:30:05 (Asia/Shanghai, UTC+08:00)"
        )
        assert i18n.zoned(None, "UTC") == ""
    assert i18n.cldr_pattern("%d %B %Y, %H:%M UTC") == "dd MMMM y, HH:mm' UTC'"
    assert i18n.cldr_pattern("it's %H:%M") == "'it''s '" + "HH:mm"


THIN = "\u2009"


@pytest.mark.parametrize(
    ("language", "days", "months", "years", "medium"),
    [
        (
            "en",
            f"5{THIN}–{THIN}6 January 2027",
            f"30 January{THIN}–{THIN}2 February 2027",
            f"30 December 2027{THIN}–{THIN}2 January 2028",
            f"5{THIN}–{THIN}6 Jan 2027",
        ),
        (
            "ru",
            f"5—6 января 2027{NNBSP}г.",
            f"30 января — 2 февраля 2027{NNBSP}г.",
            f"30 декабря 2027{NNBSP}г. — 2 января 2028{NNBSP}г.",
            f"5—6 янв. 2027{NNBSP}г.",
        ),
        (
            "kk",
            f"2027{NNBSP}ж. 5–6 қаңтар",
            f"2027{NNBSP}ж. 30 қаңтар – 2 ақпан",
            f"2027{NNBSP}ж. 30 желтоқсан – 2028{NNBSP}ж. 2 қаңтар",
            f"2027{NNBSP}ж. 5–6 қаң.",
        ),
    ],
)
def test_a_range_of_days_writes_what_its_ends_share_once(
    app: Flask, language: str, days: str, months: str, years: str, medium: str
) -> None:
    """In the conference's zone: 20:00 UTC on 4 January is 5 January in Astana (UTC+5)."""
    zone = "Asia/Almaty"

    def utc(day: str, hour: int = 6) -> datetime:
        return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)

    with app.test_request_context(), force_locale(language):
        assert i18n.day_range(utc("2027-01-04", 20), utc("2027-01-06"), zone) == days
        assert i18n.day_range(utc("2027-01-30"), utc("2027-02-02"), zone) == months
        assert i18n.day_range(utc("2027-12-30"), utc("2028-01-02"), zone) == years
        one_day = i18n.day_range(utc("2027-01-05"), utc("2027-01-05", 12), zone)
        assert one_day == i18n.strftime(date(2027, 1, 5), "%d %B %Y").removeprefix("0")
        assert i18n.day_range(utc("2027-01-05"), utc("2027-01-06"), zone, "medium") == medium
        # the abbreviated form is Babel's format_interval's (British in English), which has
        # no written-out month
        babel_language = "en_GB" if language == "en" else language
        assert medium == format_interval(
            date(2027, 1, 5), date(2027, 1, 6), "yMMMd", locale=babel_language
        )


def test_a_conference_s_days_are_a_range_on_its_card_dashboard_and_panel_form(
    app: Flask, organizer_client: FlaskClient, make_conference: Callable[..., int]
) -> None:
    """28 December 2030 09:00 to 29 December 18:00 in Shanghai: the year once."""
    make_conference(slug="ttf9")
    russian, kazakh = (
        {
            "card": app.test_client().get(f"/?lang={language}").text,
            "dashboard": organizer_client.get(f"/manage/?lang={language}").text,
            "panel": organizer_client.get(
                f"/manage/conferences/ttf9/panels/new?lang={language}"
            ).text,
        }
        for language in ("ru", "kk")
    )
    assert f"28—29 декабря 2030{NNBSP}г." in russian["card"]
    assert f"28—29 дек. 2030{NNBSP}г." in russian["dashboard"]
    assert f"Даты конференции: 28—29 декабря 2030{NNBSP}г." in russian["panel"]
    assert f"2030{NNBSP}ж. 28–29 желтоқсан" in kazakh["card"]
    assert f"2030{NNBSP}ж. 28–29 жел." in kazakh["dashboard"]
    assert f"Конференция күндері: 2030{NNBSP}ж. 28–29 желтоқсан." in kazakh["panel"]


@pytest.fixture
def allowed_example(app: Flask) -> Iterator[None]:
    saved = app.config["WEBHOOK_ALLOWED_HOSTS"]
    app.config["WEBHOOK_ALLOWED_HOSTS"] = ["hooks.example.org"]
    yield
    app.config["WEBHOOK_ALLOWED_HOSTS"] = saved


def _logged_delivery(app: Flask, client: FlaskClient, conference: str) -> int:
    """A subscription (of one conference, or "0": all) that failed 1,234 times since
    2030-12-28 04:30 UTC, with a delivery made then whose one attempt took 1,234 ms."""
    client.post(
        "/manage/webhooks/",
        data={"url": "https://hooks.example.org/cica", "conference": conference,
              "events": ["conference.changed"]},
    )  # fmt: skip
    when = datetime(2030, 12, 28, 4, 30, 5, tzinfo=UTC)
    with app.app_context():
        subscription = db.session.scalars(db.select(WebhookSubscription)).one()
        subscription.failures_in_row = 1234
        subscription.failing_since = when
        delivery = WebhookDelivery(
            subscription_id=subscription.id, event_id="job-1", message_id="msg_one",
            event_type="conference.changed", payload={}, status=DeliveryStatus.FAILED,
            attempts=1, created_at=when,
        )  # fmt: skip
        delivery.log.append(WebhookAttempt(at=when, status_code=500, milliseconds=1234))
        db.session.add(delivery)
        db.session.commit()
        return subscription.id


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("language", "moment", "count", "took"),
    [
        ("en", "28 December 2030, 09:30:05", "1,234", "1,234 ms"),
        ("ru", f"28 декабря 2030{NNBSP}г., 09:30:05", f"1{NBSP}234", f"1{NBSP}234 мс"),
        ("kk", f"2030{NNBSP}ж. 28 желтоқсан, 09:30:05", f"1{NBSP}234", f"1{NBSP}234 мс"),
    ],
)
def test_a_conference_webhook_log_is_in_the_conference_zone_and_the_page_language(
    app: Flask,
    organizer_client: FlaskClient,
    make_conference: Callable[..., int],
    allowed_example: None,
    language: str,
    moment: str,
    count: str,
    took: str,
) -> None:
    conference_id = make_conference(timezone="Asia/Almaty")
    subscription_id = _logged_delivery(app, organizer_client, str(conference_id))
    page = organizer_client.get(f"/manage/webhooks/{subscription_id}?lang={language}")
    assert page.status_code == 200
    # Kazakhstan is on UTC+5 since March 2024.
    assert f"{moment} (Asia/Almaty, UTC+05:00)" in page.text
    assert f"{count}, " in page.text, "failed attempts in a row, a count in the language"
    assert took in page.text
    assert " UTC:" not in page.text, "no time is called UTC on a conference's webhook"
    assert "UTC</small>" not in page.text


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("language", "moment"),
    [
        ("ru", f"28 декабря 2030{NNBSP}г., 04:30:05 UTC"),
        ("kk", f"2030{NNBSP}ж. 28 желтоқсан, 04:30:05 UTC"),
    ],
)
def test_a_webhook_of_every_conference_labels_its_times_utc(
    app: Flask, organizer_client: FlaskClient, allowed_example: None, language: str, moment: str
) -> None:
    subscription_id = _logged_delivery(app, organizer_client, "0")
    page = organizer_client.get(f"/manage/webhooks/{subscription_id}?lang={language}")
    assert moment in page.text
