"""The `page` fixture notices when a page breaks the Content-Security-Policy."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Page


def test_public_pages_satisfy_the_policy(app: Flask, page: Page, csp_violations: list[str]) -> None:
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    for path in ("/", "/account/login", "/conferences/cica-ttf-9"):
        page.goto(path)
        page.wait_for_load_state("load")
    assert csp_violations == []


def test_an_inline_script_is_reported(page: Page, csp_violations: list[str]) -> None:
    page.goto("/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.append(s); }"
    )
    assert page.evaluate("() => window.ran === undefined")
    page.wait_for_timeout(200)
    assert any("script-src" in v for v in csp_violations), csp_violations
    csp_violations.clear()  # expected here; any other violation fails the test
