"""Issue 16's journey in a real browser: an organiser builds a registration form with three
kinds of question; a delegate answers, adds a badge photo and asks for a visa support
letter; the organiser issues it, the QR code on its PDF opens the verification page
(valid), the organiser revokes it (revoked); the photo badge is printed and shows at
check-in."""

from __future__ import annotations

import base64
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from registration.accounts.models import User
from registration.database import db
from registration.jobs import services as jobs
from registration.signup.links import manage_token
from registration.signup.models import Registration
from tests import services
from tests.attendance_support import payload_of
from tests.conftest import PASSWORD
from tests.delegate_support import picture
from tests.signup_support import open_registration

pytestmark = pytest.mark.usefixtures("members")

SLUG = "ttf-delegates"
EMAIL = "aigerim@kisi.example"
DECODE_QR = """async (png) => {
  const image = new Image();
  image.src = "data:image/png;base64," + png;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
  const found = jsQR(pixels.data, canvas.width, canvas.height);
  return found ? found.data : null;
}"""


def _sign_in(page: Page, email: str) -> None:
    page.goto("/account/login")
    page.get_by_role("textbox", name="E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url("/account/login")


def _add_question(page: Page, label: str, kind: str, *ticks: str, options: str = "") -> None:
    page.get_by_label("Question in English", exact=True).fill(label)
    page.get_by_label("Kind of answer").select_option(label=kind)
    if options:
        page.get_by_label("Choices, one per line (for a choice from a list) in English").fill(
            options
        )
    for tick in ticks:
        page.get_by_label(tick).check()
    page.get_by_role("button", name="Add the question").click()
    expect(page.get_by_text(f"Question added: {label}")).to_be_visible()


def _organiser_builds_the_form(page: Page) -> None:
    page.goto(f"/manage/conferences/{SLUG}/questions/")
    _add_question(page, "Dietary requirements", "One choice from a list", options="None\nHalal")
    _add_question(page, "Arrival date", "Date", "In-person only", "An answer is required")
    _add_question(
        page, "Passport number", "Short text", "In-person only", "An answer is required",
        "Sensitive (e.g. passport data)",
    )  # fmt: skip
    expect(page.locator("#questions-table tbody tr")).to_have_count(3)


def _delegate_registers(page: Page) -> None:
    page.goto(f"/conferences/{SLUG}/register")
    page.get_by_label("Full name").fill("Aigerim Nurlanovna")
    page.get_by_role("textbox", name="E-mail").fill(EMAIL)
    page.get_by_label("Institution", exact=True).fill("Kazakhstan Institute for Strategic Studies")
    page.get_by_label("Filter the list of members").fill("Kazakh")
    page.get_by_role("radio", name="In person").check()
    page.get_by_role("radio", name="Halal").check()
    page.get_by_label("Arrival date").fill("2030-12-27")
    page.get_by_role("button", name="Register").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.get_by_label("Passport number")).to_have_accessible_description(
        "For participants attending in person. Answer this question."
    )
    expect(page.get_by_label("Arrival date")).to_have_value("2030-12-27")
    expect(page.get_by_role("radio", name="Halal")).to_be_checked()
    page.get_by_label("Passport number").fill("N1234567")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Thank you, Aigerim Nurlanovna")).to_be_visible()


def _organiser_approves(page: Page, registration_id: int) -> None:
    page.goto(f"/manage/conferences/{SLUG}/registrations/{registration_id}")
    answers = page.locator("#review-answers")
    expect(answers).to_contain_text("Halal")
    expect(answers).to_contain_text("N1234567")
    page.get_by_role("radio", name="Approve").check()
    page.get_by_role("button", name="Send decision").click()
    expect(page.get_by_text("Aigerim Nurlanovna: approved.")).to_be_visible()


def _delegate_adds_photo_and_asks_for_a_letter(page: Page, own: str) -> None:
    page.goto(own)
    page.get_by_role("link", name="add a photo for your badge").click()
    page.get_by_label("Photo", exact=True).set_input_files(
        {"name": "me.jpg", "mimeType": "image/jpeg", "buffer": picture(size=(600, 900))}
    )
    expect(page.locator("#photo-preview")).to_be_visible()
    page.get_by_label("Zoom (%)").fill("120")
    page.get_by_role("button", name="Save my photo").click()
    expect(page.get_by_text("Your photo is saved")).to_be_visible()

    page.get_by_role("link", name="Ask for a visa support letter").click()
    expect(page.get_by_label("Full name as in the passport")).to_have_value("Aigerim Nurlanovna")
    page.get_by_label("Passport number").fill("N1234567")
    page.get_by_label("Nationality").select_option(label="Kazakhstan")
    page.get_by_label("Arrival").fill("2030-12-27")
    page.get_by_label("Departure").fill("2030-12-30")
    page.get_by_label("City of the consulate where you apply").fill("Almaty")
    page.get_by_role("button", name="Ask for the letter").click()
    expect(page.locator("#letter-status")).to_have_attribute("data-status", "requested")


