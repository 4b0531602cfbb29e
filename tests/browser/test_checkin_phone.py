"""An organiser checks people in on a phone: by badge code and by name, undo, repeats, refusals."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import segno
from flask import Flask
from playwright.sync_api import Browser, Page, Route, expect

from registration.accounts.models import User
from registration.attendance.models import AttendanceEvent, AttendanceRecord, AttendanceSource
from registration.database import db
from registration.signup.models import AttendanceMode, RegistrationStatus
from tests.attendance_support import add_registration, payload_of
from tests.browser.axe import Auditor
from tests.browser.conftest import PHONE, LiveServer, guarded_page, launch_chromium
from tests.browser.keyboard import expect_announced
from tests.conftest import PASSWORD

pytestmark = pytest.mark.usefixtures("members")

FIRST_DAY = "day:2030-12-28"


@dataclass(frozen=True)
class Desk:
    """The conference at the door: its panel and the registrations the tests check in."""

    conference: int
    panel: int
    aigerim: int
    li_wei: int
    withdrawn: int
    pending: int


@pytest.fixture
def desk(app: Flask, make_conference: Callable[..., int], make_panel: Callable[..., int]) -> Desk:
    conference = make_conference(slug="ttf-9")
    panel = make_panel(conference)
    return Desk(
        conference=conference,
        panel=panel,
        aigerim=add_registration(app, conference, "Aigerim Nurlanovna", member="KAZ"),
        li_wei=add_registration(app, conference, "Li Wei", member="CHN", panels=(panel,)),
        withdrawn=add_registration(
            app, conference, "Rustam Karimov", member="UZB", status=RegistrationStatus.WITHDRAWN
        ),
        pending=add_registration(
            app, conference, "Ayesha Rahman", member="PAK", status=RegistrationStatus.PENDING
        ),
    )


def open_checkin(page: Page, email: str) -> Page:
    """Signs the organiser in and opens the conference's check-in page."""
    page.goto("/account/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url("/manage/")
    page.goto("/manage/conferences/ttf-9/checkin")
    expect(page.get_by_role("heading", name="Check-in")).to_be_visible()
    return page


@pytest.fixture
def checkin_page(phone_page: Page, make_organizer: Callable[..., User], desk: Desk) -> Page:
    """The check-in page on a phone, the organiser signed in."""
    return open_checkin(phone_page, make_organizer().email)


def scan_code(page: Page, payload: str) -> None:
    page.get_by_label("Badge code").fill(payload)
    page.locator("#checkin-code-submit").click()


def expect_outcome(page: Page, status: str, message: str) -> None:
    expect(page.locator("#checkin-outcome")).to_have_attribute("data-status", status)
    expect(page.locator("#checkin-message")).to_have_text(message)


def records(app: Flask) -> list[tuple[int, str, AttendanceMode]]:
    with app.app_context():
        return [
            (r.registration_id, r.scope, r.mode)
            for r in db.session.scalars(db.select(AttendanceRecord).order_by(AttendanceRecord.id))
        ]


def live_events(app: Flask) -> list[tuple[int, AttendanceSource]]:
    """The check-in facts that were not undone."""
    with app.app_context():
        return [
            (e.registration_id, e.source)
            for e in db.session.scalars(
                db.select(AttendanceEvent).filter_by(undone_at=None).order_by(AttendanceEvent.id)
            )
        ]


def test_the_page_fits_a_phone_screen(checkin_page: Page) -> None:
    width = checkin_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px wide)"
    for control in ("#checkin-scope", "#checkin-code", "#checkin-code-submit", "#checkin-search"):
        box = checkin_page.locator(control).bounding_box()
        assert box is not None, control
        assert 0 <= box["x"] <= box["x"] + box["width"] <= 390, control


