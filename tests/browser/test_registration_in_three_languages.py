"""A delegate registers and a focal point approves a registration of their member state, in
English, Russian and Kazakh (issue 13): the public form opened in the language, its error
sent back in it with what was typed kept, the confirmation page and mail in it, then the
mailed link's page, where they choose another language for our mail; the focal point's
pages in the language of their account, from the list to the decision's message.
Stored texts not written in the page's language carry their `lang`; axe finds nothing on any
page visited (the `page` fixture runs it on each)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask_babel import gettext
from playwright.sync_api import Page, expect

from registration.accounts.models import User
from registration.database import db
from registration.directory.services import member_by_code, member_name
from registration.i18n import language_name, translate
from registration.signup.models import FocalPoint, Registration, RegistrationStatus
from tests.conftest import PASSWORD
from tests.signup_support import (
    body,
    form_data,
    link_in,
    mails,
    member_id,
    open_registration,
)

pytestmark = pytest.mark.usefixtures("members")

LANGUAGES = ["en", "ru", "kk"]
SLUG = "ttf-9"
TITLES = {
    "en": "Ninth Meeting of the CICA Think Tank Forum",
    "ru": "Девятое заседание Форума аналитических центров СВМДА",
    "kk": "АӨСШК Сараптамалық орталықтар форумының тоғызыншы отырысы",
}
SECURITY = {
    "en": "Realistic security challenges",
    "ru": "Реальные вызовы безопасности",
    "kk": "Қауіпсіздіктің нақты сын-қатерлері",
}
DIGITAL = "Security cooperation in the digital era"  # entered in English only
# What a person types to find Kazakhstan in the member filter on a page in each language.
KAZAKHSTAN_TYPED = {"en": "Kazakh", "ru": "Казах", "kk": "Қазақ"}
DELEGATE = "dana.sarsenova@kisi.example"
FOCAL_POINT = "focal@mfa.kz.example"


def _in(app: Flask, language: str, message: str, **values: object) -> str:
    """`message` as a page in `language` says it."""
    with app.test_request_context(f"/?lang={language}"):
        return gettext(message, **values)


def _kazakhstan(app: Flask, language: str) -> str:
    with app.app_context():
        return member_name(member_by_code("KAZ"), language)


@pytest.fixture
def conference(
    app: Flask, make_conference: Callable[..., int], make_panel: Callable[..., int]
) -> int:
    """Open registration for a meeting titled in three languages, with a panel titled in
    three and one in English only."""
    conference_id = make_conference(
        slug=SLUG,
        title=TITLES["en"],
        translations={code: {"title": TITLES[code]} for code in ("ru", "kk")},
    )
    make_panel(
        conference_id,
        title=SECURITY["en"],
        translations={code: {"title": SECURITY[code]} for code in ("ru", "kk")},
    )
    make_panel(conference_id, title=DIGITAL, room="Hall B")
    open_registration(app, conference_id)
    return conference_id


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_delegate_registers_in_their_language(
    app: Flask, page: Page, conference: int, language: str
) -> None:
    page.goto(f"/conferences/{SLUG}/register?lang={language}")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        _in(app, language, "Register for %(conference)s", conference=TITLES[language])
    )
    # The panel entered in English only says so to a Russian or Kazakh screen reader.
    digital = page.locator("#panels-field span", has_text=DIGITAL)
    if language == "en":
        expect(page.locator("#panels-field [lang]")).to_have_count(0)
    else:
        expect(digital).to_have_attribute("lang", "en")
    expect(page.locator("#panels-field")).to_contain_text(SECURITY[language])

    page.get_by_label(_in(app, language, "E-mail"), exact=True).fill(DELEGATE)
    page.get_by_label(_in(app, language, "Institution"), exact=True).fill("ҚСЗИ / KazISS")
    page.get_by_label(_in(app, language, "Filter the list of members")).fill(
        KAZAKHSTAN_TYPED[language]
    )
    member = page.get_by_label(_in(app, language, "Represented member state or organisation"))
    expect(member).to_have_value(str(member_id(app, "KAZ")))
    expect(member.locator("option:checked")).to_contain_text(_kazakhstan(app, language))
    page.get_by_role("radio", name=_in(app, language, "In person")).check()
    page.get_by_label(SECURITY[language]).check()
    expect(page.get_by_label(_in(app, language, "Language of our messages to you"))).to_have_value(
        language
    )
    page.get_by_role("button", name=_in(app, language, "Register"), exact=True).click()

    # The full name was left out: the form comes back in the language with the rest kept.
    expect(html).to_have_attribute("lang", language)
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(_in(app, language, "Please correct the fields marked below."))
    missing = _in(app, language, "Enter your full name.")
    name = page.get_by_label(_in(app, language, "Full name"))
    expect(name).to_have_accessible_description(missing)
    expect(page.get_by_label(_in(app, language, "E-mail"), exact=True)).to_have_value(DELEGATE)
    expect(member).to_have_value(str(member_id(app, "KAZ")))
    expect(page.get_by_role("radio", name=_in(app, language, "In person"))).to_be_checked()
    expect(page.get_by_label(SECURITY[language])).to_be_checked()

    name.fill("Дана Сарсенова")
    page.get_by_role("button", name=_in(app, language, "Register"), exact=True).click()
    expect(html).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        _in(app, language, "Thank you, %(name)s", name="Дана Сарсенова")
    )
    expect(page.locator("#registration-status")).to_have_text(
        _in(
            app,
            language,
            "Your registration is received and awaits approval by the secretariat or your "
            "delegation's focal point.",
        )
    )
    with app.app_context():
        registration = db.session.scalar(db.select(Registration).filter_by(email=DELEGATE))
        assert registration.mail_language == language
    [confirmation] = mails(app, DELEGATE)
    with app.test_request_context(f"/?lang={language}"):
        subject = gettext("Confirm your registration for %(title)s", title=TITLES[language])
        greeting = gettext("Dear %(name)s,", name="Дана Сарсенова")
    assert str(confirmation["Subject"]).strip() == subject
    assert greeting in body(confirmation)

    # The mailed link opens their registration, where they choose another language for mail.
    page.goto(link_in(confirmation))
    expect(html).to_have_attribute("lang", language)
    other = LANGUAGES[(LANGUAGES.index(language) + 1) % len(LANGUAGES)]
    with app.test_request_context(f"/?lang={language}"):
        other_name = language_name(other)
        told = gettext("From now on we write to you in %(language)s.", language=other_name)
    choice = page.get_by_label(_in(app, language, "Language of our messages to you"))
    expect(choice.locator("option:checked")).to_have_text(language_name(language, language))
    choice.select_option(label=other_name)
    page.get_by_role("button", name=_in(app, language, "Change the language")).click()
    expect(page.locator("#notices")).to_contain_text(told)
    expect(choice).to_have_value(other)
    with app.app_context():
        registration = db.session.scalar(db.select(Registration).filter_by(email=DELEGATE))
        assert registration.mail_language == other


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_focal_point_approves_in_their_language(
    app: Flask,
    page: Page,
    conference: int,
    make_organizer: Callable[..., User],
    language: str,
) -> None:
    client = app.test_client()
    kaz = member_id(app, "KAZ")
    for data in (
        form_data(kaz, name="Yerlan Karin", email=DELEGATE, mail_language=language),
        form_data(member_id(app, "CHN"), name="Li Wei", email="li.wei@siis.example"),
    ):
        response = client.post(f"/conferences/{SLUG}/register", data=data)
        assert response.status_code == 302, response.text
    focal_point = make_organizer(FOCAL_POINT, organizer=False)
    with app.app_context():
        db.session.get(User, focal_point.id).language = language
        db.session.add(FocalPoint(user_id=focal_point.id, conference_id=conference, member_id=kaz))
        db.session.commit()
        delegate_id = db.session.scalar(db.select(Registration.id).filter_by(email=DELEGATE))

    page.goto("/account/login")
    page.get_by_label("E-mail").fill(FOCAL_POINT)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)  # the account's language from now on
    expect(page.get_by_role("heading", level=1)).to_have_text(
        _in(app, language, "Your delegations")
    )
    page.get_by_role("link", name=TITLES[language]).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"{_kazakhstan(app, language)}: {TITLES[language]}"
    )
    rows = page.locator("#registrations-table tbody tr")
    expect(rows).to_have_count(1)  # the Kazakh delegate, not Li Wei
    row = page.locator(f"#registration-{delegate_id}")
    expect(row.locator(".badge")).to_have_text(_in(app, language, "Pending"))
    row.get_by_role("link", name=_in(app, language, "Review")).click()

    expect(html).to_have_attribute("lang", language)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        _in(app, language, "Review: %(name)s", name="Yerlan Karin")
    )
    page.get_by_role("radio", name=_in(app, language, "Approve")).check()
    page.get_by_role("button", name=_in(app, language, "Send decision")).click()
    with app.test_request_context(f"/?lang={language}"):
        approved = translate(RegistrationStatus.APPROVED.label)
        decided = gettext("%(name)s: %(status)s.", name="Yerlan Karin", status=approved.lower())
    expect(page.locator("#notices")).to_contain_text(decided)
    expect(row).to_have_attribute("data-status", "approved")
    expect(row.locator(".badge")).to_have_text(approved)

    subject = _in(
        app, language, "Your registration for %(title)s is approved", title=TITLES[language]
    )
    [approval] = [m for m in mails(app, DELEGATE) if str(m["Subject"]).strip() == subject]
    assert _in(app, language, "Dear %(name)s,", name="Yerlan Karin") in body(approval)
