"""axe-core in the browser tests: every page a test visits is checked against WCAG 2.1 A/AA.

axe-core comes from npm (`tests/js`, pinned by its lock) and is put into every document of a
browser context as an init script: it reaches the page from this machine, never from a CDN,
and the page's Content-Security-Policy stays as strict as in production (init scripts are not
page scripts). The fixtures fail the test on any violation and on any check that did not finish.

What is checked, whatever the timing of the test and of the machine:
- Every top-level document checks itself once its `load` event has fired and reports through
  a binding, under a token of its own (a new document on a page never stands for an older one).
- A navigation away from a document waits (up to LEAVE_TIMEOUT) for that document's check to
  report once the document has told the auditor that it loaded (`__axeLoaded`, sent as its
  check begins). Only such a check is waited for: it needs nothing but the page's own script
  and the binding, never the network or the `load` event, so holding the navigation request
  in the route handler cannot starve it (sub-resources and `load` can't be awaited there: they
  may depend on the very request being held). A document that a later one has replaced is
  never waited for: its check can never report.
- A document the test navigates away from before it loaded (precisely: before its `load`
  message reached the auditor, as with a `goto` or a click right after a click that was still
  loading a page) is not checked: the navigation does not wait for it, and when that
  navigation replaces it, its check never runs or is cut short. The document the test arrives
  at is checked instead, as every document is. Such documents are listed in
  `Auditor.left_before_load`; a navigation that does not replace the page (a download, a 204)
  leaves its check to run when it loads.
- `Auditor.audit(page)` checks the page again in its current state (after an in-page action),
  waiting for the page to load and, when a navigation replaces the page meanwhile, checking the
  page it arrives at. `Auditor.finish(page)` does so for the test's last page and then waits for
  that document's own check.
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
LEAVE_TIMEOUT = 20.0  # seconds a navigation waits for a loaded page's own check
DOCUMENT = "() => window.__axeDocument || null"  # {token, url, loaded} of the document

# After axe: one check at a time per document (axe refuses to run twice at once). Each
# top-level document takes a token, says it exists as it starts (`__axeStarted`), checks
# itself at `load` and reports under its token through `__axeReport`.
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
  const token = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const me = { token, url: location.href, loaded: false };
  window.__axeDocument = me;  // read by `Auditor.settle`
  window.__axeStarted(token, location.href);
  window.addEventListener("load", () => {
    me.loaded = true;
    window.__axeLoaded(token);  // from now on, leaving the page waits for the check
    window.__axeAudit().then(
      (found) => window.__axeReport(token, location.href, found),
      (error) => window.__axeReport(token, location.href, null, String(error)),
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
    _started: dict[str, str] = field(default_factory=dict)  # url of each document, by token
    _current: dict[Any, str] = field(default_factory=dict)  # the last document started, by page
    _loaded: set[str] = field(default_factory=set)  # tokens whose check began at `load`
    _reported: set[str] = field(default_factory=set)  # tokens whose own check reported
    _left: set[str] = field(default_factory=set)  # tokens navigated away from before `load`
    _replaced: set[str] = field(default_factory=set)  # tokens a later document replaced
    _given_up: set[str] = field(default_factory=set)  # tokens waited for in vain
    _events: list[str] = field(default_factory=list)  # starts and reports, for diagnosis

    def watch(self, context: Any) -> None:
        """Check every page of `context` when it has loaded, before the browser leaves it."""
        script = AXE_SCRIPT.read_text(encoding="utf-8")
        context.expose_binding("__axeStarted", self._on_started)
        context.expose_binding("__axeLoaded", self._on_loaded)
        context.expose_binding("__axeReport", self._on_report)
        context.add_init_script(script + CHECKS % json.dumps(list(WCAG_21_AA)))
        context.route("**/*", self._before_request)

    @property
    def left_before_load(self) -> list[str]:
        """Documents the test navigated away from before the auditor heard of their `load`
        event, so never checked (the documents that replaced them were)."""
        return [self._started[token] for token in self._left - self._reported]

    def audit(self, page: Any, label: str = "") -> list[Violation]:
        """Check the page as it is now; the violations are kept for the end of the test too."""
        if not page.url.startswith("http"):
            return []
        found = self._evaluate_when_loaded(
            page, "() => window.__axeAudit ? window.__axeAudit() : null"
        )
        if found is None:
            self.problems.append(f"{page.url}: axe is not in this page")
            return []
        return self._keep(f"{page.url} {label}".strip(), found)

    @staticmethod
    def _evaluate_when_loaded(page: Any, expression: str) -> Any:
        """Evaluate once the page has loaded; when a navigation replaces the page meanwhile (a
        slow machine still following the last click), evaluate in the page it arrives at."""
        from playwright.sync_api import Error

        for attempt in range(3):
            page.wait_for_load_state()
            try:
                return page.evaluate(expression)
            except Error as error:
                if "Execution context was destroyed" not in str(error) or attempt == 2:
                    raise
        return None

    def finish(self, page: Any, label: str = "(at the end of the test)") -> None:
        """Check the page's last state and wait for its own check to have reported."""
        self.audit(page, label)
        self.settle(page)

    def settle(self, page: Any) -> None:
        """Wait until the page has loaded and its document's own check has reported."""
        if not page.url.startswith("http"):
            return
        document = self._evaluate_when_loaded(page, DOCUMENT)
        if document and document["loaded"]:
            self._wait_for_report(page, document)

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

    def _on_started(self, source: dict[str, Any], token: str, url: str) -> None:
        self._events.append(f"{time.monotonic():.2f} started {url}")
        self._started[token] = url
        previous = self._current.get(source["page"])
        if previous is not None:
            self._replaced.add(previous)  # gone from the page: its check can never report
        self._current[source["page"]] = token

    def _on_loaded(self, source: dict[str, Any], token: str) -> None:
        self._loaded.add(token)

    def _on_report(
        self,
        source: dict[str, Any],
        token: str,
        url: str,
        found: list[dict[str, Any]] | None,
        error: str = "",
    ) -> None:
        self._events.append(f"{time.monotonic():.2f} reported {url} {error}".strip())
        self._reported.add(token)
        if found is None:
            self.problems.append(f"{url}: {error}")
        else:
            self._keep(url, found)

    def _before_request(self, route: Any) -> None:
        """A page that has loaded is left only after its own check has reported; one that has
        not is left at once (its check would need the `load` event)."""
        request = route.request
        try:
            if request.is_navigation_request() and request.frame.parent_frame is None:
                self._leave(request.frame.page)
        finally:
            route.fallback()

    def _leave(self, page: Any) -> None:
        """What the auditor has heard decides: the document being left can't be asked (a
        page's CDP session does not answer while its navigation request is held)."""
        token = self._current.get(page)
        if token is None or token in self._reported:
            return
        if token in self._loaded:
            self._wait_for_report(page, {"token": token, "url": self._started[token]})
        else:
            self._left.add(token)

    def _wait_for_report(self, page: Any, document: dict[str, Any]) -> None:
        """Wait for a loaded document's own check, which needs only its script and the binding."""
        token = document["token"]
        deadline = time.monotonic() + LEAVE_TIMEOUT
        over = self._reported, self._replaced, self._given_up
        while not any(token in done for done in over) and time.monotonic() < deadline:
            page.wait_for_timeout(25)
        if not any(token in done for done in over):
            self._given_up.add(token)
            self.problems.append(
                f"{document['url']}: axe did not finish in {LEAVE_TIMEOUT:.0f} s after the page "
                f"loaded (last starts and reports: {self._events[-6:]})"
            )