def _qr_text_of_first_page(page: Page, pdf: Path) -> str:
    """The first page rendered (poppler's pdftoppm), its QR code read by jsQR in the page."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            ["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", str(pdf), f"{folder}/p"],
            check=True,
        )
        png = next(Path(folder).glob("p*.png")).read_bytes()
    page.add_script_tag(url="/static/vendor/jsqr/jsQR.js")
    found = page.evaluate(DECODE_QR, base64.b64encode(png).decode())
    assert found, "the letter's QR code could not be read"
    return str(found)


def _organiser_issues_verifies_and_revokes(page: Page) -> None:
    page.goto(f"/manage/conferences/{SLUG}/visa-letters/")
    page.locator("#letters-table").get_by_role("link", name="Review").click()
    page.get_by_role("radio", name="Issue the letter").check()
    page.get_by_role("button", name="Send the decision").click()
    expect(page.locator("#letter-number")).to_have_text("TTF-DELEGATES/V/001")
    with page.expect_download() as started:
        page.get_by_role("link", name="The letter as a PDF").click()
    pdf = Path(started.value.path())
    text = PdfReader(pdf).pages[0].extract_text()
    assert "N1234567" in text
    url = _qr_text_of_first_page(page, pdf)
    assert url.startswith("http://localhost/letters/")
    review = page.url
    page.goto(url.removeprefix("http://localhost"))
    expect(page.locator("#verify-result")).to_have_attribute("data-status", "valid")
    expect(page.locator("#verify-name")).to_have_text("Aigerim Nurlanovna")
    expect(page.locator("main")).not_to_contain_text("N1234567")
    page.goto(review)
    page.get_by_label("Why the letter is revoked").fill("Issued with the wrong dates.")
    page.get_by_role("button", name="Revoke the letter").click()
    expect(page.locator("#letter-status")).to_have_attribute("data-status", "revoked")
    page.goto(url.removeprefix("http://localhost"))
    expect(page.locator("#verify-result")).to_have_attribute("data-status", "revoked")


def _photo_badge_and_check_in(app: Flask, page: Page, registration_id: int, payload: str) -> None:
    page.goto(f"/manage/conferences/{SLUG}/badges")
    photo = page.locator(".badge-card-photo")
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.naturalWidth") == 600
    page.get_by_role("button", name="Download PDF").click()
    job_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    with app.app_context():
        jobs.run(job_id)  # what the worker does: the page offers the file when it is built
    with page.expect_download() as started:
        page.get_by_role("link", name=f"Download badges-{SLUG}.pdf").click()
    assert PdfReader(started.value.path()).pages[0].images, "the photo on the printed badge"
    page.goto(f"/manage/conferences/{SLUG}/checkin")
    page.get_by_label("Badge code").fill(payload)
    page.locator("#checkin-code-submit").click()
    expect(page.locator("#checkin-message")).to_contain_text("Aigerim Nurlanovna checked in")
    shown = page.locator("#checkin-photo")
    expect(shown).to_be_visible()
    expect(shown).to_have_attribute("alt", "Badge photo of Aigerim Nurlanovna")
    assert shown.evaluate("img => img.naturalWidth") == 600


def test_questions_photo_badge_and_visa_letter(
    app: Flask,
    page: Page,
    make_conference: Callable[..., int],
    make_organizer: Callable[..., User],
) -> None:
    if shutil.which("pdftoppm") is None:
        services.missing("needs poppler's pdftoppm (apt install poppler-utils)")
    conference = make_conference(slug=SLUG)
    open_registration(app, conference)
    organiser = make_organizer()
    _sign_in(page, organiser.email)
    _organiser_builds_the_form(page)
    page.get_by_role("button", name="Sign out").click()

    _delegate_registers(page)
    with app.app_context():
        registration = db.session.scalar(db.select(Registration).filter_by(email=EMAIL))
        assert registration is not None
        registration_id = registration.id
        own = f"/conferences/{SLUG}/registration/{manage_token(registration)}"
    _sign_in(page, organiser.email)
    _organiser_approves(page, registration_id)
    page.get_by_role("button", name="Sign out").click()

    _delegate_adds_photo_and_asks_for_a_letter(page, own)
    _sign_in(page, organiser.email)
    _organiser_issues_verifies_and_revokes(page)
    _photo_badge_and_check_in(app, page, registration_id, payload_of(app, registration_id))
