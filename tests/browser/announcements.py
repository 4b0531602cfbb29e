"""What a screen reader would announce without the focus moving: live-region changes.

An init script watches every document as assistive technology does: a change inside a live
region (`aria-live`, or role status, alert or log) is announced only if the region was
already rendered before the change (a region that appears together with its text, or a
hidden one, is not reliably announced, so it does not count here). `announcements(page)`
returns the texts announced so far in the page's current document, oldest first.
"""

from __future__ import annotations

from typing import Any

RECORDER = """
(() => {
  const said = [];
  Object.defineProperty(window, "__announcements", { value: said });
  const LIVE = "[aria-live], [role=status], [role=alert], [role=log]";
  const rendered = (element) =>
    element.isConnected && !element.closest("[aria-hidden=true]") &&
    element.getClientRects().length > 0 && getComputedStyle(element).visibility !== "hidden";
  const live = (element) => element.getAttribute("aria-live") !== "off";
  let known = new Set();
  const survey = () => {
    known = new Set([...document.querySelectorAll(LIVE)].filter((r) => rendered(r) && live(r)));
  };
  const regionOf = (node) => {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    return element && element.closest(LIVE);
  };
  new MutationObserver((mutations) => {
    const changed = new Set();
    for (const mutation of mutations) {
      const region = regionOf(mutation.target);
      if (region && known.has(region)) { changed.add(region); }
    }
    for (const region of changed) {
      const text = region.textContent.replace(/\\s+/g, " ").trim();
      if (text && rendered(region)) { said.push(text); }
    }
    survey();
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  document.addEventListener("DOMContentLoaded", survey);
})();
"""


def announcements(page: Any) -> list[str]:
    return list(page.evaluate("() => window.__announcements || []"))
