"""A person with a keyboard alone: Tab through a page, and what they see and hear on the way."""

from __future__ import annotations

from typing import Any

from tests.browser.announcements import announcements

# Where the focus is, and whether it shows the site's outline (not the browser's default).
FOCUS_STOP = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const text = (element.getAttribute("aria-label") || element.textContent || "").trim();
  return {
    where: element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") +
      (text ? " '" + text.slice(0, 40) + "'" : ""),
    outlined: style.outlineStyle === "solid" && parseFloat(style.outlineWidth) >= 2,
    body: element === document.body,
  };
}"""


def tab_to(page: Any, target: Any, *, backwards: bool = False, limit: int = 120) -> int:
    """Presses Tab (Shift+Tab) until `target` has the focus; every stop on the way must show
    the site's focus outline. Returns the number of presses."""
    key = "Shift+Tab" if backwards else "Tab"
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        stop = page.evaluate(FOCUS_STOP)
        if not stop["body"]:
            assert stop["outlined"], f"{stop['where']} has the focus but shows no outline"
        if target.evaluate("(element) => element === document.activeElement"):
            return presses
    raise AssertionError(f"{limit} presses of {key} never reached {target}")


def press_and_load(page: Any, key: str = "Enter") -> None:
    """Presses a key that follows a link or sends a form; returns once the next page loaded."""
    with page.expect_navigation():
        page.keyboard.press(key)


def expect_announced(page: Any, text: str, times: int = 1) -> None:
    """Waits until a live region has said `text` (at least `times` times) in this document."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    try:
        page.wait_for_function(
            "([text, times]) => (window.__announcements || []).filter((t) => t === text)"
            ".length >= times",
            arg=[text, times],
            timeout=5_000,
        )
    except PlaywrightTimeoutError:
        raise AssertionError(
            f"not announced {times}x: {text!r}; announced: {announcements(page)}"
        ) from None
