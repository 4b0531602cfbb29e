"""Mail to staff and focal points is written in the language of their account
(users.language; a new account's is chosen by whoever creates it): a granted role, the
invitation sent again, a focal point's notice and a disabled webhook's notice, with their
links opening the pages in that language; sent by a real worker to a real SMTP server
(issue 13)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from email.message import EmailMessage

import pytest
from flask import Flask
from flask_babel import gettext

from registration import i18n
from registration.accounts.models import User
from registration.conferences import staff_roles as staff
from registration.conferences.models import Conference
from registration.database import db, utcnow
from registration.directory.services import member_by_code, member_name
from registration.signup import focal_points
from registration.staff import account_admin
from registration.staff.roles import Role
from registration.webhooks import subscriptions
from registration.webhooks.models import WebhookSubscription
from tests.mail_support import TestMailbox, wait_for
from tests.staff_support import make_account
from tests.webhook_support import Receiver, subscribe

pytestmark = pytest.mark.usefixtures("members", "celery_worker")

TITLES = {
    "ru": "Девятое заседание Форума аналитических центров СВМДА",
    "kk": "АӨСШК Сараптамалық орталықтар форумының тоғызыншы отырысы",
}
# Latin words a Russian or Kazakh message may hold besides links and addresses.
ALLOWED_LATIN = {"UTC"}


def latin_words(text: str) -> set[str]:
    """Latin words left after removing links and addresses: English that leaked."""
    text = re.sub(r"\S+@\S+|https?://\S+", " ", text)
    return set(re.findall(r"[A-Za-z]{2,}", text)) - ALLOWED_LATIN


def body(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _to(mailbox: TestMailbox, address: str, count: int = 1) -> list[EmailMessage]:
    def arrived() -> list[EmailMessage] | None:
        found = [m for m in mailbox.parsed() if m["To"] == address]
        return found if len(found) >= count else None

    return wait_for(arrived, what=f"{count} message(s) to {address}")


def _in(app: Flask, language: str, message: str, **values: object) -> str:
    with app.test_request_context(f"/?lang={language}"):
        return gettext(message, **values)


def assert_in_language(message: EmailMessage, app: Flask, language: str) -> str:
    text = body(message)
    assert _in(app, language, "CICA Secretariat") in text, text
    assert latin_words(str(message["Subject"])) == set(), message["Subject"]
    assert latin_words(text) == set(), text
    links = re.findall(r"http://localhost/\S+", text)  # ours, not a webhook's receiver
    assert links, text
    assert all(f"lang={language}" in link for link in links), links
    return text


@pytest.fixture
def conference(make_conference: Callable[..., int]) -> int:
    return make_conference(
        slug="ttf-9", translations={code: {"title": title} for code, title in TITLES.items()}
    )


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_granted_role_and_a_focal_points_notice_in_the_accounts_language(
    app: Flask, mailbox: TestMailbox, conference: int, language: str
) -> None:
    staff_address = f"officer-{language}@cica.example"
    focal_address = f"focal-{language}@mfa.kz.example"
    for address in (staff_address, focal_address):
        user_id = make_account(app, address, language=language)
        with app.app_context():
            db.session.get(User, user_id).name = "Айгерим Бекова"
            db.session.commit()
    granter = make_account(app, "admin@cica.example", is_administrator=True)
    with app.app_context():
        meeting = db.session.get(Conference, conference)
        staff.grant(
            meeting,
            email=staff_address,
            name="",
            role=Role.REVIEWER,
            granted_by=granter,
            language="en",  # an existing account keeps its own
        )
        kazakhstan = member_by_code("KAZ")
        focal_points.assign(meeting, email=focal_address, name="", member=kazakhstan, language="en")
        state = member_name(kazakhstan, language)

    [granted] = _to(mailbox, staff_address)
    text = assert_in_language(granted, app, language)
    role = _in(app, language, "Registrations reviewer")
    assert str(granted["Subject"]).strip() == _in(
        app, language, "%(role)s of %(conference)s", role=role, conference=TITLES[language]
    )
    assert role.lower() in text
    assert TITLES[language] in text

    [notice] = _to(mailbox, focal_address)
    text = assert_in_language(notice, app, language)
    assert state in str(notice["Subject"])
    assert TITLES[language] in str(notice["Subject"])
    assert state in text
    assert TITLES[language] in text
    assert "/delegation/ttf-9/" in text  # where the sign-in leads


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_new_accounts_password_link_in_english_then_in_its_chosen_language(
    app: Flask, mailbox: TestMailbox, conference: int, language: str
) -> None:
    """A new account created in English gets its first mail in English; once it chooses
    another language, the invitation sent again (the password link and the sign-in link) is
    in it."""
    address = f"door-{language}@cica.example"
    granter = make_account(app, "admin@cica.example", is_administrator=True)
    with app.app_context():
        meeting = db.session.get(Conference, conference)
        held = staff.grant(
            meeting,
            email=address,
            name="Дана Сарсенова",
            role=Role.CHECK_IN,
            granted_by=granter,
            language="en",
        )
        user_id = held.user_id
    [first] = _to(mailbox, address)
    assert "check-in staff of Ninth Meeting" in body(first)
    assert "lang=en" in body(first)

    with app.app_context():
        db.session.get(User, user_id).language = language
        db.session.commit()
        account_admin.invite_again(user_id)
    again = _to(mailbox, address, 2)[1]
    text = assert_in_language(again, app, language)
    assert str(again["Subject"]).strip() == _in(
        app, language, "Choose your password: CICA Secretariat"
    )
    assert "/account/password/" in text


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_disabled_webhook_is_told_in_the_owners_language(
    app: Flask, mailbox: TestMailbox, receiver: Receiver, language: str
) -> None:
    owner = make_account(app, f"owner-{language}@cica.example", language=language)
    subscription_id, _ = subscribe(app, owner, receiver.url, ["registration.created"])
    with app.app_context():
        db.session.get(User, owner).name = "Айгерим Бекова"
        subscription = db.session.get(WebhookSubscription, subscription_id)
        since = (utcnow() - timedelta(days=3)).replace(second=0, microsecond=0)
        subscription.failures_in_row = app.config["WEBHOOK_DISABLE_AFTER_FAILURES"] - 1
        subscription.failing_since = since
        db.session.commit()
        subscriptions.note_failure(subscription_id)  # the last straw
        db.session.commit()
    [message] = _to(mailbox, f"owner-{language}@cica.example")
    text = assert_in_language(message, app, language)
    with app.test_request_context(f"/?lang={language}"):
        failed = i18n.ngettext(
            "%(num)s attempt in a row failed since %(time)s.",
            "%(num)s attempts in a row failed since %(time)s.",
            app.config["WEBHOOK_DISABLE_AFTER_FAILURES"],
            time=i18n.zoned(since, "UTC"),
        )
    assert failed in text
    assert receiver.url in text
    assert f"/manage/webhooks/{subscription_id}?lang={language}" in text
