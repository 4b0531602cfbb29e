"""Browser fixtures: the test app served on a free port, and Debian's chromium via Playwright.

Every test in this folder gets the `browser` marker (skipped without chromium locally, failed
under CI). The `page` (desktop) and `phone_page` fixtures fail the test when the page reports a
Content-Security-Policy violation, so templates can't quietly rely on inline scripts or styles,
and when axe-core finds a WCAG 2.1 A/AA violation on any page the test visited (tests/browser/
axe.py).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests import services
from tests.browser.announcements import RECORDER
from tests.browser.axe import Auditor, axe_available
from tests.services import CHROMIUM

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Reports violations as console errors too; the browser's own message wording may change.
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (event) => {
  const blocked = event.blockedURI || 'inline';
  console.error(`CSP violation: ${event.violatedDirective} blocked ${blocked}`);
});
"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@dataclass(frozen=True)
class LiveServer:
    url: str


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[LiveServer]:
    """The session's app, served over HTTP by a werkzeug server in a background thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def playwright() -> Iterator[object]:
    """Playwright's driver; one per session (a second one can't start in the same thread)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


def launch_chromium(playwright: object, *extra_args: str) -> object:
    """Debian's chromium, headless, with our flags and any `extra_args`."""
    from playwright.sync_api import Playwright

    assert isinstance(playwright, Playwright)
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, *extra_args]
    )


@pytest.fixture(scope="session")
def browser(playwright: object) -> Iterator[object]:
    chromium = launch_chromium(playwright)
    yield chromium
    chromium.close()


def _is_csp_violation(text: str) -> bool:
    return text.startswith("CSP violation:") or "Content Security Policy" in text


@pytest.fixture
def csp_violations() -> list[str]:
    """The CSP violations the `page` has logged so far."""
    return []


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def auditor() -> Auditor:
    """axe-core's findings on the pages of this test (see tests/browser/axe.py)."""
    if not axe_available():
        services.missing("needs axe-core: npm ci --prefix tests/js")
    return Auditor()


def watched_context(
    browser: object,
    live_server: LiveServer,
    csp_violations: list[str],
    auditor: Auditor,
    **options: Any,
) -> object:
    """A fresh browser context (`options` go to `new_context`) whose pages report CSP
    violations into `csp_violations`, are checked by `auditor` and record what a screen
    reader would announce (tests/browser/announcements.py)."""
    from playwright.sync_api import Browser, ConsoleMessage, Page

    assert isinstance(browser, Browser)
    context = browser.new_context(base_url=live_server.url, **options)
    context.add_init_script(CSP_LISTENER)
    context.add_init_script(RECORDER)
    # Generous: on a loaded 2-core CI machine a navigation has been seen to take over 10 s.
    context.set_default_timeout(30_000)
    auditor.watch(context)

    def listen(tab: Page) -> None:
        def collect(message: ConsoleMessage) -> None:
            if _is_csp_violation(message.text):
                csp_violations.append(f"{tab.url}: {message.text}")

        tab.on("console", collect)

    context.on("page", listen)
    return context


def fail_on_findings(csp_violations: list[str], auditor: Auditor) -> None:
    if csp_violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(csp_violations))
    if auditor.failures():
        pytest.fail(auditor.failures())


def guarded_page(
    browser: object,
    live_server: LiveServer,
    csp_violations: list[str],
    auditor: Auditor,
    **options: Any,
) -> Iterator[object]:
    """A page in a fresh context (`options` go to `new_context`) that fails the test on CSP
    violations and on axe's findings, the last page's state included."""
    from playwright.sync_api import BrowserContext

    context = watched_context(browser, live_server, csp_violations, auditor, **options)
    assert isinstance(context, BrowserContext)
    tab = context.new_page()
    yield tab
    if not tab.is_closed():
        auditor.finish(tab)
    context.close()
    fail_on_findings(csp_violations, auditor)


@pytest.fixture
def page(
    browser: object, live_server: LiveServer, csp_violations: list[str], auditor: Auditor
) -> Iterator[object]:
    """A fresh desktop browser page; the test fails on a CSP violation or axe's findings."""
    yield from guarded_page(browser, live_server, csp_violations, auditor)


@pytest.fixture
def phone_page(
    browser: object, live_server: LiveServer, csp_violations: list[str], auditor: Auditor
) -> Iterator[object]:
    """Like `page`, on a phone: a 390x844 touch screen with a mobile user agent's layout."""
    yield from guarded_page(browser, live_server, csp_violations, auditor, **PHONE)
