"""The Secretariat's correspondence in a real browser: an organiser uploads the summary,
composes a note verbale in three languages, issues it, dispatches it to all member states
and reads the register per state; a visitor finds the public documents."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from registration.accounts.models import User
from tests.conftest import PASSWORD
from tests.correspondence_support import add_contact
from tests.document_support import pdf_bytes
from tests.mail_support import TestMailbox, wait_for

pytestmark = pytest.mark.usefixtures("members", "celery_worker")

BODIES = {
    "en": "forward herewith the Summary of the Ninth Meeting of the CICA Think Tank Forum.",
    "ru": "направить отчет 9-го заседания Форума аналитических центров СВМДА.",
    "kk": "9-отырыстың қорытынды есебін жіберуді",
}


def _sign_in(page: Page, email: str) -> None:
    page.goto("/account/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url("/manage/")


def _upload_summary(page: Page, tmp_path: Path) -> None:
    summary = tmp_path / "summary.pdf"
    summary.write_bytes(pdf_bytes(pages=8))
    page.goto("/manage/conferences/ttf9/documents")
    page.get_by_label("Kind").select_option("summary")
    page.get_by_label("Title in English").fill("Summary of the Ninth Meeting")
    page.get_by_label("Title in Russian").fill("Отчет 9-го заседания")
    page.get_by_label("Public").check()
    page.get_by_role("button", name="Create").click()
    page.get_by_label("Language of this version").select_option("en")
    page.get_by_label("File (PDF or Word .docx)").set_input_files(summary)
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#versions")).to_contain_text("summary.pdf")
    page.get_by_role("button", name="Issue").click()
    expect(page.get_by_text("The document is now issued.")).to_be_visible()


def _compose_and_issue(page: Page) -> None:
    page.goto("/manage/conferences/ttf9/documents")
    page.get_by_role("link", name="Compose a note verbale").click()
    page.get_by_label("Enclosure", exact=True).select_option(label="Summary of the Ninth Meeting")
    for code, language in (("en", "English"), ("ru", "Russian"), ("kk", "Kazakh")):
        page.get_by_label(f"Body ({language})").fill(BODIES[code])
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("heading", name="Draft note verbale")).to_be_visible()
    page.get_by_text("Russian text").click()
    expect(page.locator("#preview-ru")).to_contain_text("свидетельствует свое уважение")
    page.get_by_label("Public").check()
    page.get_by_role("button", name="Issue the note").click()
    expect(page.get_by_role("heading", name="Note verbale No. TTF/374")).to_be_visible()


def test_organiser_issues_and_dispatches_a_note_and_a_visitor_finds_the_documents(
    app: Flask,
    page: Page,
    browser: Browser,
    mailbox: TestMailbox,
    tmp_path: Path,
    make_organizer: Callable[..., User],
    make_conference: Callable[..., int],
) -> None:
    make_conference(slug="ttf9")
    with app.app_context():
        from registration.correspondence import register

        register.create_scheme("TTF", "CICA Think Tank Forum", "TTF", "ТТФ", 374)
    add_contact(app, "KAZ", "notes@mfa.kz.example", ["en", "ru", "kk"])
    add_contact(app, "CHN", "notes@mfa.cn.example", ["en"])
    _sign_in(page, make_organizer().email)
    _upload_summary(page, tmp_path)
    _compose_and_issue(page)

    page.get_by_role("link", name="Dispatch…").click()
    page.get_by_label("All member states").check()
    mailbox.refuse_for(3)  # the server answers 451 at first: the page opens while it runs
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#dispatch-live")).to_have_attribute("data-running", "yes")
    wait_for(lambda: mailbox.count >= 2, what="the two messages")
    # No reload: the register refreshes itself until the dispatch is finished.
    register_table = page.locator("#dispatch-register")
    expect(register_table).to_contain_text("Kazakhstan")
    expect(register_table).to_contain_text("notes@mfa.cn.example")
    expect(page.locator("#dispatch-counts")).to_have_text("2 sent · 0 queued · 0 refused")
    expect(page.locator("#dispatch-progress")).to_have_text("Finished.")
    expect(page.locator("#dispatch-live")).to_have_attribute("data-running", "no")

    visitor = browser.new_page(base_url=page.url.split("/manage")[0])
    visitor.goto("/conferences/ttf9")
    visitor.get_by_role("link", name="Documents of this meeting").click()
    expect(visitor.get_by_text("Summary of the Ninth Meeting")).to_be_visible()
    expect(visitor.get_by_text("Note verbale No. TTF/374")).to_be_visible()
    visitor.close()
