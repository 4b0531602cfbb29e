"""A registrant changes the language of our messages after registering, on the page their
personal link opens (issue 13): the choices are named in the page's language, and later mail
follows the new choice (the approval, and the calendar update a change of panels sends),
sent by a real worker to a real SMTP server."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage

import pytest
from flask import Flask
from flask_babel import gettext

from registration.conferences.models import Conference
from registration.database import db
from registration.delegates.person import person_token, send_link
from registration.signup import services
from registration.signup.links import manage_token
from registration.signup.models import Registration
from tests.ics_check import read_all, with_icalendar
from tests.mail_support import TestMailbox, add_registration, calendar_part, wait_for
from tests.signup_support import form_data, member_id, open_registration
from tests.test_mail_languages import KAZAKH, NAME, RUSSIAN, Language, assert_in_language

pytestmark = pytest.mark.usefixtures("members", "celery_worker")

SLUG = "ttf-9"
ADDRESS = "aigerim@kisi.example"


def _in(app: Flask, language: str, message: str, **values: object) -> str:
    with app.test_request_context(f"/?lang={language}"):
        return gettext(message, **values)


def _to(mailbox: TestMailbox, count: int) -> list[EmailMessage]:
    def arrived() -> list[EmailMessage] | None:
        found = [m for m in mailbox.parsed() if m["To"] == ADDRESS]
        return found if len(found) >= count else None

    return wait_for(arrived, what=f"{count} message(s) to {ADDRESS}")


@pytest.fixture
def panels(
    app: Flask, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> tuple[int, int]:
    """Open registration for a meeting with Russian and Kazakh texts, and its two panels."""
    conference = make_conference(
        slug=SLUG,
        translations={
            lang.code: {"title": lang.title, "city": lang.city, "venue": venue}
            for lang, venue in (
                (KAZAKH, "ШХЗИ, Цзюйлу к., 845-1"),
                (RUSSIAN, "ШИМИ, ул. Цзюйлу, 845-1"),
            )
        },
    )
    first = make_panel(
        conference,
        translations={
            "kk": {"title": KAZAKH.panel, "room": "А залы"},
            "ru": {"title": RUSSIAN.panel, "room": "Зал А"},
        },
    )
    second = make_panel(
        conference,
        title="Security cooperation in the digital era",
        translations={
            "kk": {
                "title": "Цифрлық дәуірдегі қауіпсіздік саласындағы ынтымақтастық",
                "room": "А залы",
            },
            "ru": {
                "title": "Сотрудничество в сфере безопасности в цифровую эпоху",
                "room": "Зал А",
            },
        },
    )
    open_registration(app, conference)
    return first, second


@pytest.mark.parametrize("language", [KAZAKH, RUSSIAN], ids=lambda lang: lang.code)
def test_later_mail_follows_the_language_chosen_after_registering(
    app: Flask, mailbox: TestMailbox, panels: tuple[int, int], language: Language
) -> None:
    first, second = panels
    client = app.test_client()
    data = form_data(
        member_id(app, "KAZ"), name=NAME, email=ADDRESS, panels=[first], mail_language="en"
    )
    assert client.post(f"/conferences/{SLUG}/register?lang=en", data=data).status_code == 302
    [confirmation] = _to(mailbox, 1)
    assert str(confirmation["Subject"]).strip().startswith("Confirm your registration")
    with app.app_context():
        registration = db.session.scalar(db.select(Registration).filter_by(email=ADDRESS))
        mine = f"/conferences/{SLUG}/registration/{manage_token(registration)}"

    # The manage page in Russian names the languages in Russian, the current choice selected.
    page = client.get(f"{mine}?lang=ru")
    assert page.status_code == 200
    for name in ("Английский", "Русский", "Казахский"):
        assert f">{name}</option>" in page.text, name
    assert '<option selected value="en">' in page.text

    chosen = client.post(
        f"{mine}/language", data={"mail_language": language.code}, follow_redirects=True
    )
    with app.test_request_context("/?lang=ru"):
        told = gettext(
            "From now on we write to you in %(language)s.",
            language="Казахский" if language is KAZAKH else "Русский",
        )
    assert told in chosen.text
    assert f'<option selected value="{language.code}">' in chosen.text
    with app.app_context():
        registration = db.session.scalar(db.select(Registration).filter_by(email=ADDRESS))
        assert registration.mail_language == language.code
        services.decide(registration, approve=True)

    received = _to(mailbox, 3)  # the approval and the first panel's invitation
    approval = next(m for m in received[1:] if not _has_calendar(m))
    assert str(approval["Subject"]).strip() == _in(
        app, language.code, "Your registration for %(title)s is approved", title=language.title
    )
    assert_in_language(approval, language)

    # Adding a panel on the same page sends its invitation in the new language too.
    changed = client.post(
        mine, data={"mode": "in_person", "panels": [first, second]}, follow_redirects=True
    )
    assert changed.status_code == 200
    update = _to(mailbox, 4)[3]
    ics = calendar_part(update).get_payload(decode=True)
    [event] = read_all(ics)["events"]
    assert event["summary"] != "Security cooperation in the digital era"
    assert event["languages"]["summary"] == language.code
    [parsed] = with_icalendar(ics).events
    assert parsed["SUMMARY"].params["LANGUAGE"] == language.code
    assert_in_language(update, language)


def _has_calendar(message: EmailMessage) -> bool:
    return any(p.get_content_type() == "text/calendar" for p in message.walk())


def test_on_my_page_the_language_changes_for_every_registration_of_the_address(
    app: Flask, mailbox: TestMailbox, panels: tuple[int, int], make_conference: Callable
) -> None:
    """/my (the person's sign-in link) changes the language of all their registrations; the
    next sign-in link comes in it, and the page shows the meetings' titles in its language."""
    other = make_conference(slug="ttf-10", title="Tenth Meeting of the CICA Think Tank Forum")
    with app.app_context():
        for conference_id in (
            db.session.scalar(db.select(Conference.id).filter_by(slug=SLUG)),
            other,
        ):
            registration = add_registration(conference_id, ADDRESS, name=NAME)
            registration.mail_language = "en"
        db.session.commit()
        mine = f"/my/{person_token(ADDRESS)}"
    client = app.test_client()
    page = client.get(f"{mine}?lang=kk")
    assert KAZAKH.title in page.text  # the meeting's title in the page's language
    assert '<span lang="en">Tenth Meeting' in page.text  # no Kazakh title: said in English
    for name in ("Ағылшын тілі", "Орыс тілі", "Қазақ тілі"):
        assert f">{name}</option>" in page.text, name

    chosen = client.post(f"{mine}/language", data={"mail_language": "ru"}, follow_redirects=True)
    with app.test_request_context("/?lang=kk"):
        assert (
            gettext("From now on we write to you in %(language)s.", language="Орыс тілі")
            in chosen.text
        )
    with app.app_context():
        languages = db.session.scalars(
            db.select(Registration.mail_language).filter_by(email=ADDRESS)
        ).all()
        assert languages == ["ru", "ru"]
        assert send_link(ADDRESS)
    [link] = _to(mailbox, 1)
    assert str(link["Subject"]).strip() == _in(
        app, "ru", "Your registrations with the CICA Secretariat"
    )