def test_badge_code_checks_in_undo_removes_it_and_a_repeat_stays_one_record(
    app: Flask, checkin_page: Page, desk: Desk
) -> None:
    page = checkin_page
    payload = payload_of(app, desk.aigerim)
    page.locator("#checkin-scope").select_option(FIRST_DAY)

    scan_code(page, payload)
    expect_outcome(page, "checked_in", "Aigerim Nurlanovna checked in: Day 28 December 2030.")
    expect(page.get_by_label("Badge code")).to_have_value("")
    log = page.locator("#checkin-log li[data-client-id]")
    expect(log).to_have_count(1)
    expect(log.first).to_contain_text("Aigerim Nurlanovna (Kazakhstan)")
    assert records(app) == [(desk.aigerim, FIRST_DAY, AttendanceMode.IN_PERSON)]

    page.locator("#checkin-undo").click()
    expect_outcome(page, "undone", "Check-in of Aigerim Nurlanovna undone.")
    expect(page.locator("#checkin-undo")).to_be_hidden()
    expect(log.first).to_have_class("is-undone")
    expect(log.first.get_by_role("button", name="Undo")).to_have_count(0)
    assert records(app) == []
    assert live_events(app) == []

    scan_code(page, payload)
    expect_outcome(page, "checked_in", "Aigerim Nurlanovna checked in: Day 28 December 2030.")
    scan_code(page, payload)
    expect(page.locator("#checkin-outcome")).to_have_attribute("data-status", "already_checked_in")
    expect(page.locator("#checkin-message")).to_contain_text(
        "Aigerim Nurlanovna was already checked in at "
    )
    expect(page.locator("#checkin-message")).to_contain_text(
        " (Asia/Shanghai, UTC+08:00): Day 28 December 2030."
    )
    expect(log).to_have_count(3)
    assert records(app) == [(desk.aigerim, FIRST_DAY, AttendanceMode.IN_PERSON)]
    assert live_events(app) == [(desk.aigerim, AttendanceSource.QR_SCAN)] * 2

    page.locator("#checkin-scope").select_option("day:2030-12-29")
    scan_code(page, payload)
    expect_outcome(page, "checked_in", "Aigerim Nurlanovna checked in: Day 29 December 2030.")
    assert [scope for _, scope, _ in records(app)] == [FIRST_DAY, "day:2030-12-29"]


def test_name_search_checks_in_for_a_session(app: Flask, checkin_page: Page, desk: Desk) -> None:
    page = checkin_page
    page.locator("#checkin-scope").select_option(f"panel:{desk.panel}")
    person = page.locator(f'#checkin-results button[data-registration-id="{desk.li_wei}"]')

    page.get_by_label("Search by name").fill("li wei")
    page.locator("#checkin-search-submit").click()
    expect(page.locator("#checkin-results li")).to_have_count(1)
    expect(page.locator("#checkin-results li")).to_have_text(
        "Li Wei — ChinaInstitute of Strategic StudiesCheck in"  # the institution on its own line
    )
    person.click()
    expect_outcome(page, "checked_in", "Li Wei checked in: Realistic security challenges (Hall A).")
    expect(page.locator("#checkin-log li[data-client-id]")).to_have_count(1)
    scope = f"panel:{desk.panel}"
    assert records(app) == [(desk.li_wei, scope, AttendanceMode.IN_PERSON)]

    page.locator("#checkin-search-submit").click()
    expect(page.locator("#checkin-results li")).to_contain_text("Li Wei — China (checked in)")
    person.click()
    expect(page.locator("#checkin-outcome")).to_have_attribute("data-status", "already_checked_in")
    assert records(app) == [(desk.li_wei, scope, AttendanceMode.IN_PERSON)]
    assert live_events(app) == [(desk.li_wei, AttendanceSource.MANUAL)] * 2

    page.get_by_label("Search by name").fill("nobody like this")
    page.locator("#checkin-search-submit").click()
    expect(page.locator("#checkin-results li")).to_have_text("Nobody found.")


def test_a_withdrawn_registration_is_refused_by_badge_and_by_name(
    app: Flask, checkin_page: Page, desk: Desk
) -> None:
    page = checkin_page
    page.locator("#checkin-scope").select_option(FIRST_DAY)
    refusal = "Rustam Karimov: registration withdrawn — do not admit."

    scan_code(page, payload_of(app, desk.withdrawn))
    expect_outcome(page, "refused", refusal)
    expect(page.locator("#checkin-undo")).to_be_hidden()

    page.get_by_label("Search by name").fill("Rustam")
    page.locator("#checkin-search-submit").click()
    expect(page.locator("#checkin-results li")).to_contain_text(
        "Rustam Karimov — Uzbekistan (withdrawn)"
    )
    page.locator(f'#checkin-results button[data-registration-id="{desk.withdrawn}"]').click()
    expect_outcome(page, "refused", refusal)

    scan_code(page, "CICA1:not-a-real-badge")
    expect_outcome(page, "refused", "Not a valid badge: the code is forged or damaged.")
    expect(page.locator("#checkin-log li")).to_have_count(0)
    assert records(app) == []
    assert live_events(app) == []


