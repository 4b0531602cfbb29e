"""Browser fixtures: the test app served on a free port, and Debian's chromium via Playwright.

Every test in this folder gets the `browser` marker (skipped without chromium locally, failed
under CI). The `page` fixture fails the test when the page reports a Content-Security-Policy
violation, so templates can't quietly rely on inline scripts or styles.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

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
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def _is_csp_violation(text: str) -> bool:
    return text.startswith("CSP violation:") or "Content Security Policy" in text


@pytest.fixture
def csp_violations() -> list[str]:
    """The CSP violations the `page` has logged so far."""
    return []


@pytest.fixture
def page(browser: object, live_server: LiveServer, csp_violations: list[str]) -> Iterator[object]:
    """A fresh browser page; the test fails if the page logs a CSP violation."""
    from playwright.sync_api import Browser, ConsoleMessage

    assert isinstance(browser, Browser)
    context = browser.new_context(base_url=live_server.url)
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
