"""axe-core in the browser tests: every page a test visits is checked against WCAG 2.1 A/AA.

axe-core comes from npm (`tests/js`, pinned by its lock) and is put into every document of a
browser context as an init script: it reaches the page from this machine, never from a CDN,
and the page's Content-Security-Policy stays as strict as in production (init scripts are not
page scripts). Each top-level document checks itself once it has loaded and reports through a
binding; the browser does not leave a page (a navigation request waits) before that check has
reported. `Auditor.audit(page)` checks a page again in its current state (after an in-page
action); the fixtures check the last page when the test ends and fail the test on any
violation, and on any page that was visited but never checked.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from tests.mail_support import JS_FOLDER

AXE_SCRIPT = JS_FOLDER / "node_modules" / "axe-core" / "axe.min.js"
# The rules of WCAG 2.0 and 2.1 at levels A and AA (EN 301 549 clause 9 builds on them).
WCAG_21_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
LEAVE_TIMEOUT = 20.0  # seconds a navigation waits for the page's own check

# After axe: one check at a time per document (axe refuses to run twice at once). Each
# top-level document says it exists as it starts (`__axeStarted`), checks itself at `load`
# and reports through `__axeReport`.
CHECKS = """
(() => {
  if (window.top !== window || !window.axe) { return; }
  const tags = %s;
  let last = Promise.resolve();
  window.__axeAudit = () => {
    const run = last.then(() => window.axe.run(document, {
      runOnly: { type: "tag", values: tags },
      resultTypes: ["violations"],
    })).then((result) => result.violations.map((rule) => ({
      rule: rule.id,
      help: rule.help,
      nodes: rule.nodes.map((node) => node.target.join(" ") + ": " + node.failureSummary),
    })));
    last = run.catch(() => null);
    return run;
  };
  if (!location.protocol.startsWith("http")) { return; }
  window.__axeStarted(location.href);  // now: leaving the page waits for its load and check
  window.addEventListener("load", () => {
    window.__axeAudit().then(
      (found) => window.__axeReport(location.href, found),
      (error) => window.__axeReport(location.href, null, String(error)),
    );
  });
})();
"""


def axe_available() -> bool:
    return AXE_SCRIPT.is_file()


@dataclass(frozen=True)
class Violation:
    """One axe rule broken on one page, with the elements that break it."""

    where: str
    rule: str
    help: str
    nodes: tuple[str, ...]

    def __str__(self) -> str:
        shown = "\n".join(f"      {node}" for node in self.nodes[:6])
        more = f"\n      ... and {len(self.nodes) - 6} more" if len(self.nodes) > 6 else ""
        return f"  {self.where}\n    {self.rule}: {self.help}\n{shown}{more}"


@dataclass
class Auditor:
    """Runs axe on the pages of the browser contexts it watches and keeps what it found."""

    violations: list[Violation] = field(default_factory=list)
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    _running: dict[Any, int] = field(default_factory=dict)  # checks under way, by page
    _events: list[str] = field(default_factory=list)  # starts and reports, for diagnosis

    def watch(self, context: Any) -> None:
        """Check every page of `context` when it has loaded, before the browser leaves it."""
        script = AXE_SCRIPT.read_text(encoding="utf-8")
        context.expose_binding("__axeStarted", self._started)
        context.expose_binding("__axeReport", self._reported)
        context.add_init_script(script + CHECKS % json.dumps(list(WCAG_21_AA)))
        context.route("**/*", self._before_request)

    def audit(self, page: Any, label: str = "") -> list[Violation]:
        """Check the page as it is now; the violations are kept for the end of the test too."""
        if not page.url.startswith("http"):
            return []
        found = self._evaluate_when_loaded(page)
        if found is None:
            self.problems.append(f"{page.url}: axe is not in this page")
            return []
        return self._keep(f"{page.url} {label}".strip(), found)

    @staticmethod
    def _evaluate_when_loaded(page: Any) -> Any:
        """Run the page's audit; when a navigation replaces the page meanwhile (a slow machine
        still following the last click), audit the page it arrives at."""
        from playwright.sync_api import Error

        for attempt in range(3):
            page.wait_for_load_state()
            try:
                return page.evaluate("() => window.__axeAudit ? window.__axeAudit() : null")
            except Error as error:
                if "Execution context was destroyed" not in str(error) or attempt == 2:
                    raise
        return None

    def finish(self, page: Any, label: str = "(at the end of the test)") -> None:
        """Check the page's last state and wait for its own check to have reported."""
        self.audit(page, label)
        self.settle(page)

    def failures(self) -> str:
        """What to fail the test with; empty when every page passed."""
        lines = []
        if self.violations:
            lines.append("axe found WCAG 2.1 A/AA violations:")
            lines.extend(map(str, self.violations))
        if self.problems:
            lines.append("pages that could not be checked with axe:")
            lines.extend(f"  {problem}" for problem in self.problems)
        return "\n".join(lines)

    def _keep(self, where: str, found: list[dict[str, Any]]) -> list[Violation]:
        self.checked += 1
        new = [Violation(where, v["rule"], v["help"], tuple(v["nodes"])) for v in found]
        for violation in new:
            if not any(
                (v.where, v.rule, v.nodes) == (violation.where, violation.rule, violation.nodes)
                for v in self.violations
            ):
                self.violations.append(violation)
        return new

    def _started(self, source: dict[str, Any], url: str) -> None:
        self._events.append(f"{time.monotonic():.2f} started {url}")
        page = source["page"]
        self._running[page] = self._running.get(page, 0) + 1

    def _reported(
        self,
        source: dict[str, Any],
        url: str,
        found: list[dict[str, Any]] | None,
        error: str = "",
    ) -> None:
        self._events.append(f"{time.monotonic():.2f} reported {url} {error}".strip())
        page = source["page"]
        self._running[page] = max(self._running.get(page, 0) - 1, 0)
        if found is None:
            self.problems.append(f"{url}: {error}")
        else:
            self._keep(url, found)

    def _before_request(self, route: Any) -> None:
        """A page is left only after its own check has reported."""
        request = route.request
        if request.is_navigation_request() and request.frame.parent_frame is None:
            page = request.frame.page
            self.settle(page)
        route.fallback()

    def settle(self, page: Any) -> None:
        """Wait until the page has loaded and its own check has reported."""
        deadline = time.monotonic() + LEAVE_TIMEOUT
        page.wait_for_timeout(10)  # lets a start message that is on its way arrive first
        while self._running.get(page) and time.monotonic() < deadline:
            page.wait_for_timeout(25)
        if self._running.get(page):
            self.problems.append(
                f"{page.url}: axe did not finish in {LEAVE_TIMEOUT:.0f} s "
                f"(last starts and reports: {self._events[-6:]})"
            )
            self._running[page] = 0
