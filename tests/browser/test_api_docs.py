"""The API's documentation page: Swagger UI served by the service renders every operation
under the site's Content-Security-Policy, and what it renders passes axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.axe import Auditor
from tests.browser.conftest import LiveServer, fail_on_findings, watched_context
from tests.browser.page_checks import duplicate_ids, focus_indicator_problems

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_documentation_page_shows_the_operations(
    browser: object,
    live_server: LiveServer,
    csp_violations: list[str],
    auditor: Auditor,
    language: str,
) -> None:
    context: Any = watched_context(browser, live_server, csp_violations, auditor)
    tab = context.new_page()
    tab.goto(f"/api/v1/docs/?lang={language}")
    tab.locator(".opblock-summary-path").first.wait_for()
    paths = tab.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/conferences/{slug}/panels" in path.replace("\u200b", "") for path in paths)
    auditor.audit(tab, "(Swagger UI rendered)")
    assert focus_indicator_problems(tab) == []
    assert duplicate_ids(tab) == []
    context.close()
    fail_on_findings(csp_violations, auditor)