def test_a_pending_registration_is_admitted_with_a_warning(
    app: Flask, checkin_page: Page, desk: Desk
) -> None:
    page = checkin_page
    page.locator("#checkin-scope").select_option(FIRST_DAY)
    scan_code(page, payload_of(app, desk.pending))
    expect_outcome(page, "checked_in", "Ayesha Rahman checked in: Day 28 December 2030.")
    expect(page.locator("#checkin-warning")).to_have_text("Registration is pending, not approved.")
    assert records(app) == [(desk.pending, FIRST_DAY, AttendanceMode.IN_PERSON)]


def test_a_retry_after_a_lost_answer_is_one_check_in_that_can_be_undone(
    app: Flask, checkin_page: Page, desk: Desk
) -> None:
    """The phone resends a scan whose answer never came; the server records it once."""
    page = checkin_page
    page.locator("#checkin-scope").select_option(FIRST_DAY)
    lost: list[str] = []

    def lose_first_answer(route: Route) -> None:
        if lost:
            route.continue_()
            return
        route.fetch()  # the server records the check-in, the phone never hears back
        lost.append(route.request.post_data_json["client_id"])
        route.abort("connectionreset")

    page.route("**/checkin/api/scan", lose_first_answer)
    scan_code(page, payload_of(app, desk.aigerim))
    expect_outcome(page, "duplicate", "Aigerim Nurlanovna: this scan was already recorded.")
    log = page.locator("#checkin-log li[data-client-id]")
    expect(log).to_have_count(1)
    expect(log.first).to_have_attribute("data-client-id", lost[0])
    assert records(app) == [(desk.aigerim, FIRST_DAY, AttendanceMode.IN_PERSON)]
    assert live_events(app) == [(desk.aigerim, AttendanceSource.QR_SCAN)]

    page.locator("#checkin-undo").click()
    expect_outcome(page, "undone", "Check-in of Aigerim Nurlanovna undone.")
    expect(log.first).to_have_class("is-undone")
    assert records(app) == []


def write_camera_video(path: Path, text: str, width: int = 640, height: int = 480) -> None:
    """A still Y4M video of a QR code with `text`, as a fake camera shows it (dark on light)."""
    rows = list(segno.make_qr(text, error="m").matrix_iter(border=4))
    scale = min(width, height) * 8 // 10 // len(rows)
    left = (width - scale * len(rows)) // 2
    top = (height - scale * len(rows)) // 2
    luma = bytearray([235]) * (width * height)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                for dy in range(scale):
                    start = (top + r * scale + dy) * width + left + c * scale
                    luma[start : start + scale] = bytes([16]) * scale
    chroma = bytes([128]) * (width * height // 4)
    frame = b"FRAME\n" + bytes(luma) + chroma + chroma
    header = f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + frame * 2)


@pytest.fixture
def camera_page(
    app: Flask,
    playwright: object,
    live_server: LiveServer,
    csp_violations: list[str],
    auditor: Auditor,
    desk: Desk,
    tmp_path: Path,
) -> Iterator[Page]:
    """A phone whose (fake) camera films Aigerim's badge QR code; chromium launched for it."""
    video = tmp_path / "badge.y4m"
    write_camera_video(video, payload_of(app, desk.aigerim))
    chromium = launch_chromium(
        playwright,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    )
    assert isinstance(chromium, Browser)
    try:
        yield from guarded_page(chromium, live_server, csp_violations, auditor, **PHONE)
    finally:
        chromium.close()


def test_the_camera_reads_a_badge_and_checks_in_once(
    app: Flask, camera_page: Page, make_organizer: Callable[..., User], desk: Desk
) -> None:
    page = open_checkin(camera_page, make_organizer().email)
    page.locator("#checkin-scope").select_option(FIRST_DAY)
    page.get_by_role("button", name="Scan with camera").click()
    expect(page.locator("#checkin-video")).to_be_visible()
    expect(page.locator("#checkin-camera-status")).to_have_text(
        "Point the camera at the QR code on the badge."
    )
    expect_announced(page, "Point the camera at the QR code on the badge.")
    expect_outcome(page, "checked_in", "Aigerim Nurlanovna checked in: Day 28 December 2030.")
    expect_announced(page, "Aigerim Nurlanovna checked in: Day 28 December 2030.")
    page.get_by_role("button", name="Stop camera").click()
    expect(page.locator("#checkin-video")).to_be_hidden()
    expect(page.locator("#checkin-log li[data-client-id]")).to_have_count(1)
    assert records(app) == [(desk.aigerim, FIRST_DAY, AttendanceMode.IN_PERSON)]
    assert live_events(app) == [(desk.aigerim, AttendanceSource.QR_SCAN)]
