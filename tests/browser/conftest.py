"""Browser fixtures: the test app served on a free port, and Debian's chromium via Playwright.

Every test in this folder gets the `browser` marker (skipped without chromium locally, failed
under CI). The `page` (desktop) and `phone_page` fixtures fail the test when the page reports a
Content-Security-Policy violation, so templates can't quietly rely on inline scripts or styles.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

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


def guarded_page(
    browser: object, live_server: LiveServer, csp_violations: list[str], **options: Any
) -> Iterator[object]:
    """A page in a fresh context (`options` go to `new_context`) that fails on CSP violations."""
    from playwright.sync_api import Browser, ConsoleMessage

    assert isinstance(browser, Browser)
    context = browser.new_context(base_url=live_server.url, **options)
    context.add_init_script(CSP_LISTENER)
    context.set_default_timeout(10_000)
    tab = context.new_page()

    def collect(message: ConsoleMessage) -> None:
        if _is_csp_violation(message.text):
            csp_violations.append(f"{tab.url}: {message.text}")

    tab.on("console", collect)
    yield tab
    context.close()
    if csp_violations:
        pytest.fail("Content-Security-Policy violations:\n" + "\n".join(csp_violations))


@pytest.fixture
def page(browser: object, live_server: LiveServer, csp_violations: list[str]) -> Iterator[object]:
    """A fresh desktop browser page; the test fails if the page logs a CSP violation."""
    yield from guarded_page(browser, live_server, csp_violations)


@pytest.fixture
def phone_page(
    browser: object, live_server: LiveServer, csp_violations: list[str]
) -> Iterator[object]:
    """Like `page`, on a phone: a 390x844 touch screen with a mobile user agent's layout."""
    yield from guarded_page(browser, live_server, csp_violations, **PHONE)
